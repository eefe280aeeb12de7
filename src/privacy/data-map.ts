import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Model, Types, UpdateQuery } from 'mongoose';
import { DEFAULT_RETENTION } from '../config.js';
import type { RetentionSettings } from '../config.js';
import { DAY_MS, MINUTE_MS } from '../core/time.js';
import { ACCESS_LOG_RETENTION_DAYS } from '../db/models/access-log.model.js';
import { AI_CALL_RETENTION_DAYS } from '../db/models/ai-call.model.js';
import { REVOKED_KEY_RETENTION_DAYS } from '../db/models/api-key.model.js';
import { DEFAULT_ORDER_RETENTION_YEARS } from '../db/models/business.model.js';
import { HANDOFF_RETENTION_DAYS } from '../db/models/handoff.model.js';
import { INBOX_RETENTION_DAYS } from '../db/models/inbox.model.js';
import type { Order, OrderErasure, OrderStatus } from '../db/models/order.model.js';
import type { Appointment } from '../db/models/appointment.model.js';
import type { Models } from '../db/models/index.js';
import { OUTBOX_RETENTION_DAYS } from '../db/models/outbox.model.js';
import { PRIVACY_REQUEST_RETENTION_DAYS } from '../db/models/privacy-request.model.js';
import { SETTINGS_CHANGE_RETENTION_DAYS } from '../db/models/settings-change.model.js';
import { ERASURE_TOMBSTONE_DAYS } from '../db/models/suppression.model.js';
import type { MessageKey } from '../language/i18n.js';
import { ORDER_CONTACT_DAYS } from '../orders/retention.js';

export type { RetentionSettings };

/** How far Meta's signed timestamps may run ahead of this server's clock. */
const CLOCK_SKEW_MS = 5 * MINUTE_MS;

/** A number of days as a person reads it: whole years as years ("1 year", "3 years"), otherwise days. */
export function daysText(n: number): string {
  if (n >= 365 && n % 365 === 0) return n === 365 ? '1 year' : `${n / 365} years`;
  return n === 1 ? '1 day' : `${n} days`;
}

/** A number of hours as a person reads it ("1 hour", "24 hours"). */
export function hoursText(n: number): string {
  return n === 1 ? '1 hour' : `${n} hours`;
}

/** What one erasure step did in one collection: counts only, with the basis and end date of what it kept. */
export interface ErasureOutcome {
  deleted: number;
  anonymised: number;
  kept: number;
  basis?: string;
  keptUntil?: Date;
  /** Orders: open orders the business had not started, cancelled by the erasure. */
  cancelledOrders?: number[];
  /** Orders: open orders under way, kept with what their handover needs until they are finished. */
  handoverOrders?: number[];
  /** Appointments: future ones cancelled by the erasure (their numbers, "A-1042"), for the business's notice. */
  cancelledAppointments?: string[];
}

/** What an erasure handler gets: the subject, scoped to one business. Never a phone number. */
export interface ErasureContext {
  models: Models;
  phoneNumberId: string;
  /** The subject key: the customer's reference at this business (privacy/refs.ts). */
  subjectKey: string;
  requestId: string;
  now: Date;
  /**
   * When the erasure job first ran (after the confirming message's replies were stored). Records created later (a message the customer sends while the job runs,
   * a conversation started afresh) are a new contact: not deleted, and not counted as leftovers by the scan.
   */
  since: Date;
  /**
   * The customer's name and number sealed for one order (`handoverContact`), for an order under way that
   * must still reach them; undefined when nothing is known to keep.
   */
  sealHandover?: (orderId: string) => string | undefined;
}

/** Records of `field` created up to `since` (and legacy ones without the field). */
export function createdBy(field: string, since: Date): Record<string, unknown> {
  return { $or: [{ [field]: { $lte: since } }, { [field]: { $exists: false } }] };
}

export type Retention =
  /** Documents carry an expiry date with a TTL index on it (expireAfterSeconds: 0). */
  | { kind: 'ttl'; field: string; period: string }
  /** Kept for as long as the stated reason holds (no personal data, or a legal basis). */
  | { kind: 'basis'; period: string };

