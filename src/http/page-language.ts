import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES } from '../language/languages.js';
import type { Language } from '../language/languages.js';

/** `es-MX` → `es`, `PT_br` → `pt`: the part of a language tag that names the language. */
const primarySubtag = (tag: string): string => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';

/**
 * The language of a public page: `?lang=xx` when it names one of ours, else the best of ours in the
 * browser's `Accept-Language`, else English. `lang` is whatever the query parser made of it (a string, an
 * array, an object, nothing): only a plain string naming one of our languages (`es`, `es-MX`) counts.
 */
export function pageLanguage(lang: unknown, acceptLanguage: string | undefined): Language {
  const asked = typeof lang === 'string' ? primarySubtag(lang) : undefined;
  if (isLanguage(asked)) return asked;
  return acceptedLanguage(acceptLanguage) ?? DEFAULT_LANGUAGE;
}

/**
 * The language of ours the browser prefers: every entry of `Accept-Language` (`es-MX,es;q=0.9,en;q=0.5`)
 * counts for its primary subtag; the highest quality wins, the earlier entry on a tie; `q=0` means "not
 * this one". `*` and languages we do not speak are skipped. `undefined` when none of ours is accepted.
 */
export function acceptedLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  let best: { language: Language; q: number } | undefined;
  // A browser sends a handful of entries; a longer header is cut rather than parsed at length.
  for (const entry of header.slice(0, 512).split(',').slice(0, 32)) {
    const [tag = '', ...params] = entry.split(';').map((part) => part.trim());
    const code = primarySubtag(tag);
    if (!isLanguage(code)) continue;
    const q = quality(params);
    if (q <= 0) continue;
    if (!best || q > best.q) best = { language: code, q };
  }
  return best?.language;
}

/** An entry's `q=` value (1 when absent; 0, i.e. refused, when malformed or out of range). */
function quality(params: readonly string[]): number {
  const param = params.find((p) => /^q\s*=/i.test(p));
  if (param === undefined) return 1;
  const value = param.replace(/^q\s*=\s*/i, '');
  if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return 0;
  return Number(value);
}

/** Our languages other than `language`, in their usual order: the links a page offers. */
export function otherLanguages(language: Language): Language[] {
  return LANGUAGES.filter((l) => l !== language);
}
