/**
 * Whether a write failed only because the records already exist (E11000 on every failed document): the
 * retry of an idempotent insert, not an error. Duck-typed: mongoose may bring its own copy of the driver's
 * error classes. Anything else (a validation error, a lost connection) is not a duplicate.
 *
 * A bulk write error carries the first failed document's code as its own, so when it lists write errors
 * they decide: a batch where one document was a duplicate and another broke a validator is not "only
 * duplicates".
 */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: unknown };
  const writeErrors: unknown[] = Array.isArray(e.writeErrors)
    ? e.writeErrors
    : e.writeErrors === undefined || e.writeErrors === null
      ? []
      : [e.writeErrors];
  if (writeErrors.length > 0) {
    return writeErrors.every((w) => (w as { code?: unknown } | null)?.code === 11000);
  }
  return e.code === 11000;
}
