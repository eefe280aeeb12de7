import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';
import type { CustomerIdentity, InboundEvent, SystemEvent } from '../../core/vocabulary.js';

export type InboxStatus = 'pending' | 'processing' | 'done' | 'failed';

/** What an inbox record carries until it is handled: sealed (AES-256-GCM), then removed. */
export interface InboxPayload {
  /** The customer's message, or an event the engine made (a passed deadline, a resume). */
  event: InboundEvent | SystemEvent;
  customer?: Pick<CustomerIdentity, 'waId' | 'userId' | 'profileName'>;
}

/**
 * One inbound WhatsApp message, keyed by Meta's wamid: inserting it is the dedupe (a redelivery hits
 * E11000). The message and the sender's ids are kept only until the message is handled, sealed
 * (src/privacy/sealing.ts, bound to `inbox:<wamid>`), then removed; the record itself (ids, times, status:
 * no content) expires after `INBOX_RETENTION_DAYS`.
 */
export interface InboxEntry {
  _id: string;
  phoneNumberId: string;
  customerRef: string;
  /** Meta's message timestamp. */
  sentAt: Date;
  receivedAt: Date;
  /** Arrival order within this process (body order within one webhook): breaks ties of Meta's whole-second timestamps. */
  arrival: number;
  status: InboxStatus;
  /** `user` for a customer's message, `system` for an event the engine made. */
  kind: 'user' | 'system';
  /** The sealed InboxPayload; absent once the message is handled. */
  sealed?: string;
  contextWamid?: string;
  attempts: number;
  /**
   * When a process took the message. The holder of the conversation's lease treats a claim made before it
   * took the lease as abandoned; the sweep reports claims older than two lease periods.
   */
  claimedAt?: Date;
  /** Not handled again before this time (backoff after a failed attempt); absent or past: due now. */
  retryAt?: Date;
  /** The name of the error of the last failed attempt (no message text, no customer data). */
  error?: string;
  expiresAt: Date;
}

export const INBOX_RETENTION_DAYS = 30;

/** The sealing context of an inbox record's payload: bound to its wamid, so it opens nowhere else. */
export const inboxContext = (id: string): string => `inbox:${id}`;

const inboxSchema = new Schema<InboxEntry>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    customerRef: { type: String, required: true },
    sentAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    arrival: { type: Number, required: true },
    status: { type: String, enum: ['pending', 'processing', 'done', 'failed'], required: true },
    kind: { type: String, enum: ['user', 'system'], required: true },
    sealed: String,
    contextWamid: String,
    attempts: { type: Number, default: 0 },
    claimedAt: Date,
    retryAt: Date,
    error: String,
    expiresAt: { type: Date, required: true },
  },
  { collection: 'inbox', versionKey: false },
);
inboxSchema.index({ status: 1, receivedAt: 1 });
inboxSchema.index({ customerRef: 1, status: 1, sentAt: 1, arrival: 1 });
inboxSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type InboxModel = Model<InboxEntry>;

export function inboxModel(connection: Connection): InboxModel {
  return connection.models.Inbox ?? connection.model<InboxEntry>('Inbox', inboxSchema);
}

let arrivals = 0;

/**
 * A number that grows with every message this process receives: milliseconds since the epoch times 1000
 * plus a counter, so messages stored in the same millisecond (one webhook body) keep their order.
 */
export function nextArrival(): number {
  arrivals = (arrivals + 1) % 1000;
  return Date.now() * 1000 + arrivals;
}
