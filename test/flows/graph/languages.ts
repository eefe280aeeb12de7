/**
 * What the language tests of the flow graph check a reply against: the message catalogue, read as
 * templates. A reply whose English version is one catalogue text must be that text in the conversation's
 * language; and no reply in another language may carry a piece of English that the language's own texts
 * never use (a leak from a literal, a fallback or a key looked up in the wrong language).
 */
import { formatMoney } from '../../../src/core/money.js';
import type { FlowEvent, OutboundMessage } from '../../../src/core/vocabulary.js';
import { catalogue } from '../../../src/language/catalogue/index.js';
import { t } from '../../../src/language/i18n.js';
import { LANGUAGES } from '../../../src/language/languages.js';
import type { Language } from '../../../src/language/languages.js';
import { orderStatusPhrase } from '../../../src/language/order-status.js';
import { AI_ANSWER, BUSINESS_NAME, TRACKING_TEXT } from './samples.js';

type Texts = Record<Language, Record<string, string>>;

/** One catalogue text: its key without plural suffix (`ordering:cart.summary`), in every language. */
interface Entry {
  base: string;
  values: Record<Language, string>;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /\{\{\s*\w+\s*\}\}/g;
const LETTER = /\p{L}/u;

export const entries: Entry[] = Object.entries(catalogue).flatMap(([ns, messages]) => {
  const all = messages as Texts;
  return Object.keys(all.en).map((key) => ({
    base: `${ns}:${key.replace(PLURAL, '')}`,
    values: Object.fromEntries(LANGUAGES.map((l) => [l, all[l][key] ?? ''])) as Record<Language, string>,
  }));
});

const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A catalogue text as a pattern matching any rendering of it: each placeholder stands for any text. */
function templateOf(value: string): RegExp {
  return new RegExp(`^${value.split(PLACEHOLDER).map(escape).join('[\\s\\S]*?')}$`, 'u');
}

/** Letters a text has outside its placeholders: a template of only placeholders identifies nothing. */
const literalLetters = (value: string) =>
  [...value.replace(PLACEHOLDER, '')].filter((c) => LETTER.test(c)).length;

const templates = entries
  .filter(({ values }) => literalLetters(values.en) >= 3)
  .map(({ base, values }) => ({
    base,
    en: templateOf(values.en),
    by: Object.fromEntries(LANGUAGES.map((l) => [l, templateOf(values[l])])) as Record<Language, RegExp>,
  }));

const identified = new Map<string, string[]>();

/** The catalogue keys an English reply is exactly one rendering of (none for a composed reply). */
export function keysOf(english: string): string[] {
  let keys = identified.get(english);
  if (!keys) {
    keys = [...new Set(templates.filter(({ en }) => en.test(english)).map(({ base }) => base))];
    identified.set(english, keys);
  }
  return keys;
}

/** Whether `text` is a rendering, in `language`, of one of the catalogue texts `keys`. */
export function rendersOneOf(text: string, keys: readonly string[], language: Language): boolean {
  return templates.some(({ base, by }) => keys.includes(base) && by[language].test(text));
}

/**
 * The English pieces of the catalogue (texts cut at placeholders, line breaks and bold marks, trimmed of
 * punctuation) that a language never uses itself: none of its own texts contains them. A piece needs three
 * letters; texts the same in both languages ("OK", "Pizza", emoji) give nothing.
 */
function englishOnly(language: Language): string[] {
  const own = entries.map(({ values }) => values[language]);
  const pieces = new Set<string>();
  for (const { values } of entries) {
    if (values.en === values[language]) continue;
    for (const part of values.en.split(/\{\{\s*\w+\s*\}\}|\n|\*|_/)) {
      const piece = part.replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '');
      if ([...piece].filter((c) => LETTER.test(c)).length < 3) continue;
      if (own.some((text) => contains(text, piece))) continue;
      pieces.add(piece);
    }
  }
  return [...pieces];
}

/** `piece` in `text` as whole words ("Order" is not in "Orders"). */
function contains(text: string, piece: string): boolean {
  let from = text.indexOf(piece);
  while (from !== -1) {
    const before = text[from - 1];
    const after = text[from + piece.length];
    if (!(before && LETTER.test(before)) && !(after && LETTER.test(after))) return true;
    from = text.indexOf(piece, from + 1);
  }
  return false;
}

const ENGLISH_ONLY = Object.fromEntries(
  LANGUAGES.map((l) => [l, l === 'en' ? [] : englishOnly(l)]),
) as Record<Language, string[]>;

/** The English-only catalogue pieces in a text said in `language` (none for English). */
export function englishIn(text: string, language: Language): string[] {
  return ENGLISH_ONLY[language].filter((piece) => contains(text, piece));
}

