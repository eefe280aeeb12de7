import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret (token, key) with the expected one in constant time, whatever their
 * lengths: both are hashed first, so neither the content nor the length leaks through timing.
 */
export function sameSecret(given: string, expected: string): boolean {
  if (expected.length === 0) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