/**
 * A period a customer is told, put into words in their language by whoever says it: a number of days
 * (whole years read as years), a number of hours, or the business's own order retention (in years).
 */
export type StatedPeriod = { days: number } | { hours: number } | 'business-order-retention';

/**
 * What a customer is told about a personal entry, from the catalogue (privacy namespace) in their language:
 * the data map's own `holds`, `purpose` and `retention.period` are the operator's record, in English.
 */
export interface CustomerWording {
  holds: MessageKey;
  purpose: MessageKey;
  retention: MessageKey;
  /** What, why and how long in one line, for the chat summary and the readable document. */
  line: MessageKey;
  /** The periods `retention` and `line` name, by placeholder, from the configuration and the models' TTLs. */
  periods: Readonly<Record<string, StatedPeriod>>;
}

/**
 * One collection in the record of processing: what it holds, why, how long, who receives it, and what an
 * erasure does to it. One list drives the erasure job, the verification scan, the access answer's
 * "purposes, retention, recipients", the README's data table, and a test that fails when a model is missing.
 */
export interface DataMapEntry {
  /** The key in createModels(). */
  model: keyof Models;
  collection: string;
  holds: string;
  /** Whether it can hold a customer's personal data (then it has an erasure handler and is scanned). */
  personal: boolean;
  purpose: string;
  retention: Retention;
  /** Run in this order by the erasure job; idempotent: a second run finds nothing left and counts 0. */
  erase?: (ctx: ErasureContext) => Promise<ErasureOutcome>;
  /** Fields of this collection that refer to the subject by key (must hold no match after erasure). */
  subjectFields: string[];
  /** Where the subject key may legitimately remain after erasure (the request itself, the tombstone). */
  subjectKeyAllowed?: boolean;
  /** Fields kept after anonymisation (not scanned for identifiers: order items may name "Maria's pizza"). */
  keptFields?: string[];
  /** The date a record was created: what an erasure deletes and scans is limited to records made by then. */
  createdField?: string;
  /** Personal entries: what the customer is told about it, in their language (the export, the chat). */
  told?: CustomerWording;
}

const none: ErasureOutcome = { deleted: 0, anonymised: 0, kept: 0 };

/** An erase handler that deletes the subject's records at this business, made by the job's start. */
function deleteAll(
  model: 'Conversation' | 'Inbox' | 'Outbox' | 'Customer' | 'AiCall',
  subjectField: '_id' | 'customerRef',
  createdField: string,
): (ctx: ErasureContext) => Promise<ErasureOutcome> {
  return async ({ models, phoneNumberId, subjectKey, since }) => {
    const collection = models[model] as unknown as Model<Record<string, unknown>>;
    const res = await collection
      .deleteMany({ [subjectField]: subjectKey, phoneNumberId, ...createdBy(createdField, since) })
      .exec();
    return { ...none, deleted: res.deletedCount };
  };
}

/** Order statuses where the business has started on the order and it still has to reach the customer. */
const UNDER_WAY: readonly OrderStatus[] = ['confirmed', 'preparing', 'ready', 'out_for_delivery'];

/**
 * Anonymises one of the subject's orders by its status: `placed` is cancelled (the business had not started
 * it), an order under way keeps what its handover needs, a finished one keeps only the accounting data.
 * Each write is conditional on the status read, so a status change by the business in between is read
 * again rather than overwritten. Null when the order is no longer the subject's (done by an earlier run).
 */
