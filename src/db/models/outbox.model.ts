import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import type { DeliveryStatus } from '../../core/vocabulary.js';

/**
 * `pending` → `sending` (claimed) → `sent`; a transient failure goes to `retrying` (with `nextAttemptAt`)
 * and back to `sending` when the outbox dispatcher claims it again. `failed` (a permanent error), `skipped`
 * (never attempted) and `expired` (the customer-service window closed while retrying) are final.
 */
export type OutboxStatus = 'pending' | 'sending' | 'retrying' | 'sent' | 'failed' | 'skipped' | 'expired';

/** Statuses of a record that may still go out: a later reply to the same customer waits behind them. */
export const OPEN_OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'retrying'];

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
  /** The recipient, sealed (`outbox-recipient:<_id>`), on a record that must not depend on a customer record. */
  sealedRecipient?: string;
  /** Keeps keyed hashes of Meta's ids instead of the ids (the erasure receipt). */
  hashWamids?: boolean;
  /**
   * What the business-initiated message is for (an order status notice, a staff alert): the template that
   * may carry it when the recipient's 24-hour window is closed. The portal's notices page lists these.
   */
  templatePurpose?: string;
  /**
   * The template fallback's language, values and (staff) recipient, sealed (`outbox-fallback:<_id>`): the
   * values can be personal. Removed with the message once the record is settled.
   */
  sealedFallback?: string;
  /** The approved template the message went out as (outside the 24-hour window). */
  template?: { name: string; language: string };
  /** Why no template could carry it outside the window (with `skippedReason: outside-24h-window`). */
  templateMiss?: string;
  /**
   * True for messages the customer did not just ask for (order status notices, a passed deadline): a
   * customer who opted out (privacy suppression) does not get them.
   */
  unsolicited?: boolean;
  status: OutboxStatus;
  /** Meta's ids for what was sent (a long text may go out as several messages). */
  wamids: string[];
  /** The customer's reaction to this message (their latest; removed when they remove it): no reply is sent. */
  reaction?: { emoji: string; at: Date };
  /** How many Graph messages the reply is (a long text is split); set when it is first claimed. */
  parts?: number;
  attempts: number;
  /** When the current send was claimed: a record still `sending` long after this was cut off by a crash. */
  claimedAt?: Date;
  /** When a `retrying` record may be tried again (Meta's `Retry-After`, or backoff). */
  nextAttemptAt?: Date;
  /**
   * When a send that may have reached Meta got no answer (a timeout, a dropped connection): the `retrying`
   * record waits the grace from the later of this and the sender's start for a status webhook with its id.
   */
  unansweredAt?: Date;
  /** The last error: final for `failed`, the latest transient one for `retrying` and `expired`. */
  error?: { code?: number; title: string; httpStatus?: number; meaning?: string };
  /** Why a record stopped being retried, e.g. `window-closed`. */
  expiredReason?: string;
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
    sealedRecipient: String,
    hashWamids: Boolean,
    templatePurpose: String,
    sealedFallback: String,
    template: { type: new Schema({ name: String, language: String }, { _id: false }), default: undefined },
    templateMiss: String,
    unsolicited: Boolean,
    status: {
      type: String,
      enum: ['pending', 'sending', 'retrying', 'sent', 'failed', 'skipped', 'expired'],
      required: true,
    },
    wamids: { type: [String], default: [] },
    reaction: { type: { emoji: String, at: Date }, default: undefined },
    parts: Number,
    attempts: { type: Number, default: 0 },
    claimedAt: Date,
    nextAttemptAt: Date,
    unansweredAt: Date,
    error: { code: Number, title: String, httpStatus: Number, meaning: String },
    expiredReason: String,
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
// The portal's notices page: a business's business-initiated messages, newest first.
outboxSchema.index({ phoneNumberId: 1, createdAt: -1 });
// The dispatcher's sweep: retries that are due.
outboxSchema.index({ status: 1, nextAttemptAt: 1 });
outboxSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type OutboxModel = Model<OutboxEntry>;

export function outboxModel(connection: Connection): OutboxModel {
  return connection.models.Outbox ?? connection.model<OutboxEntry>('Outbox', outboxSchema);
}
