import { randomBytes, randomInt } from 'node:crypto';

import { nowSeconds } from '../../src/webhook/payloads.js';

// The builders live in src/ so the local simulator posts exactly what the tests post.
export {
  inboundMessage,
  inboundText,
  messagesChange,
  nowSeconds,
  statusUpdate,
} from '../../src/webhook/payloads.js';

export function newWamid(): string {
  return `wamid.E2E${randomBytes(12).toString('hex')}`;
}

/** Rewrites every message and status timestamp in a fixture to now (a fixture's dates are months old). */
export function freshen<T>(payload: T): T {
  const copy = JSON.parse(JSON.stringify(payload)) as T;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.timestamp === 'string') record.timestamp = nowSeconds();
      Object.values(record).forEach(visit);
    }
  };
  visit(copy);
  return copy;
}

/** Random decimal digits, e.g. for ids a test owns alone. */
function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(randomInt(10));
  return out;
}

/** A 15-digit phone number id no other test uses: one business per test keeps tests independent. */
export function newPhoneNumberId(): string {
  return `9${digits(14)}`;
}

/** A customer's wa_id (12 digits) no other test uses. */
export function newWaId(): string {
  return `3${digits(11)}`;
}

/**
 * A business-scoped user id (BSUID) no other test uses, shaped like Meta's (`US.` and digits). Give it with
 * `waId` in the builders' options for a sender whose payload carries both ids, alone for a username user.
 */
export function newUserId(): string {
  return `US.1${digits(18)}`;
}
