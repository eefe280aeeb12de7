import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Model } from 'mongoose';
import type { Models } from '../db/models/index.js';
import { REVOKED_KEY_RETENTION_DAYS } from '../db/models/api-key.model.js';
import { ERASURE_TOMBSTONE_DAYS } from '../db/models/suppression.model.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What one erasure step did in one collection: counts only, with the basis and end date of what it kept. */
export interface ErasureOutcome {
  deleted: number;
  anonymised: number;
  kept: number;
  basis?: string;
  keptUntil?: Date;
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

/** The map itself, in erasure order: stop messages first, then delete, then anonymise what must be kept. */
export const DATA_MAP: readonly DataMapEntry[] = [
  {
    model: 'Suppression',
    collection: 'suppressions',
    holds: 'Opt-outs and erasure tombstones: the customer key, the reason, the date.',
    personal: true,
    purpose: 'Honour "stop" and stop scheduled messages after an erasure.',
    retention: {
      kind: 'ttl',
      field: 'expiresAt',
      period: `opt-outs until "start"; erasure tombstones ${ERASURE_TOMBSTONE_DAYS} days`,
    },
    subjectFields: ['_id'],
    subjectKeyAllowed: true,
    // Written first: nothing scheduled reaches the customer while the rest is deleted.
    erase: async ({ models, phoneNumberId, subjectKey, now }) => {
      await models.Suppression.updateOne(
        { _id: subjectKey },
        {
          $set: {
            phoneNumberId,
            reason: 'erased',
            createdAt: now,
            expiresAt: new Date(now.getTime() + ERASURE_TOMBSTONE_DAYS * DAY_MS),
          },
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
    retention: { kind: 'ttl', field: 'expiresAt', period: 'idle conversations 7 days; carts 24 hours' },
    subjectFields: ['_id'],
    createdField: 'createdAt',
    erase: deleteAll('Conversation', '_id', 'createdAt'),
  },
  {
    model: 'Inbox',
    collection: 'inbox',
    holds: 'Received messages: ids, times and status; the text, sealed, only until it is handled.',
    personal: true,
    purpose: 'Answer each message exactly once and in order.',
    retention: { kind: 'ttl', field: 'expiresAt', period: '30 days' },
    subjectFields: ['customerRef'],
    createdField: 'receivedAt',
    erase: deleteAll('Inbox', 'customerRef', 'receivedAt'),
  },
  {
    model: 'Outbox',
    collection: 'outbox',
    holds: 'Replies and their delivery statuses; the text, sealed, only until it is sent.',
    personal: true,
    purpose: 'Send each reply once, within WhatsApp’s 24-hour window; show delivery.',
    retention: { kind: 'ttl', field: 'expiresAt', period: '30 days' },
    subjectFields: ['customerRef'],
    createdField: 'createdAt',
    erase: deleteAll('Outbox', 'customerRef', 'createdAt'),
  },
  {
    model: 'Customer',
    collection: 'customers',
    holds: 'The WhatsApp number or user id to reply to, the profile name, saved addresses (sealed).',
    personal: true,
    purpose: 'Reply to the customer; recognise them; offer their saved delivery addresses.',
    retention: {
      kind: 'ttl',
      field: 'expiresAt',
      period: 'CUSTOMER_RETENTION_DAYS after the last message (365)',
    },
    subjectFields: ['_id'],
    createdField: 'createdAt',
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
      period: 'CUSTOMER_RETENTION_DAYS after the last message, plus a day (365)',
    },
    subjectFields: ['ref'],
    createdField: 'createdAt',
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
      period:
        'per business, default 10 years (accounting law); the delivery address and note 30 days after the order is finished',
    },
    subjectFields: ['customerRef'],
    keptFields: ['items', 'orderNumber', 'totalMinor', 'currency', 'statusHistory', 'fulfilment'],
    createdField: 'placedAt',
    // Kept for the business's accounting, anonymised: a fresh random token replaces the customer's key, so
    // the kept orders cannot be linked back to them or to each other; address and note are removed.
    erase: async ({ models, phoneNumberId, subjectKey, now, since }) => {
      const orders = await models.Order.find(
        { customerRef: subjectKey, phoneNumberId, ...createdBy('placedAt', since) },
        { _id: 1, retainUntil: 1 },
      )
        .lean()
        .exec();
      let anonymised = 0;
      let keptUntil: Date | undefined;
      for (const order of orders) {
        const res = await models.Order.updateOne(
          { _id: order._id, customerRef: subjectKey },
          {
            $set: { customerRef: `anon:${randomBytes(16).toString('base64url')}`, anonymisedAt: now },
            $unset: { deliveryAddress: 1, note: 1 },
          },
        ).exec();
        anonymised += res.modifiedCount;
        if (order.retainUntil && (!keptUntil || order.retainUntil > keptUntil)) keptUntil = order.retainUntil;
      }
      return {
        ...none,
        anonymised,
        kept: anonymised,
        basis:
          'accounting records (items, amounts, dates, order number), without name, phone, address or chat',
        ...(keptUntil ? { keptUntil } : {}),
      };
    },
  },
  {
    model: 'AiCall',
    collection: 'ai_calls',
    holds: 'Calls to the AI provider: time, purpose, model, token counts, outcome; never the text.',
    personal: true,
    purpose: 'Show the business what the AI was used for; enforce its daily token budget.',
    retention: { kind: 'ttl', field: 'expiresAt', period: '1 year' },
    subjectFields: ['customerRef'],
    createdField: 'at',
    erase: deleteAll('AiCall', 'customerRef', 'at'),
  },
  {
    model: 'PrivacyRequest',
    collection: 'privacy_requests',
    holds: 'Privacy requests and receipts: type, status, dates, code, counts; the customer key, no values.',
    personal: true,
    purpose: 'Show that each request was answered in time (accountability).',
    retention: { kind: 'ttl', field: 'expiresAt', period: '3 years' },
    subjectFields: ['subjectKey'],
    subjectKeyAllowed: true,
    erase: async ({ models, phoneNumberId, subjectKey }) => {
      const kept = await models.PrivacyRequest.countDocuments({ subjectKey, phoneNumberId }).exec();
      return { ...none, kept, basis: 'proof that requests were answered (GDPR Art. 5(2)), 3 years' };
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
    retention: { kind: 'ttl', field: 'expiresAt', period: '3 years' },
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
];

/** The entries that can hold a customer's data, in erasure order. */
export const PERSONAL_DATA = DATA_MAP.filter((entry) => entry.personal);

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
