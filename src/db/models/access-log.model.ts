import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/** How long a record of who viewed a customer's details is kept: a year of accountability. */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/** Who viewed: the operator (ADMIN_TOKEN) or a business API key by its id; never the token or the key. */
export type AccessActor = { kind: 'operator' } | { kind: 'key'; id: string };

/**
 * What was viewed: the customer's name, number and address on an order's page, the customer's name and
 * messages in an inbox conversation (`ref` is then the handoff's id), or the inbox list with the names and
 * masked numbers of the customers waiting (`ref` is then `inbox`); an appointment's customer (`ref`: its
 * number, "A-1042"), or the calendar with the names and masked numbers of a day's or week's customers (`ref`:
 * `calendar`).
 */
export const ACCESS_WHAT = [
  'order.customer',
  'handoff.thread',
  'handoff.list',
  'appointment.customer',
  'appointment.list',
] as const;
export type AccessWhat = (typeof ACCESS_WHAT)[number];

/**
 * One view of a customer's details in the portal (the business is the controller and needs them to hand an
 * order over; each view is recorded). Names the order by its number (`ref`), never the customer's number,
 * name or key: once the order is anonymised after an erasure, the record no longer points at anyone.
 */
export interface AccessLogEntry {
  _id: string;
  phoneNumberId: string;
  actor: AccessActor;
  what: AccessWhat;
  /** The order number, or the handoff's id. */
  ref: string;
  at: Date;
  /** `at` + ACCESS_LOG_RETENTION_DAYS (TTL). */
  expiresAt: Date;
}

const accessLogSchema = new Schema<AccessLogEntry>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    actor: {
      _id: false,
      kind: { type: String, enum: ['operator', 'key'], required: true },
      id: String,
    },
    what: { type: String, enum: [...ACCESS_WHAT], required: true },
    ref: { type: String, required: true },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'access_log', versionKey: false },
);
accessLogSchema.index({ phoneNumberId: 1, at: -1 });
accessLogSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type AccessLogModel = Model<AccessLogEntry>;

export function accessLogModel(connection: Connection): AccessLogModel {
  return connection.models.AccessLog ?? connection.model<AccessLogEntry>('AccessLog', accessLogSchema);
}