async function eraseOrder(
  models: Models,
  id: Types.ObjectId,
  subjectKey: string,
  now: Date,
  sealHandover: ErasureContext['sealHandover'],
): Promise<Pick<Order, 'orderNumber' | 'erasure' | 'retainUntil'> | null> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const order = await models.Order.findOne(
      { _id: id, customerRef: subjectKey },
      { status: 1, orderNumber: 1, retainUntil: 1 },
    )
      .lean<Pick<Order, 'status' | 'orderNumber' | 'retainUntil'>>()
      .exec();
    if (!order) return null;
    const anonymous = { customerRef: `anon:${randomBytes(16).toString('base64url')}`, anonymisedAt: now };
    const filter = { _id: id, customerRef: subjectKey, status: order.status };
    let erasure: OrderErasure | undefined;
    let update: UpdateQuery<Order>;
    if (order.status === 'placed') {
      erasure = 'cancelled';
      update = {
        $set: { ...anonymous, status: 'cancelled', erasure, updatedAt: now },
        $push: { statusHistory: { status: 'cancelled', at: now, by: 'system' } },
        $unset: { deliveryAddress: 1, note: 1, sourceKey: 1 },
      };
    } else if (UNDER_WAY.includes(order.status)) {
      erasure = 'handover';
      const contact = sealHandover?.(String(id));
      update = {
        $set: { ...anonymous, erasure, ...(contact ? { handoverContact: contact } : {}) },
        $unset: { sourceKey: 1 },
      };
    } else {
      update = { $set: anonymous, $unset: { deliveryAddress: 1, note: 1, sourceKey: 1 } };
    }
    const res = await models.Order.updateOne(filter, update).exec();
    if (res.modifiedCount > 0) {
      return {
        orderNumber: order.orderNumber,
        ...(erasure ? { erasure } : {}),
        ...(order.retainUntil ? { retainUntil: order.retainUntil } : {}),
      };
    }
  }
  throw new Error('an order kept changing while it was anonymised');
}

/**
 * The map itself, in erasure order: stop messages first, then delete, then anonymise what must be kept. The
 * periods it states are built from the configured numbers (`retention`, from `Config`) and the retention
 * constants of the models, so what a customer is told is what the TTL indexes do.
 */
