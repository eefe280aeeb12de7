/** What the verification scan looks for in one document. */
export interface ScanTarget {
  /** Exact identifiers: wa_id with and without "+", user id, the subject key. Matched as substrings. */
  needles: string[];
  /** The customer's name (whole, case-insensitive, on word boundaries). */
  name?: string | undefined;
  subjectKey: string;
  /** Top-level fields kept on purpose after anonymisation (order items...): not scanned. */
  skip: Set<string>;
  /** Top-level fields where the subject key may remain (the request's own subjectKey, the tombstone). */
  allowKeyIn: Set<string>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The dotted paths of a document's fields that still hold one of the subject's identifiers. Values are
 * never returned, only where they are, so the result can be logged and stored in the receipt.
 */
export function findIdentifiers(doc: Record<string, unknown>, target: ScanTarget): string[] {
  const namePattern = target.name
    ? new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(target.name)}($|[^\\p{L}\\p{N}])`, 'iu')
    : undefined;
  const hits = new Set<string>();
  const visit = (value: unknown, path: string, top: string): void => {
    if (typeof value === 'string') {
      for (const needle of target.needles) {
        if (!value.includes(needle)) continue;
        if (needle === target.subjectKey && target.allowKeyIn.has(top)) continue;
        hits.add(path);
      }
      if (namePattern?.test(value)) hits.add(path);
      return;
    }
    if (typeof value === 'number' || typeof value === 'bigint') {
      // A wa_id stored as a number is still the number (as a BSON Long is, below).
      const text = String(value);
      if (target.needles.some((n) => text.includes(n))) hits.add(path);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item) => visit(item, path, top));
      return;
    }
    if (value && typeof value === 'object' && !(value instanceof Date)) {
      // BSON values (ObjectId, Binary, Long...) are not free text; plain objects are walked.
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        const text = (value as { toString(): string }).toString();
        if (target.needles.some((n) => text.includes(n))) hits.add(path);
        return;
      }
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        visit(inner, path ? `${path}.${key}` : key, top || key);
      }
    }
  };
  for (const [key, value] of Object.entries(doc)) {
    if (target.skip.has(key)) continue;
    visit(value, key, key);
  }
  return [...hits];
}
