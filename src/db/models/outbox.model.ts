import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import type { DeliveryStatus } from '../../conversation/types.js';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface DeliveryEvent {
  status: DeliveryStatus;
  at: Date;
  errorCode?: number;
}

/**
 * One reply, tied to the inbound message that caused it and its position among that message's replies
 * (unique), written before it is sent: a redelivered or resumed message finds its reply here instead of
 * sending it again. Delivery statuses from webhooks land on it.
 */
export interface OutboxEntry {
  _id: Types.ObjectId;
  phoneNumberId: string;
  customerRef: string;
  /** `staff` for notifications to the business's admin numbers. */
  audience: 'customer' | 'staff';
  inboundWamid: string;
  seq: number;
  /**
   * The OutboundMessage, sealed (src/privacy/sealing.ts, bound to `outbox:<_id>`) while it waits to be
   * sent; removed once the record reaches a final status, so a sent reply keeps no text.
   */
  sealedMessage?: string;
  /**
   * True for messages the customer did not just ask for (order status notices, a passed deadline): a
   * customer who opted out (privacy suppression) does not get them.
   */
  unsolicited?: boolean;
  status: OutboxStatus;
  /** Meta's ids for what was sent (a long text may go out as several messages). */
  wamids: string[];
  attempts: number;
  error?: { code?: number; title: string; httpStatus?: number };
  /** Why a message was not attempted, e.g. `outside-24h-window`. */
  skippedReason?: string;
  /**
   * Set when a message the business started (an order status notice) was skipped because the customer's
   * 24-hour window had closed: only an approved template could reach them now.
   */
  templateNeeded?: boolean;
  deliveries: DeliveryEvent[];
  createdAt: Date;
  sentAt?: Date;
  expiresAt: Date;
}

export const OUTBOX_RETENTION_DAYS = 30;

const outboxSchema = new Schema<OutboxEntry>(
  {
    phoneNumberId: { type: String, required: true },
    customerRef: { type: String, required: true },
    audience: { type: String, enum: ['customer', 'staff'], default: 'customer' },
    inboundWamid: { type: String, required: true },
    seq: { type: Number, required: true },
    sealedMessage: String,
    unsolicited: Boolean,
    status: { type: String, enum: ['pending', 'sending', 'sent', 'failed', 'skipped'], required: true },
    wamids: { type: [String], default: [] },
    attempts: { type: Number, default: 0 },
    error: { code: Number, title: String, httpStatus: Number },
    skippedReason: String,
    templateNeeded: Boolean,
    deliveries: {
      type: [new Schema<DeliveryEvent>({ status: String, at: Date, errorCode: Number }, { _id: false })],
      default: [],
    },
    createdAt: { type: Date, required: true },
    sentAt: Date,
    expiresAt: { type: Date, required: true },
  },
  { collection: 'outbox', versionKey: false },
);
outboxSchema.index({ inboundWamid: 1, seq: 1 }, { unique: true });
outboxSchema.index({ wamids: 1 });
outboxSchema.index({ customerRef: 1 });
outboxSchema.index({ status: 1, createdAt: 1 });
outboxSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type OutboxModel = Model<OutboxEntry>;

export function outboxModel(connection: Connection): OutboxModel {
  return connection.models.Outbox ?? connection.model<OutboxEntry>('Outbox', outboxSchema);
}
