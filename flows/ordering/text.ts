/**
 * Text helpers shared by the ordering building blocks: fitting names into Meta's short fields, and
 * normalising what customers type. Pure and dependency-free, because `flows/` may not import
 * `src/` beyond `src/conversation/types.ts` (STYLE.md §2).
 */

/**
 * How a price is shown to people: minor units and an ISO 4217 code in, display text out.
 * Taken as a parameter instead of imported, so flows stay free of `src/businesses/` and the runner
 * decides the locale; `src/businesses/money.ts`'s `formatMoney` fits this signature as it is.
 */
export type FormatMoney = (minor: number, currency: string) => string;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Collapses every run of whitespace (newlines included) into one space: titles are a single line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * `text` on one line, cut to at most `max` UTF-16 code units with "…" at the end when it was longer.
 * Why graphemes: a cut inside an emoji or a base letter plus its accent would send broken text.
 * Only the first `max + 16` code units are segmented, so the work is bounded whatever the input.
 */
export function truncate(text: string, max: number): string {
  const flat = oneLine(text);
  if (flat.length <= max) return flat;
  let cut = 0;
  for (const { index, segment } of graphemes.segment(flat.slice(0, max + 16))) {
    const end = index + segment.length;
    if (end > max - 1) break;
    cut = end;
  }
  return `${flat.slice(0, cut).trimEnd()}…`;
}

/** `truncate`, but never blank: Meta rejects blank titles, and a catalog name could be only spaces. */
export function label(text: string, max: number, fallback = 'Item'): string {
  const title = truncate(text, max);
  return title.length > 0 ? title : truncate(fallback, max);
}

/**
 * Titles of at most `max` characters that are all different: Meta rejects a button message whose
 * titles repeat, which two items named alike ("Coke", "Coke") or cut alike would otherwise produce.
 * Repeats get a " (2)", " (3)"… suffix, keeping the start of the name readable.
 */
export function uniqueTitles(names: readonly string[], max: number): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let title = label(name, max);
    for (let n = 2; used.has(title); n += 1) {
      const suffix = ` (${n})`;
      title = `${label(name, max - suffix.length)}${suffix}`;
    }
    used.add(title);
    return title;
  });
}

/**
 * Multi-line `text` cut to at most `max` characters: whole lines are kept while they fit, then "…".
 * A last guard for interactive bodies (1024 characters), whose content is already bounded line by line.
 */
export function clampText(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const lastBreak = head.lastIndexOf('\n');
  const kept = lastBreak > max / 2 ? head.slice(0, lastBreak) : truncate(head, max - 1).replace(/…$/, '');
  return `${kept.trimEnd()}…`;
}

/**
 * Typed text as the matchers compare it: lower case, accents removed ("Tiramisù" → "tiramisu"), a few
 * letters that do not decompose spelled out ("ß" → "ss"), punctuation as spaces, single spaces.
 * The same rules as `normalise` in `src/conversation/intents.ts`, plus the spelled-out letters; copied
 * because flows may not import it.
 */
export function normaliseForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
