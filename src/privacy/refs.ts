import { createHmac } from 'node:crypto';

/**
 * A keyed hash that stands for a customer of one business wherever only a reference is needed (inbox,
 * outbox, logs): HMAC-SHA256 of the business number and the customer key with PRIVACY_PEPPER. Without the
 * pepper it cannot be reversed by trying phone numbers, and the same person at two businesses gets two
 * unrelated references.
 */
export function customerRef(pepper: string, phoneNumberId: string, customerKey: string): string {
  return createHmac('sha256', pepper).update(`${phoneNumberId}\u0000${customerKey}`).digest('base64url');
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
