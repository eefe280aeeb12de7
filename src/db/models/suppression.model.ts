import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/**
 * Messages a customer must not get unless they are a direct answer to them: after "stop" (until "start"),
 * and for a while after an erasure (so nothing scheduled before it reaches them). Holds only the subject
 * key (the customer's keyed hash, privacy/refs.ts), never a phone number.
 */
export interface Suppression {
  /** The subject key: the customer's reference at this business. */
  _id: string;
  phoneNumberId: string;
  reason: 'opted-out' | 'erased';
  createdAt: Date;
  /** Opt-outs last until the customer says "start" (none); erasure tombstones expire. */
  expiresAt?: Date;
  /**
   * On an erasure tombstone: the latest of Meta's signed timestamps among the messages the erasure removed
   * (whose inbox records were the duplicate check). A message signed at or before it is a redelivery of the
   * erased past and is dropped unanswered; a later one is a new contact. Absent: `createdAt` is used.
   */
  erasedUpTo?: Date;
}

/** How long Meta redelivers a webhook it did not see acknowledged (its documented retry period). */
export const META_REDELIVERY_DAYS = 7;

/**
 * How long an erasure tombstone stops scheduled messages and recognises redeliveries of erased messages:
 * longer than any deadline or retry, and than Meta's redelivery period.
 */
export const ERASURE_TOMBSTONE_DAYS = 30;

const suppressionSchema = new Schema<Suppression>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    reason: { type: String, enum: ['opted-out', 'erased'], required: true },
    createdAt: { type: Date, required: true },
    expiresAt: Date,
    erasedUpTo: Date,
  },
  { collection: 'suppressions', versionKey: false },
);
suppressionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SuppressionModel = Model<Suppression>;

export function suppressionModel(connection: Connection): SuppressionModel {
  return connection.models.Suppression ?? connection.model<Suppression>('Suppression', suppressionSchema);
}
