/**
 * Whether a write failed only because the records already exist (E11000 on every failed document): the
 * retry of an idempotent insert, not an error. Duck-typed: mongoose may bring its own copy of the driver's
 * error classes. Anything else (a validation error, a lost connection) is not a duplicate.
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  if (e.code === 11000) return true;
  const writeErrors = e.writeErrors ?? [];
  return writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000);
}
