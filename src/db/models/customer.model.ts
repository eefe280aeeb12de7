import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/** A delivery address the customer used, offered again at their next delivery order. */
export interface SavedAddress {
  text?: string;
  latitude?: number;
  longitude?: number;
}

/** What the business knows of the customer beyond their number; sealed at rest in `Customer.profile`. */
export interface CustomerProfile {
  /** The WhatsApp profile name as Meta sends it, or the name the customer gave in a correction. */
  name?: string;
  /** True once the customer corrected their name: WhatsApp's profile name no longer overwrites it. */
  nameCorrected?: boolean;
  /** Most recent first, at most MAX_SAVED_ADDRESSES. */
  addresses: SavedAddress[];
}

export const MAX_SAVED_ADDRESSES = 3;

/**
 * A customer of one business: the only place that holds the ids needed to write back to them. Everything
 * else refers to the customer by `_id`, a keyed hash (privacy/refs.ts). Deleted (TTL) when they have not
 * written for CUSTOMER_RETENTION_DAYS; their orders then keep only the hash.
 */
export interface Customer {
  /** customerRef(pepper, phoneNumberId, customerKey). */
  _id: string;
  phoneNumberId: string;
  waId?: string;
  userId?: string;
  /** The sealed CustomerProfile (src/privacy/sealing.ts, bound to `customer:<_id>`). */
  profile?: string;
  /** The customer said "no AI": replies are never phrased by an AI for them, even if the business enabled it. */
  noAi?: boolean;
  /**
   * The language the customer's conversation last used (`es`, a code of src/language/languages.ts): what
   * is sent outside the conversation, such as an order's status notice, is written in it. Not personal data.
   */
  language?: string;
  /** Last message from the customer: the 24-hour customer-service window runs from here. */
  lastInboundAt: Date;
  createdAt: Date;
  updatedAt: Date;
  expiresAt?: Date;
}

const customerSchema = new Schema<Customer>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    waId: String,
    userId: String,
    profile: String,
    noAi: Boolean,
    language: String,
    lastInboundAt: { type: Date, required: true },
    expiresAt: Date,
  },
  { collection: 'customers', timestamps: true, versionKey: false },
);
customerSchema.index({ phoneNumberId: 1, lastInboundAt: -1 });
customerSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type CustomerModel = Model<Customer>;

export function customerModel(connection: Connection): CustomerModel {
  return connection.models.Customer ?? connection.model<Customer>('Customer', customerSchema);
}
