/**
 * Who a customer is, written once: the ids Meta gives (`wa_id`, the business-scoped user id), the
 * conversation key built from them, and the keyed references that stand for a customer, a message or a
 * step wherever the real id must not be kept. Pure (node:crypto only), so the webhook, the engine, the
 * customer aliases and the tests compute the same key the same way.
 */
import { createHmac } from 'node:crypto';

/**
 * Who wrote, scoped to the business number that received it. `waId` can be absent since Meta's 2026
 * business-scoped user ids (BSUID): then `userId` identifies the customer.
 */
export interface CustomerIdentity {
  waId?: string;
  userId?: string;
  /** The WhatsApp profile name, as Meta sends it. */
  profileName?: string;
}

/** The ids Meta gives for a customer; at least one is needed to name them. */
export interface CustomerIds {
  waId?: string | undefined;
  userId?: string | undefined;
  /** Accepted (a whole `CustomerIdentity` may be passed) but never part of an identity. */
  profileName?: string | undefined;
}

/** Treats `""` like an absent id: an empty sender id identifies nobody. */
export const presentId = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/**
 * The conversation key the bot used before aliases existed, and still the first reference of a new
 * customer: `<phoneNumberId>:bsuid:<userId>` when the BSUID is known, otherwise `<phoneNumberId>:wa:<waId>`.
 * Each part is URI-encoded, so no pair of ids can produce another pair's key.
 *
 * Why the BSUID first: it is on every 2026-era payload, while `wa_id` disappears for a username user who
 * has not written to the business's number in 30 days. Which key a customer ends up under matters less
 * now: `CustomerIdentities` (src/customers/identity.ts) maps every id of a customer to one reference,
 * whichever came first.
 *
 * @throws TypeError when the customer has neither id (`parseWebhook` never returns such a message).
 */
export function customerKey(phoneNumberId: string, customer: CustomerIds): string {
  const business = encodeURIComponent(phoneNumberId);
  const userId = presentId(customer.userId);
  if (userId !== undefined) return `${business}:bsuid:${encodeURIComponent(userId)}`;
  const waId = presentId(customer.waId);
  if (waId !== undefined) return `${business}:wa:${encodeURIComponent(waId)}`;
  throw new TypeError('customerKey needs a customer with a userId or a waId');
}

/**
 * A keyed hash that stands for a customer of one business wherever only a reference is needed (inbox,
 * outbox, logs): HMAC-SHA256 of the business number and the customer key with PRIVACY_PEPPER. Without the
 * pepper it cannot be reversed by trying phone numbers, and the same person at two businesses gets two
 * unrelated references.
 */
export function customerRef(pepper: string, phoneNumberId: string, key: string): string {
  return createHmac('sha256', pepper).update(`${phoneNumberId}\u0000${key}`).digest('base64url');
}

/**
 * The keyed reference of a customer's ids as they stand, without aliases: {@link customerRef} of
 * {@link customerKey}. The reference a new customer gets, and the one data stored before aliases sits under.
 *
 * @throws TypeError when the customer has neither id.
 */
export function keyedCustomerRef(pepper: string, phoneNumberId: string, customer: CustomerIds): string {
  return customerRef(pepper, phoneNumberId, customerKey(phoneNumberId, customer));
}

/**
 * What a record keeps instead of one of Meta's message ids where the id must not stay (a wamid is base64 of
 * the customer's number): a keyed hash, still unique per message, marked with its `hmac:` prefix.
 */
export function hashedWamid(pepper: string, wamid: string): string {
  return `hmac:${createHmac('sha256', pepper).update(`wamid\u0000${wamid}`).digest('base64url')}`;
}

/** A short keyed hash of any identifier for log lines (e.g. an admin number), never the value itself. */
export function logRef(pepper: string, value: string): string {
  return createHmac('sha256', pepper).update(`log\u0000${value}`).digest('base64url').slice(0, 12);
}

/**
 * The key of one step of a conversation: a keyed hash of the inbound id (the wamid, or a system event's id)
 * that the step's effects derive their idempotency keys from. The wamid itself encodes the sender's number,
 * so records kept for years (orders, privacy requests) hold only this.
 */
export function stepRef(pepper: string, inboundId: string): string {
  return createHmac('sha256', pepper).update(`step\u0000${inboundId}`).digest('base64url');
}