export function dataMap(retention: RetentionSettings = DEFAULT_RETENTION): readonly DataMapEntry[] {
  const { idleDays, abandonedCartHours } = retention.conversation;
  const customerDays = retention.privacy.customerRetentionDays;
  return [
    {
      model: 'Suppression',
      collection: 'suppressions',
      holds: 'Opt-outs and erasure tombstones: the customer key, the reason, the date.',
      personal: true,
      purpose: 'Honour "stop" and stop scheduled messages after an erasure.',
      retention: {
        kind: 'ttl',
        field: 'expiresAt',
        period: `opt-outs until "start"; erasure tombstones ${daysText(ERASURE_TOMBSTONE_DAYS)}`,
      },
      subjectFields: ['_id'],
      subjectKeyAllowed: true,
      told: {
        holds: 'privacy:processing.suppressions.holds',
        purpose: 'privacy:processing.suppressions.purpose',
        retention: 'privacy:processing.suppressions.retention',
        line: 'privacy:why.suppressions',
        periods: { period: { days: ERASURE_TOMBSTONE_DAYS } },
      },
      // Written first: nothing scheduled reaches the customer while the rest is deleted. It also keeps the
      // latest signed time of the messages about to be deleted (their inbox records are the duplicate check):
      // Meta redelivers for days, and such a redelivery must not bring the erased customer back.
      erase: async ({ models, phoneNumberId, subjectKey, now, since }) => {
        const last = await models.Inbox.findOne(
          { customerRef: subjectKey, phoneNumberId, kind: 'user', ...createdBy('receivedAt', since) },
          { sentAt: 1 },
        )
          .sort({ sentAt: -1 })
          .lean()
          .exec();
        // A timestamp far in the future would silence the customer's new messages: at most a few minutes
        // past the erasure (Meta's clock may run a little ahead of ours).
        const erasedUpTo = new Date(Math.min(last?.sentAt.getTime() ?? 0, now.getTime() + CLOCK_SKEW_MS));
        await models.Suppression.updateOne(
          { _id: subjectKey },
          {
            $set: {
              phoneNumberId,
              reason: 'erased',
              createdAt: now,
              expiresAt: new Date(now.getTime() + ERASURE_TOMBSTONE_DAYS * DAY_MS),
            },
            // A rerun after a crash keeps the later of the two (the messages are still there until deleted).
            $max: { erasedUpTo },
          },
          { upsert: true },
        ).exec();
        return { ...none, kept: 1, basis: 'tombstone that stops scheduled messages (no phone number)' };
      },
    },
    {
      model: 'Conversation',
      collection: 'conversations',
      holds: 'Where the conversation is (menu, cart, checkout step), sealed; no message history.',
      personal: true,
      purpose: 'Continue the conversation where it stopped; keep a cart until checkout.',
      retention: {
        kind: 'ttl',
        field: 'expiresAt',
        period: `idle conversations ${daysText(idleDays)}; carts ${hoursText(abandonedCartHours)}`,
      },
      subjectFields: ['_id'],
      createdField: 'createdAt',
      told: {
        holds: 'privacy:processing.conversations.holds',
        purpose: 'privacy:processing.conversations.purpose',
        retention: 'privacy:processing.conversations.retention',
        line: 'privacy:why.conversations',
        periods: { idle: { days: idleDays }, cart: { hours: abandonedCartHours } },
      },
      erase: deleteAll('Conversation', '_id', 'createdAt'),
    },
    {
      model: 'Inbox',
      collection: 'inbox',
      holds: 'Received messages: ids, times and status; the text, sealed, only until it is handled.',
      personal: true,
      purpose: 'Answer each message exactly once and in order.',
      retention: { kind: 'ttl', field: 'expiresAt', period: daysText(INBOX_RETENTION_DAYS) },
      subjectFields: ['customerRef'],
      createdField: 'receivedAt',
      told: {
        holds: 'privacy:processing.inbox.holds',
        purpose: 'privacy:processing.inbox.purpose',
        retention: 'privacy:processing.inbox.retention',
        line: 'privacy:why.inbox',
        periods: { period: { days: INBOX_RETENTION_DAYS } },
      },
      erase: deleteAll('Inbox', 'customerRef', 'receivedAt'),
    },
    {
      model: 'Outbox',
      collection: 'outbox',
      holds:
        'Replies, their delivery statuses and the customer’s reaction to each; the text and a template’s values, sealed, only until it is sent; the template it went out as.',
      personal: true,
      purpose:
        'Send each reply once, within WhatsApp’s 24-hour window (outside it, as the business’s approved template); show delivery.',
      retention: { kind: 'ttl', field: 'expiresAt', period: daysText(OUTBOX_RETENTION_DAYS) },
      subjectFields: ['customerRef'],
      createdField: 'createdAt',
      told: {
        holds: 'privacy:processing.outbox.holds',
        purpose: 'privacy:processing.outbox.purpose',
        retention: 'privacy:processing.outbox.retention',
        line: 'privacy:why.outbox',
        periods: { period: { days: OUTBOX_RETENTION_DAYS } },
      },
      erase: deleteAll('Outbox', 'customerRef', 'createdAt'),
    },
    {
      model: 'Customer',
      collection: 'customers',
      holds:
        'The WhatsApp number or user id to reply to, the profile name, saved addresses (sealed), and the language the conversation last used.',
      personal: true,
      purpose: 'Reply to the customer; recognise them; offer their saved delivery addresses.',
      retention: {
        kind: 'ttl',
        field: 'expiresAt',
        period: `${daysText(customerDays)} after the last message`,
      },
      subjectFields: ['_id'],
      createdField: 'createdAt',
      told: {
        holds: 'privacy:processing.customers.holds',
        purpose: 'privacy:processing.customers.purpose',
        retention: 'privacy:processing.customers.retention',
        line: 'privacy:why.customers',
        periods: { period: { days: customerDays } },
      },
      erase: deleteAll('Customer', '_id', 'createdAt'),
    },
    {
      model: 'CustomerId',
      collection: 'customer_ids',
      holds:
        'Keyed hashes of the customer’s WhatsApp number and user id, each pointing to the customer key; never the number or id.',
      personal: true,
      purpose: 'Know the customer as one person whether WhatsApp sends their number, their user id or both.',
      retention: {
        kind: 'ttl',
        field: 'expiresAt',
        period: `${daysText(customerDays)} and a day after the last message`,
      },
      subjectFields: ['ref'],
      createdField: 'createdAt',
      told: {
        holds: 'privacy:processing.customerIds.holds',
        purpose: 'privacy:processing.customerIds.purpose',
        retention: 'privacy:processing.customerIds.retention',
        line: 'privacy:why.customerIds',
        periods: { period: { days: customerDays } },
      },
      erase: async ({ models, phoneNumberId, subjectKey, since }) => {
        const res = await models.CustomerId.deleteMany({
          ref: subjectKey,
          phoneNumberId,
          ...createdBy('createdAt', since),
        }).exec();
        return { ...none, deleted: res.deletedCount };
      },
    },
    {
      model: 'Order',
      collection: 'orders',
      holds: 'Orders: number, items, amounts, dates, status; the delivery address and note.',
      personal: true,
      purpose: 'Prepare and deliver the order; the business’s accounting records.',
      retention: {
        kind: 'ttl',
        field: 'retainUntil',
        period: `per business, default ${DEFAULT_ORDER_RETENTION_YEARS} years (accounting law); the delivery address and note ${daysText(ORDER_CONTACT_DAYS)} after the order is finished`,
      },
      subjectFields: ['customerRef'],
      // An order kept for its handover keeps its address and note (and the sealed contact) until finished.
      keptFields: [
        'items',
        'orderNumber',
        'totalMinor',
        'currency',
        'statusHistory',
        'fulfilment',
        'deliveryAddress',
        'note',
        'handoverContact',
      ],
      createdField: 'placedAt',
      told: {
        holds: 'privacy:processing.orders.holds',
        purpose: 'privacy:processing.orders.purpose',
        retention: 'privacy:processing.orders.retention',
        line: 'privacy:why.orders',
        periods: { period: 'business-order-retention', contact: { days: ORDER_CONTACT_DAYS } },
      },
      // Kept for the business's accounting, anonymised: a fresh random token replaces the customer's key, so
      // the kept orders cannot be linked back to them or to each other. An open order the business has not
      // started is cancelled; one under way keeps its address, note and the sealed contact its handover needs
      // (removed when it is finished, src/orders/service.ts); every other one loses address and note now.
      // Every one loses the key of the message that placed it (sourceKey).
      erase: async ({ models, phoneNumberId, subjectKey, now, since, sealHandover }) => {
        const orders = await models.Order.find(
          { customerRef: subjectKey, phoneNumberId, ...createdBy('placedAt', since) },
          { _id: 1, retainUntil: 1 },
        )
          .lean()
          .exec();
        let anonymised = 0;
        let keptUntil: Date | undefined;
        const cancelledOrders: number[] = [];
        const handoverOrders: number[] = [];
        for (const { _id } of orders) {
          const outcome = await eraseOrder(models, _id, subjectKey, now, sealHandover);
          if (!outcome) continue;
          anonymised += 1;
          if (outcome.erasure === 'cancelled') cancelledOrders.push(outcome.orderNumber);
          if (outcome.erasure === 'handover') handoverOrders.push(outcome.orderNumber);
          const until = outcome.retainUntil;
          if (until && (!keptUntil || until > keptUntil)) keptUntil = until;
        }
        return {
          ...none,
          anonymised,
          kept: anonymised,
          basis:
            'accounting records (items, amounts, dates, order number), without name, phone, address or chat',
          ...(keptUntil ? { keptUntil } : {}),
          ...(cancelledOrders.length > 0 ? { cancelledOrders } : {}),
          ...(handoverOrders.length > 0 ? { handoverOrders } : {}),
        };
      },
    },
    {
      model: 'Appointment',
      collection: 'appointments',
      holds:
        'Appointments: number, service, staff member or room, times, status, price; the answers to the intake questions (sealed).',
      personal: true,
      purpose: 'Keep the appointment, remind the customer of it; the business’s records.',
      retention: {
        kind: 'ttl',
        field: 'retainUntil',
        period: `per business after the appointment, default ${DEFAULT_ORDER_RETENTION_YEARS} years (the order retention)`,
      },
      subjectFields: ['customerRef'],
      keptFields: [
        'appointmentNumber',
        'serviceName',
        'resourceName',
        'start',
        'end',
        'priceMinor',
        'currency',
      ],
      createdField: 'createdAt',
      told: {
        holds: 'privacy:processing.appointments.holds',
        purpose: 'privacy:processing.appointments.purpose',
        retention: 'privacy:processing.appointments.retention',
        line: 'privacy:why.appointments',
        periods: { period: 'business-order-retention' },
      },
      // Kept for the business's records, anonymised as orders are (a fresh random token for the key), without
      // the intake answers or the key of the message that booked it. A future appointment is cancelled and its
      // slot released first: the business is told which (cancelledAppointments), as for open orders.
      erase: async ({ models, phoneNumberId, subjectKey, now, since }) => {
        const appointments = await models.Appointment.find(
          { customerRef: subjectKey, phoneNumberId, ...createdBy('createdAt', since) },
          { _id: 1, status: 1, start: 1, appointmentNumber: 1, retainUntil: 1 },
        )
          .lean<Pick<Appointment, '_id' | 'status' | 'start' | 'appointmentNumber' | 'retainUntil'>[]>()
          .exec();
        let anonymised = 0;
        let keptUntil: Date | undefined;
        const cancelledAppointments: string[] = [];
        for (const a of appointments) {
          if (a.status === 'booked' && a.start > now) {
            const res = await models.Appointment.updateOne(
              { _id: a._id, customerRef: subjectKey, status: 'booked' },
              { $set: { status: 'cancelled', cancelledBy: 'erasure', cancelledAt: now, updatedAt: now } },
            ).exec();
            if (res.modifiedCount > 0) cancelledAppointments.push(`A-${a.appointmentNumber}`);
            await models.SlotClaim.deleteMany({ appointmentId: a._id }).exec();
          }
          const res = await models.Appointment.updateOne(
            { _id: a._id, customerRef: subjectKey },
            {
              $set: {
                customerRef: `anon:${randomBytes(16).toString('base64url')}`,
                anonymisedAt: now,
                reminders: [],
              },
              $unset: { intake: 1, sourceKey: 1 },
            },
          ).exec();
          if (res.modifiedCount === 0) continue;
          anonymised += 1;
          if (!keptUntil || a.retainUntil > keptUntil) keptUntil = a.retainUntil;
        }
        return {
          ...none,
          anonymised,
          kept: anonymised,
          basis:
            'the business’s records (service, times, price, number), without name, phone or intake answers',
          ...(keptUntil ? { keptUntil } : {}),
          ...(cancelledAppointments.length > 0 ? { cancelledAppointments } : {}),
        };
      },
    },
    {
      model: 'AiCall',
      collection: 'ai_calls',
      holds: 'Calls to the AI provider: time, purpose, model, token counts, outcome; never the text.',
      personal: true,
      purpose: 'Show the business what the AI was used for; enforce its daily token budget.',
      retention: { kind: 'ttl', field: 'expiresAt', period: daysText(AI_CALL_RETENTION_DAYS) },
      subjectFields: ['customerRef'],
      createdField: 'at',
      told: {
        holds: 'privacy:processing.aiCalls.holds',
        purpose: 'privacy:processing.aiCalls.purpose',
        retention: 'privacy:processing.aiCalls.retention',
        line: 'privacy:why.aiCalls',
        periods: { period: { days: AI_CALL_RETENTION_DAYS } },
      },
      erase: deleteAll('AiCall', 'customerRef', 'at'),
    },
    {
      model: 'Handoff',
      collection: 'handoffs',
      holds:
        'Conversations the customer handed to a person: status and times, the conversation’s language, and the messages the customer and the staff exchanged meanwhile (sealed), and the WhatsApp ids of photos or voice notes the customer sent (the media stay with WhatsApp; staff open them on demand).',
      personal: true,
      purpose: 'Let the business’s staff read and answer a customer who asked for a person.',
      retention: {
        kind: 'ttl',
        field: 'expiresAt',
        period: `while open, then ${daysText(HANDOFF_RETENTION_DAYS)} after the last message or the end`,
      },
      told: {
        holds: 'privacy:processing.handoffs.holds',
        purpose: 'privacy:processing.handoffs.purpose',
        retention: 'privacy:processing.handoffs.retention',
        line: 'privacy:why.handoffs',
        periods: { period: { days: HANDOFF_RETENTION_DAYS } },
      },
      subjectFields: ['customerRef'],
      createdField: 'openedAt',
      erase: async ({ models, phoneNumberId, subjectKey, since }) => {
        const res = await models.Handoff.deleteMany({
          customerRef: subjectKey,
          phoneNumberId,
          ...createdBy('openedAt', since),
        }).exec();
        return { ...none, deleted: res.deletedCount };
      },
    },
    {
      model: 'PrivacyRequest',
      collection: 'privacy_requests',
      holds: 'Privacy requests and receipts: type, status, dates, code, counts; the customer key, no values.',
      personal: true,
      purpose: 'Show that each request was answered in time (accountability).',
      retention: { kind: 'ttl', field: 'expiresAt', period: daysText(PRIVACY_REQUEST_RETENTION_DAYS) },
      subjectFields: ['subjectKey'],
      subjectKeyAllowed: true,
      told: {
        holds: 'privacy:processing.privacyRequests.holds',
        purpose: 'privacy:processing.privacyRequests.purpose',
        retention: 'privacy:processing.privacyRequests.retention',
        line: 'privacy:why.privacyRequests',
        periods: { period: { days: PRIVACY_REQUEST_RETENTION_DAYS } },
      },
      erase: async ({ models, phoneNumberId, subjectKey }) => {
        const kept = await models.PrivacyRequest.countDocuments({ subjectKey, phoneNumberId }).exec();
        return {
          ...none,
          kept,
          basis: `proof that requests were answered (GDPR Art. 5(2)), ${daysText(PRIVACY_REQUEST_RETENTION_DAYS)}`,
        };
      },
    },
    {
      model: 'Business',
      collection: 'businesses',
      holds: 'Business settings: name, catalog, FAQ, staff numbers, AI switch.',
      personal: false,
      purpose: 'Run the bot for the business.',
      retention: { kind: 'basis', period: 'while the business uses the bot' },
      subjectFields: [],
    },
    {
      model: 'Counter',
      collection: 'counters',
      holds: 'Order number sequences per business.',
      personal: false,
      purpose: 'Give each order a short number.',
      retention: { kind: 'basis', period: 'while the business uses the bot' },
      subjectFields: [],
    },
    {
      model: 'ApiKey',
      collection: 'api_keys',
      holds: 'Business API keys: id, business, label, dates; the SHA-256 of the secret, never the key.',
      personal: false,
      purpose: 'Let a business use the admin API for its own business only.',
      retention: {
        kind: 'ttl',
        field: 'expiresAt',
        period: `until revoked, then ${REVOKED_KEY_RETENTION_DAYS} days`,
      },
      subjectFields: [],
    },
    {
      model: 'SettingsChange',
      collection: 'settings_changes',
      holds:
        'Changes of a business’s AI settings: field, old and new value, when, and who (operator, key id, or a keyed hash of a staff number).',
      personal: false,
      purpose: 'Show when AI replies were on for a business and who switched them (accountability).',
      retention: { kind: 'ttl', field: 'expiresAt', period: daysText(SETTINGS_CHANGE_RETENTION_DAYS) },
      subjectFields: [],
    },
    {
      model: 'PortalSession',
      collection: 'portal_sessions',
      holds:
        'Business portal sessions: the SHA-256 of the session id, who signed in (operator or key id), the CSRF token, dates; never the key.',
      personal: false,
      purpose: 'Keep the operator or a business signed in to the portal.',
      retention: { kind: 'ttl', field: 'expiresAt', period: '30 minutes idle, at most 12 hours' },
      subjectFields: [],
    },
    {
      model: 'RateLimit',
      collection: 'rate_limits',
      holds:
        'Hit counts of the per-address limits (portal sign-in failures, the deletion status page and callback): a keyed hash (HMAC) of the client address, a count and the end of the window; never the address.',
      personal: false,
      purpose: 'Stop guessing of sign-in keys and status links, across every process of the bot.',
      retention: { kind: 'ttl', field: 'resetAt', period: 'until the window ends (at most 15 minutes)' },
      subjectFields: [],
    },
    {
      model: 'AccessLog',
      collection: 'access_log',
      // Not personal: it names the order by number and the viewer by session kind or key id, never the
      // customer; an erasure anonymises the order, after which the number leads to no one.
      holds:
        'Views of customers’ details in the portal: which order (its number) or inbox conversation (its id), who (operator or key id), when; never the customer’s name, number or key.',
      personal: false,
      purpose: 'Show the business who looked at its customers’ details (accountability).',
      retention: { kind: 'ttl', field: 'expiresAt', period: daysText(ACCESS_LOG_RETENTION_DAYS) },
      subjectFields: [],
    },
    {
      model: 'LiveEvent',
      collection: 'live_events',
      holds:
        'What happened at a business for the portal pages open on it to refresh (a kind such as "order placed" and the order number or handoff id), and when; no customer data.',
      personal: false,
      purpose:
        'Show new orders, handoffs and messages in the portal without a reload, across every process of the bot.',
      retention: { kind: 'ttl', field: 'expiresAt', period: '1 hour' },
      subjectFields: [],
    },
    {
      model: 'Template',
      collection: 'templates',
      holds:
        'The business’s WhatsApp message templates as Meta reports them: name, language, category, status, body text with its placeholders, buttons; no customer data.',
      personal: false,
      purpose: 'Choose an approved template for messages sent outside the 24-hour window.',
      retention: { kind: 'basis', period: 'while the business uses them (replaced at each sync)' },
      subjectFields: [],
    },
    {
      model: 'TemplateSetup',
      collection: 'template_settings',
      holds:
        'Which template carries which kind of message for the business, which value fills each placeholder, what each button does, and the last sync; no customer data.',
      personal: false,
      purpose: 'Send order notices, staff alerts and reminders by template.',
      retention: { kind: 'basis', period: 'while the business uses the bot' },
      subjectFields: [],
    },
    {
      model: 'SlotClaim',
      collection: 'slot_claims',
      holds:
        'Which seat of which staff member or room is taken in each 5-minute step, and by which appointment (its id); no customer data.',
      personal: false,
      purpose: 'Never book one slot twice, across every process of the bot.',
      retention: {
        kind: 'ttl',
        field: 'expiresAt',
        period: 'until the appointment’s time (and buffer) has passed',
      },
      subjectFields: [],
    },
  ];
}

/** The entries that can hold a customer's data, in erasure order, with the configured periods. */
export function personalData(retention: RetentionSettings = DEFAULT_RETENTION): readonly DataMapEntry[] {
  return dataMap(retention).filter((entry) => entry.personal);
}

/**
 * The map with the default configuration. Its handlers, fields and collections are the same whatever is
 * configured; a text that states periods to a customer must use `dataMap(config)` instead.
 */
export const DATA_MAP: readonly DataMapEntry[] = dataMap();

/** The personal entries of `DATA_MAP` (default periods): see `personalData(config)` for texts. */
export const PERSONAL_DATA: readonly DataMapEntry[] = DATA_MAP.filter((entry) => entry.personal);

/**
 * The models registered on a connection that the data map does not describe, sorted. Empty when every
 * collection is accounted for: a model added without a data-map entry (so without an erasure decision)
 * is caught by test/privacy/data-map.test.ts.
 */
export function unmappedModels(connection: Connection): string[] {
  const mapped = new Set<string>(DATA_MAP.map((entry) => entry.model));
  return connection
    .modelNames()
    .filter((name) => !mapped.has(name))
    .sort();
}
