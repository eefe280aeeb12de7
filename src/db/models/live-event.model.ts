import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import { HOUR_MS } from '../../core/time.js';

/** How long an event is kept: long enough for every process's poll to read it, then it is noise. */
export const LIVE_EVENT_RETENTION_MS = HOUR_MS;

/** The kinds a live event may have (src/live/events.ts `LiveKind`; a type check there keeps both equal). */
export const LIVE_EVENT_KINDS = [
  'handoff.opened',
  'handoff.message',
  'handoff.updated',
  'order.placed',
  'order.updated',
  'order.cancelled',
  'appointment.booked',
  'appointment.cancelled',
  'appointment.moved',
  'appointment.confirmed',
] as const;

/**
 * One thing that happened at a business that open portal pages should show without a reload: a kind and the
 * id of what it concerns (an order number, a handoff id). No personal data. Every process's live hub polls
 * this collection by `_id` (src/live/hub.ts), so an event published by one process reaches the pages open on
 * every other.
 */
export interface LiveEventRecord {
  _id: Types.ObjectId;
  business: string;
  kind: (typeof LIVE_EVENT_KINDS)[number];
  ref: string;
  at: Date;
  /** `at` + LIVE_EVENT_RETENTION_MS (TTL). */
  expiresAt: Date;
}

const liveEventSchema = new Schema<LiveEventRecord>(
  {
    business: { type: String, required: true },
    kind: { type: String, enum: LIVE_EVENT_KINDS, required: true },
    ref: { type: String, required: true },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'live_events', versionKey: false },
);
liveEventSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type LiveEventModel = Model<LiveEventRecord>;

export function liveEventModel(connection: Connection): LiveEventModel {
  return connection.models.LiveEvent ?? connection.model<LiveEventRecord>('LiveEvent', liveEventSchema);
}
