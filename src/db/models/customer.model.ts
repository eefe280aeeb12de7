import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/**
 * A customer of one business: the only place that holds the ids needed to write back to them. Everything
 * else refers to the customer by `_id`, a keyed hash (privacy/refs.ts).
 */
export interface Customer {
  /** customerRef(pepper, phoneNumberId, customerKey). */
  _id: string;
  phoneNumberId: string;
  waId?: string;
  userId?: string;
  /** Last message from the customer: the 24-hour customer-service window runs from here. */
  lastInboundAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const customerSchema = new Schema<Customer>(
  {
    _id: { type: String, required: true },
    phoneNumberId: { type: String, required: true },
    waId: String,
    userId: String,
    lastInboundAt: { type: Date, required: true },
  },
  { collection: 'customers', timestamps: true, versionKey: false },
);
customerSchema.index({ phoneNumberId: 1, lastInboundAt: -1 });

export type CustomerModel = Model<Customer>;

export function customerModel(connection: Connection): CustomerModel {
  return connection.models.Customer ?? connection.model<Customer>('Customer', customerSchema);
}