/** Every text of a message a customer reads, with where it is: body, header, footer, buttons, rows. */
export function readable(message: OutboundMessage): Array<{ where: string; text: string }> {
  const texts: Array<{ where: string; text: string | undefined }> = [];
  switch (message.type) {
    case 'reply.text':
      texts.push({ where: 'text', text: message.text });
      break;
    case 'reply.buttons':
      texts.push({ where: 'text', text: message.text });
      texts.push({ where: 'header', text: message.header }, { where: 'footer', text: message.footer });
      message.buttons.forEach((b, i) => texts.push({ where: `button ${i + 1}`, text: b.title }));
      break;
    case 'reply.list':
      texts.push({ where: 'text', text: message.text }, { where: 'list button', text: message.button });
      texts.push({ where: 'header', text: message.header }, { where: 'footer', text: message.footer });
      message.sections.forEach((section, s) => {
        texts.push({ where: `section ${s + 1}`, text: section.title });
        section.rows.forEach((row, r) => {
          texts.push({ where: `row ${s + 1}.${r + 1}`, text: row.title });
          texts.push({ where: `row ${s + 1}.${r + 1} description`, text: row.description });
        });
      });
      break;
    case 'reply.document':
      texts.push({ where: 'caption', text: message.caption });
      break;
    case 'reply.template':
      break;
  }
  return texts.flatMap(({ where, text }) => (text === undefined ? [] : [{ where, text }]));
}

/**
 * The sample actor outcomes (test/flows/graph/samples.ts) as the services would give them in `language`:
 * the texts the services write (orders list, privacy answers, an AI's answer) from the catalogue, so that
 * what the flow says around them can be checked alone. Everything else passes unchanged.
 */
export function localised(event: FlowEvent, language: Language): FlowEvent {
  if (language === 'en' || !('output' in event)) return event;
  const said = serviceTexts(language);
  // Objects with nothing to swap stay the same objects: the graph names a catalog by identity.
  const swap = (value: unknown): unknown => {
    if (typeof value === 'string') return said.get(value) ?? value;
    if (Array.isArray(value)) {
      const swapped = value.map(swap);
      return swapped.some((v, i) => v !== value[i]) ? swapped : value;
    }
    if (value && typeof value === 'object') {
      const pairs = Object.entries(value).map(([k, v]) => [k, swap(v)] as const);
      const own = value as Record<string, unknown>;
      return pairs.some(([k, v]) => v !== own[k]) ? Object.fromEntries(pairs) : value;
    }
    return value;
  };
  // xstate's done events carry an `output` the machine's event type does not list (see outputOf).
  const done = event as unknown as { type: string; output: unknown };
  return { ...done, output: swap(done.output) } as unknown as FlowEvent;
}

/** What an AI would answer in each language (it is asked to answer in the customer's). */
const AI_ANSWERS: Record<Language, string> = {
  en: AI_ANSWER,
  es: 'Abrimos todos los días de 11:00 a 23:00, y hacemos entregas.',
  pt: 'Abrimos todos os dias das 11:00 às 23:00, e fazemos entregas.',
  fr: 'Nous sommes ouverts tous les jours de 11:00 à 23:00, et nous livrons.',
  de: 'Wir haben täglich von 11:00 bis 23:00 Uhr geöffnet und liefern auch.',
};

const serviceTextCache = new Map<Language, Map<string, string>>();

function serviceTexts(language: Language): Map<string, string> {
  let said = serviceTextCache.get(language);
  if (said) return said;
  const business = BUSINESS_NAME;
  const code = 'PRV-0001';
  said = new Map<string, string>([
    [
      TRACKING_TEXT,
      t(language, 'tracking:orders.list', {
        lines: t(language, 'tracking:orders.line', {
          number: 1001,
          status: orderStatusPhrase(language, 'placed'),
          total: formatMoney(900, 'EUR', language),
          date: '2025-05-01',
        }),
      }),
    ],
    ["You haven't placed any orders here yet.", t(language, 'tracking:orders.none')],
    [
      '*Your data with Casa Lúcia*\n• Your profile: name Ana',
      t(language, 'privacy:summary.title', { business, code }),
    ],
    ['Your data with Casa Lúcia (PRV-0001)', t(language, 'privacy:access.caption', { business, code })],
    ['*Delete your data with Casa Lúcia?*', t(language, 'privacy:erase.offer.title', { business, code })],
    ['Your data is being deleted already.', t(language, 'privacy:erase.inProgress', { code })],
    [AI_ANSWER, AI_ANSWERS[language]],
  ]);
  serviceTextCache.set(language, said);
  return said;
}
