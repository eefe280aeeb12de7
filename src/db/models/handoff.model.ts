import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/**
 * `waiting` (the customer asked for a person) → `taken` (a staff member took it in the portal) → `returned`
 * (handed back to the bot: by staff, `/resume`, the customer's *cancel*, or the deadline) or `closed` (staff
 * closed it). Only `waiting` and `taken` are open.
 */
export type HandoffStatus = 'waiting' | 'taken' | 'returned' | 'closed';

export const OPEN_HANDOFF_STATUSES: readonly HandoffStatus[] = ['waiting', 'taken'];

/** Why a handoff ended, for the staff's list: who or what ended it. */
export type HandoffEnd = 'staff-returned' | 'staff-closed' | 'customer-cancelled' | 'timeout' | 'left';

/** One message exchanged during a handoff: the customer's (`in`) or the staff's (`out`). */
export interface HandoffMessage {
  /** Unique within the handoff: a keyed hash of the inbound wamid, or the staff reply's form id. */
  id: string;
  direction: 'in' | 'out';
  /** The text, sealed (bound to `handoff-message:<handoff id>:<id>`). */
  sealedText: string;
  at: Date;
  /** Staff replies: the outbox record that carries it to the customer. */
  outboxId?: string;
  /** A customer's photo, voice note…: Meta's media id, which staff can open on demand (never the bytes). */
  mediaId?: string;
}

/**
 * A conversation a customer handed to a person: which customer (the keyed reference, as orders keep it),
 * its state and times, the conversation's language, and the messages exchanged since it opened (sealed).
 * Kept while open and `HANDOFF_RETENTION_DAYS` after the last activity (TTL on `expiresAt`, moved on by
 * every message and by the end), erased with the customer.
 */
export interface Handoff {
  /** A keyed hash of the wamid of the message that asked for a person (a retry finds the same record). */
  _id: string;
  phoneNumberId: string;
  customerRef: string;
  status: HandoffStatus;
  language: string;
  openedAt: Date;
  takenAt?: Date;
  endedAt?: Date;
  endReason?: HandoffEnd;
  lastActivityAt: Date;
  /** The customer's messages since staff last replied: what the list shows as waiting. */
  unanswered: number;
  messages: HandoffMessage[];
  expiresAt: Date;
}

/** How long a handoff and its messages are kept after the last activity (open or ended). */
export const HANDOFF_RETENTION_DAYS = 30;

/** Messages kept per handoff (the oldest go first): a bound on one document's size. */
export const HANDOFF_MESSAGES_KEPT = 500;

/** The sealing context of one handoff message: bound to its handoff and id, so it opens nowhere else. */
export const handoffMessageContext = (handoffId: string, messageId: string): string =>
  `handoff-message:${handoffId}:${messageId}`;

const messageSchema = new Schema<HandoffMessage>(
  {
    id: { type: String, required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    sealedText: { type: String, required: true },
    at: { type: Date, required: true },
    outboxId: String,
    mediaId: String,
  },
  { _id: false },
);

const handoffSchema = new Schema<Handoff>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    customerRef: { type: String, required: true },
    status: { type: String, enum: ['waiting', 'taken', 'returned', 'closed'], required: true },
    language: { type: String, required: true },
    openedAt: { type: Date, required: true },
    takenAt: Date,
    endedAt: Date,
    endReason: {
      type: String,
      enum: ['staff-returned', 'staff-closed', 'customer-cancelled', 'timeout', 'left'],
    },
    lastActivityAt: { type: Date, required: true },
    unanswered: { type: Number, default: 0 },
    messages: { type: [messageSchema], default: [] },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'handoffs', versionKey: false },
);
// The inbox: a business's open handoffs, newest activity first.
handoffSchema.index({ phoneNumberId: 1, status: 1, lastActivityAt: -1 });
// The customer's open handoff (the step), their export and erasure.
handoffSchema.index({ customerRef: 1, status: 1 });
handoffSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type HandoffModel = Model<Handoff>;

export function handoffModel(connection: Connection): HandoffModel {
  return connection.models.Handoff ?? connection.model<Handoff>('Handoff', handoffSchema);
}
