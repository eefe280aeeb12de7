import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import { MINUTE_MS } from '../../core/time.js';

/**
 * Claims are made per bucket of this many minutes, aligned to the Unix epoch (so to every time zone in use,
 * whose offsets are whole quarter hours). An appointment claims every bucket from its start (rounded down)
 * to its buffer's end (rounded up): times on whole 5 minutes, as the slot grid gives, are claimed exactly.
 */
export const CLAIM_BUCKET_MINUTES = 5;
export const CLAIM_BUCKET_MS = CLAIM_BUCKET_MINUTES * MINUTE_MS;

/**
 * One seat of one resource for one time bucket, taken by one appointment: the lock against double booking.
 * `_id` is `<phoneNumberId>|<resourceId>|<seat>|<bucket start, epoch ms>`, so taking a seat is one insert
 * that the unique `_id` lets succeed once, on any MongoDB, across every process. A resource with capacity 3
 * has seats 0, 1, 2: an appointment takes, bucket by bucket, the first seat free. No personal data.
 */
export interface SlotClaim {
  _id: string;
  phoneNumberId: string;
  resourceId: string;
  seat: number;
  at: Date;
  /** The appointment it is for (its id exists before the appointment does: appointmentIdFor). */
  appointmentId: Types.ObjectId;
  /**
   * Until when an appointment not yet stored may keep it. After that, a booking that meets the claim takes
   * it over unless the appointment exists and is not cancelled: a booking interrupted between its writes
   * blocks nothing for long.
   */
  holdUntil: Date;
  /** The end of the bucket (TTL): a claim in the past protects nothing. */
  expiresAt: Date;
}

const slotClaimSchema = new Schema<SlotClaim>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    resourceId: { type: String, required: true },
    seat: { type: Number, required: true },
    at: { type: Date, required: true },
    appointmentId: { type: Schema.Types.ObjectId, required: true },
    holdUntil: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'slot_claims', versionKey: false },
);
// Releasing an appointment's claims (cancel, reschedule, a failed booking).
slotClaimSchema.index({ appointmentId: 1 });
slotClaimSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SlotClaimModel = Model<SlotClaim>;

export function slotClaimModel(connection: Connection): SlotClaimModel {
  return connection.models.SlotClaim ?? connection.model<SlotClaim>('SlotClaim', slotClaimSchema);
}

/** The claim's key: one per seat of a resource and bucket. */
export function claimId(phoneNumberId: string, resourceId: string, seat: number, at: number): string {
  return `${phoneNumberId}|${resourceId}|${seat}|${at}`;
}

/** The buckets (epoch ms) an appointment from `start` to `until` (its buffer's end) occupies. */
export function claimBuckets(start: Date, until: Date): number[] {
  const first = Math.floor(start.getTime() / CLAIM_BUCKET_MS) * CLAIM_BUCKET_MS;
  const buckets: number[] = [];
  for (let at = first; at < until.getTime(); at += CLAIM_BUCKET_MS) buckets.push(at);
  return buckets;
}
