/**
 * Whether a write failed only because the records already exist (E11000 on every failed document): the
 * retry of an idempotent insert, not an error. Duck-typed: mongoose may bring its own copy of the driver's
 * error classes. Anything else (a validation error, a lost connection) is not a duplicate.
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  // A bulk write error takes its top-level code from the first failed document: a batch where one record
  // was a duplicate and another failed otherwise must be judged by every write error, not by that code.
  const writeErrors = e.writeErrors ?? [];
  if (writeErrors.length > 0) return writeErrors.every((w) => w.code === 11000);
  return e.code === 11000;
}
