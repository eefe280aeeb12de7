import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';

import { ORDER_STATUSES } from '../../core/order-status.js';
import type { OrderStatus } from '../../core/order-status.js';

export { ORDER_STATUSES };
export type { OrderStatus };

/** Who changed an order's status: the customer in chat, the business (admin API), or the bot itself. */
export type StatusActor = 'customer' | 'business' | 'system';

export type Fulfilment = 'pickup' | 'delivery';

/** One line of an order, with the price as it was when the order was placed (the catalog may change later). */
export interface OrderLine {
  /** The catalog item's id at order time. */
  itemId: string;
  name: string;
  /** Exact price in the currency's minor units (money.ts). */
  unitPriceMinor: number;
  quantity: number;
  /** `unitPriceMinor × quantity`, stored so that the order reads the same whatever rounding rules come later. */
  lineTotalMinor: number;
}

export interface DeliveryAddress {
  /** The address as the customer wrote it. */
  text?: string;
  /** From a shared WhatsApp location. */
  latitude?: number;
  longitude?: number;
}

export interface StatusChange {
  status: OrderStatus;
  at: Date;
  by: StatusActor;
}

/**
 * An order a customer placed with one business. The customer is known only by `customerRef` (the keyed
 * hash of privacy/refs.ts), never by a phone number: the customers collection is the one place that can
 * write back to them, and erasing it leaves the order as anonymous accounting data.
 */
export interface Order {
  _id: Types.ObjectId;
  phoneNumberId: string;
  customerRef: string;
  /**
   * The number the customer and the staff say out loud: a per-business counter starting at 1001 (1001,
   * 1002, …), allocated with an atomic `$inc` on `counters/order:<phoneNumberId>`. Digits only, so it is
   * easy to read over the counter, type on a phone keypad and tell apart in chat, where the bot's menus
   * answer to 1–4 (a four-digit number is never mistaken for a menu choice). Numbers are guessable, which
   * is fine: an order number never grants access (the customer's orders are found by customerRef, the
   * business's through its token). Unique per business by the `{ phoneNumberId, orderNumber }` index.
   */
  orderNumber: number;
  items: OrderLine[];
  /** Sum of the lines' totals plus the delivery fee, in minor units. */
  totalMinor: number;
  /** The delivery fee included in `totalMinor` (0 for pickup or free delivery); absent on older orders. */
  deliveryFeeMinor?: number;
  /** ISO 4217 code: the business's currency when the order was placed. */
  currency: string;
  fulfilment: Fulfilment;
  /** Present exactly when `fulfilment` is `delivery`. */
  deliveryAddress?: DeliveryAddress;
  /** A note from the customer ("no onions"). */
  note?: string;
  /**
   * Placed while the business was closed (it takes orders for later): when it opens next, the time the
   * kitchen starts on it. Absent for an order placed during opening hours.
   */
  preOrderFor?: Date;
  status: OrderStatus;
  /** Every status the order went through, oldest first, starting with `placed`. */
  statusHistory: StatusChange[];
  placedAt: Date;
  updatedAt: Date;
  /**
   * When the order is deleted (TTL): placed + the business's `orderRetentionYears` (accounting records).
   * Orders placed before retention existed have none and are kept until an operator sets it.
   */
  retainUntil?: Date;
  /** Set when the customer's data was erased: `customerRef` is then a random token, address and note gone. */
  anonymisedAt?: Date;
  /**
   * What placed it: the idempotency key of the chat step (a keyed hash of the inbound message id, plus the
   * effect's name; src/conversation/flows.ts). Unique, so a step run again after a failure finds its order
   * instead of placing a second one. Removed when the customer's data is erased (it links to their message).
   */
  sourceKey?: string;
  /**
   * What the customer's erasure did to this order while it was open: `cancelled` (the business had not
   * started it), or `handover` (under way: the address, note and `handoverContact` stay until it is
   * completed or cancelled, then they go too).
   */
  erasure?: OrderErasure;
  /**
   * The customer's name and number, sealed (src/privacy/sealing.ts, bound to `order-handover:<id>`), on an
   * order kept for its handover after the customer's erasure: the one way left to reach them at the door.
   */
  handoverContact?: string;
}

export type OrderErasure = 'cancelled' | 'handover';

/** What a kept order's handover needs to reach the customer: opened from `handoverContact`. */
export interface HandoverContact {
  name?: string;
  waId?: string;
  userId?: string;
}

/** The sealing context of an order's handover contact: bound to the order, so it opens nowhere else. */
export const handoverContext = (id: Types.ObjectId | string): string => `order-handover:${String(id)}`;

const money = { type: Number, required: true, min: 0, validate: Number.isSafeInteger };

const orderLineSchema = new Schema<OrderLine>(
  {
    itemId: { type: String, required: true },
    name: { type: String, required: true },
    unitPriceMinor: money,
    quantity: { type: Number, required: true, min: 1, validate: Number.isSafeInteger },
    lineTotalMinor: money,
  },
  { _id: false },
);

const orderSchema = new Schema<Order>(
  {
    phoneNumberId: { type: String, required: true },
    customerRef: { type: String, required: true },
    orderNumber: { type: Number, required: true, validate: Number.isSafeInteger },
    items: { type: [orderLineSchema], required: true },
    totalMinor: money,
    deliveryFeeMinor: { type: Number, min: 0, validate: Number.isSafeInteger },
    currency: { type: String, required: true },
    fulfilment: { type: String, enum: ['pickup', 'delivery'], required: true },
    deliveryAddress: {
      type: new Schema<DeliveryAddress>(
        { text: String, latitude: Number, longitude: Number },
        { _id: false },
      ),
      required: false,
    },
    note: String,
    preOrderFor: Date,
    status: { type: String, enum: ORDER_STATUSES, required: true },
    statusHistory: {
      type: [
        new Schema<StatusChange>(
          {
            status: { type: String, enum: ORDER_STATUSES, required: true },
            at: { type: Date, required: true },
            by: { type: String, enum: ['customer', 'business', 'system'], required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    placedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    retainUntil: Date,
    anonymisedAt: Date,
    sourceKey: String,
    erasure: { type: String, enum: ['cancelled', 'handover'] },
    handoverContact: String,
  },
  { collection: 'orders', versionKey: false },
);
// The order number the business and the customer use; the insert is what makes it unique.
orderSchema.index({ phoneNumberId: 1, orderNumber: 1 }, { unique: true });
// The business's list, newest first (the order number breaks ties of one millisecond, so pages are stable):
// all orders, or one status.
orderSchema.index({ phoneNumberId: 1, placedAt: -1, orderNumber: -1 });
orderSchema.index({ phoneNumberId: 1, status: 1, placedAt: -1, orderNumber: -1 });
// One order per placing step (sparse: orders placed without a key, e.g. before keys existed, are not in it).
orderSchema.index({ sourceKey: 1 }, { unique: true, sparse: true });
// A customer's recent orders ("where is my order?").
orderSchema.index({ customerRef: 1, placedAt: -1 });
orderSchema.index({ retainUntil: 1 }, { expireAfterSeconds: 0 });

export type OrderModel = Model<Order>;

export function orderModel(connection: Connection): OrderModel {
  return connection.models.Order ?? connection.model<Order>('Order', orderSchema);
}
