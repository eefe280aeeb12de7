import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Why a Meta `signed_request` was refused; the reason is safe to log (no payload values). */
export class SignedRequestError extends Error {
  override name = 'SignedRequestError';
}

/** How old a signed request may be (`issued_at`), and how far in the future (clock skew). */
export const SIGNED_REQUEST_MAX_AGE_S = 60 * 60;
const MAX_SKEW_S = 5 * 60;

const payloadSchema = z.object({
  algorithm: z.string(),
  issued_at: z.number().int().positive(),
  user_id: z.string().regex(/^\d{1,32}$/, 'user_id must be a numeric app-scoped id'),
});

function base64url(text: string): Buffer {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new SignedRequestError('not base64url');
  return Buffer.from(text, 'base64url');
}

/**
 * Verifies Meta's `signed_request` (data deletion callback): `base64url(signature).base64url(payload)`,
 * the signature an HMAC-SHA256 of the encoded payload with the app secret, compared in constant time; the
 * payload's algorithm must be HMAC-SHA256, `issued_at` recent, `user_id` the app-scoped id. Returns the id.
 */
export function verifySignedRequest(signedRequest: unknown, appSecret: string, nowMs = Date.now()): string {
  if (typeof signedRequest !== 'string' || signedRequest.length === 0 || signedRequest.length > 4096) {
    throw new SignedRequestError('signed_request missing or too long');
  }
  const parts = signedRequest.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new SignedRequestError('malformed signed_request');
  const [encodedSignature, encodedPayload] = parts as [string, string];
  const signature = base64url(encodedSignature);
  const expected = createHmac('sha256', appSecret).update(encodedPayload).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new SignedRequestError('bad signature');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(base64url(encodedPayload).toString('utf8'));
  } catch {
    throw new SignedRequestError('payload is not JSON');
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new SignedRequestError('payload fields missing or invalid');
  if (parsed.data.algorithm.toUpperCase() !== 'HMAC-SHA256')
    throw new SignedRequestError('unsupported algorithm');
  const age = nowMs / 1000 - parsed.data.issued_at;
  if (age > SIGNED_REQUEST_MAX_AGE_S) throw new SignedRequestError('issued_at too old');
  if (age < -MAX_SKEW_S) throw new SignedRequestError('issued_at in the future');
  return parsed.data.user_id;
}

/** Builds a signed request as Meta does (tests, the simulator). */
export function signRequest(payload: Record<string, unknown>, appSecret: string): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', appSecret).update(encoded).digest('base64url');
  return `${signature}.${encoded}`;
}
