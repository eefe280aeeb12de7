/**
 * Finding what a customer meant by a typed name: tolerant of case, accents, small typos, partial
 * words and extra words, and honest about ambiguity. Every step is bounded (query length, name
 * length, a banded edit distance), so a pasted 10,000-character message costs no more than a short one.
 */
import { normaliseForMatch } from './text.js';

/** Longer texts are not names someone typed; they never match (and cost nothing to reject). */
export const MAX_QUERY_LENGTH = 200;
/** Names are compared on their first this-many normalised characters. */
const MAX_NAME_LENGTH = 120;
/** At most this many ambiguous candidates are returned: a button message holds three. */
export const MAX_CANDIDATES = 3;

/** The result of matching typed text against a list of named things. */
export type NameMatch<T> =
  | { kind: 'one'; value: T }
  /** Several equally good matches: `candidates` are the first `MAX_CANDIDATES`, `total` how many there were. */
  | { kind: 'ambiguous'; candidates: T[]; total: number }
  | { kind: 'none' };

interface Prepared {
  full: string;
  compact: string;
  tokens: string[];
}

function prepare(text: string): Prepared {
  const full = normaliseForMatch(text).slice(0, MAX_NAME_LENGTH).trim();
  return { full, compact: full.replace(/ /g, ''), tokens: full.length > 0 ? full.split(' ') : [] };
}

/**
 * How many typos a name of `length` characters tolerates: none under 4 characters ("tea" and "pea"
 * are different drinks), one up to 7 ("diavloa"), two from 8 ("margarita" for "margherita").
 */
export function typoBudget(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * The optimal-string-alignment (restricted Damerau-Levenshtein) distance between `a` and `b`,
 * counting an adjacent transposition as one edit, or `max + 1` when it exceeds `max`. Only the band
 * of width `2 * max + 1` around the diagonal is computed and the loop stops as soon as a whole row
 * exceeds `max`, so the cost is O(length × max), not O(length²). Compares code points, not UTF-16 units.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const n = s.length;
  const m = t.length;
  const over = max + 1;
  if (Math.abs(n - m) > max) return over;
  const at = (row: readonly number[], j: number): number => row[j] ?? over;
  let before: number[] = new Array<number>(m + 1).fill(over);
  let previous: number[] = new Array<number>(m + 1).fill(over);
  for (let j = 0; j <= Math.min(m, max); j += 1) previous[j] = j;
  for (let i = 1; i <= n; i += 1) {
    const current: number[] = new Array<number>(m + 1).fill(over);
    if (i <= max) current[0] = i;
    let rowMin = at(current, 0);
    const si = s[i - 1];
    for (let j = Math.max(1, i - max); j <= Math.min(m, i + max); j += 1) {
      const tj = t[j - 1];
      let value = Math.min(
        at(previous, j) + 1,
        at(current, j - 1) + 1,
        at(previous, j - 1) + (si === tj ? 0 : 1),
      );
      if (i > 1 && j > 1 && si === t[j - 2] && s[i - 2] === tj)
        value = Math.min(value, at(before, j - 2) + 1);
      current[j] = Math.min(value, over);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return over;
    before = previous;
    previous = current;
  }
  return Math.min(at(previous, m), over);
}

/** How well one typed word fits one word of a name: 0 exact, 1 a prefix of 3+ letters, else typos. */
function wordCost(typed: string, word: string): number | undefined {
  if (typed === word) return 0;
  if (typed.length >= 3 && word.startsWith(typed)) return 1;
  const budget = typoBudget(Math.min(typed.length, word.length));
  if (budget === 0) return undefined;
  const distance = boundedDistance(typed, word, budget);
  return distance <= budget ? distance : undefined;
}

/**
 * A score for how well `query` names `name`, lower is better, or undefined for no match. The tens
 * are tiers, so a better kind of match always wins over a closer match of a worse kind:
 * 0 the same name; 1 the same letters without spaces; 10+ the whole name with typos; 20 every typed
 * word is a word of the name ("diavola" in "Pizza Diavola"); 30+ every typed word starts or nearly
 * spells a word of the name ("quat" for "Quattro formaggi"); 40 the whole name inside a longer
 * message ("one margherita please").
 */
function score(query: Prepared, name: Prepared): number | undefined {
  if (name.full.length === 0) return undefined;
  if (query.full === name.full) return 0;
  if (query.compact === name.compact) return 1;
  const budget = typoBudget(name.full.length);
  if (budget > 0) {
    const distance = boundedDistance(query.full, name.full, budget);
    if (distance <= budget) return 10 + distance;
  }
  if (query.tokens.every((typed) => name.tokens.includes(typed))) return 20;
  let total = 0;
  for (const typed of query.tokens) {
    let best: number | undefined;
    for (const word of name.tokens) {
      const cost = wordCost(typed, word);
      if (cost !== undefined && (best === undefined || cost < best)) best = cost;
    }
    if (best === undefined) {
      total = -1;
      break;
    }
    total += best;
  }
  if (total >= 0) return 30 + Math.min(total, 9);
  const whole = name.tokens.every((word) =>
    query.tokens.some((typed) => typed === word || (word.length >= 4 && wordCost(typed, word) !== undefined)),
  );
  return whole ? 40 : undefined;
}

/**
 * The entry `text` names, among `entries` (in display order). Ties at the best score are
 * ambiguous, and the candidates keep display order: asking "which one?" beats guessing, since
 * a wrong item in the cart costs the customer more than one extra tap.
 */
export function matchName<T>(
  entries: readonly T[],
  nameOf: (entry: T) => string,
  text: string,
): NameMatch<T> {
  return matchNames(entries, (entry) => [nameOf(entry)], text);
}

/** Names compared per entry: its name, its names in the five languages and the synonyms a business gave it. */
export const MAX_NAMES_PER_ENTRY = 26;

/**
 * `matchName` for entries known by several names (an item's name and its synonyms: "Cola", "coke",
 * "refresco"): each entry scores as its best-matching name, so an exact synonym beats a typo of
 * another item's name, and an item is never ambiguous with itself.
 */
export function matchNames<T>(
  entries: readonly T[],
  namesOf: (entry: T) => readonly string[],
  text: string,
): NameMatch<T> {
  if (text.length > MAX_QUERY_LENGTH) return { kind: 'none' };
  const query = prepare(text);
  if (query.compact.length < 2) return { kind: 'none' };
  let bestScore = Number.POSITIVE_INFINITY;
  let best: T[] = [];
  for (const entry of entries) {
    let value: number | undefined;
    for (const name of namesOf(entry).slice(0, MAX_NAMES_PER_ENTRY)) {
      const scored = score(query, prepare(name));
      if (scored !== undefined && (value === undefined || scored < value)) value = scored;
    }
    if (value === undefined || value > bestScore) continue;
    if (value < bestScore) {
      bestScore = value;
      best = [];
    }
    best.push(entry);
  }
  const [first] = best;
  if (first === undefined) return { kind: 'none' };
  if (best.length === 1) return { kind: 'one', value: first };
  return { kind: 'ambiguous', candidates: best.slice(0, MAX_CANDIDATES), total: best.length };
}

/** Whether `text` is exactly one of `names`, as typed names are compared (case, accents, spaces aside). */
export function sameName(text: string, names: readonly string[]): boolean {
  const typed = prepare(text);
  if (typed.compact.length === 0) return false;
  return names.some((name) => {
    const other = prepare(name);
    return other.full === typed.full || other.compact === typed.compact;
  });
}
