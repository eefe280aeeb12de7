import { isAscii } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Outcome of checking `X-Hub-Signature-256`. On success, `via` says which form of the body matched, so the
 * route can log it (the escaped path is the one the sources disagree about; see the fact sheet, section 3).
 * On failure, `reason` says why without ever carrying the expected signature: echoing it would hand a
 * forger the value to send.
 */
export type SignatureCheck =
  { ok: true; via: 'raw' | 'escaped' } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

/**
 * The only header form Meta sends: `sha256=` and 64 lowercase hex digits, nothing around it.
 * Uppercase hex is rejected as malformed on purpose: Meta documents and sends lowercase, and every reference
 * implementation (whatsapp-api-js, Meta's Node SDK, BuilderBot) compares against lowercase hex, so accepting
 * another spelling would only widen what a sender may put in this header. Whitespace is not trimmed either:
 * Node's HTTP parser already strips the optional whitespace around header values, so anything left is not
 * from Meta.
 */
const HEADER_PATTERN = /^sha256=([0-9a-f]{64})$/;

/**
 * Every UTF-16 code unit outside U+0000..U+007E, exactly the set whatsapp-api-js's `escapeUnicode`
 * replaces (it also escapes DEL, U+007F; kept for parity with the one library known to need this path).
 * Without the `u` flag the regex walks code units, so an astral character becomes its two surrogates.
 */
const NON_ASCII_CODE_UNIT = /[\u007f-\uffff]/g;

function assertSecret(appSecret: string): void {
  if (appSecret.length === 0) {
    // An empty key would make every signature forgeable by anyone who guesses it; fail loudly instead.
    throw new TypeError('appSecret must be a non-empty string');
  }
}

function hmac(body: Buffer, appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update(body).digest();
}

/**
 * The body as whatsapp-api-js hashes it: decoded as UTF-8, each non-ASCII code unit replaced by `\uXXXX`
 * with lowercase hex. Invalid UTF-8 decodes to U+FFFD first, as it would in any string-based verifier.
 */
function escapeNonAscii(rawBody: Buffer): Buffer {
  const escaped = rawBody
    .toString('utf8')
    .replace(NON_ASCII_CODE_UNIT, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(escaped, 'utf8');
}

function sameDigest(provided: Buffer, expected: Buffer): boolean {
  // timingSafeEqual throws on different lengths; the header pattern makes this always 32 bytes, but the
  // check keeps that a local guarantee instead of a distant one.
  return provided.length === expected.length && timingSafeEqual(provided, expected);
}

/**
 * Verifies Meta's `X-Hub-Signature-256` header against the exact bytes received.
 *
 * Why bytes: hashing `JSON.stringify(JSON.parse(body))` fails for bodies with `\u00e9` or `\/` escapes,
 * because re-serialising drops them (whatsapp-api-js#290/#380, tawn33y/whatsapp-cloud-api#60). Pass the
 * Buffer from `express.raw()` untouched.
 *
 * When the raw bytes do not match and the body contains non-ASCII bytes (>= 0x80), it retries once over the
 * `\uXXXX`-escaped form, because Meta's docs say the signature covers an escaped-unicode payload and
 * whatsapp-api-js hashes that form. An ASCII-only body never takes the second path: its escaped form is
 * the same bytes.
 *
 * What happens if: the header is absent or empty → `missing`; it is not exactly `sha256=<64 lowercase hex>`
 * → `malformed` (no HMAC is computed); neither form matches → `mismatch`. The route answers 401/403 for
 * all three. Digests are compared with `crypto.timingSafeEqual`.
 *
 * @throws TypeError when `appSecret` is empty (a configuration bug, not a bad request).
 */
export function verifySignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): SignatureCheck {
  assertSecret(appSecret);
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };

  const hex = HEADER_PATTERN.exec(header)?.[1];
  if (hex === undefined) return { ok: false, reason: 'malformed' };
  const provided = Buffer.from(hex, 'hex');

  if (sameDigest(provided, hmac(rawBody, appSecret))) return { ok: true, via: 'raw' };
  if (!isAscii(rawBody) && sameDigest(provided, hmac(escapeNonAscii(rawBody), appSecret))) {
    return { ok: true, via: 'escaped' };
  }
  return { ok: false, reason: 'mismatch' };
}

/**
 * The `X-Hub-Signature-256` value Meta would send for these bytes (`sha256=` + lowercase hex HMAC-SHA256
 * keyed with the app secret). For tests, the local simulator and benchmarks: sign the exact bytes you then
 * send. A string is encoded as UTF-8 first, so pass the same string you put on the wire.
 *
 * @throws TypeError when `appSecret` is empty.
 */
export function signBody(rawBody: Buffer | string, appSecret: string): string {
  assertSecret(appSecret);
  const bytes = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return `sha256=${hmac(bytes, appSecret).toString('hex')}`;
}
