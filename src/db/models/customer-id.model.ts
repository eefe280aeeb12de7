import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/** Which of Meta's ids an alias stands for: the phone number (`wa_id`) or the business-scoped user id. */
export type CustomerIdKind = 'wa' | 'bsuid';

/**
 * One of a customer's WhatsApp ids at one business, pointing to the customer's one reference
 * (src/customers/identity.ts). A payload may carry the `wa_id`, the BSUID or both, in any order over time;
 * every id it carries resolves here to the same `ref`, so the customer has one conversation, one profile,
 * one order history and one privacy record. Never holds an id itself: `_id` is a keyed hash of it.
 */
export interface CustomerIdDoc {
  /** HMAC-SHA256 (PRIVACY_PEPPER) of business number, kind and id: not reversible without the pepper. */
  _id: string;
  /** The customer's reference (privacy/refs.ts): the key of their conversation, customer record, orders. */
  ref: string;
  phoneNumberId: string;
  kind: CustomerIdKind;
  createdAt: Date;
  /** Renewed (at most daily) while the customer writes; outlives the customer record by a day. */
  expiresAt: Date;
}

const customerIdSchema = new Schema<CustomerIdDoc>(
  {
    _id: { type: String, required: true },
    ref: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    kind: { type: String, enum: ['wa', 'bsuid'], required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'customer_ids', versionKey: false },
);
// Erasure deletes a customer's aliases by reference; a merge repoints them.
customerIdSchema.index({ ref: 1 });
customerIdSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type CustomerIdModel = Model<CustomerIdDoc>;

export function customerIdModel(connection: Connection): CustomerIdModel {
  return connection.models.CustomerId ?? connection.model<CustomerIdDoc>('CustomerId', customerIdSchema);
}
