/**
 * Quantities and items in one typed message: "2 diavola", "dos margaritas y una cola", "2x cola",
 * "three margheritas and a coke", "helo can i get 2 margarita and a coke pls". Pure functions: the
 * message is split into parts, each with the quantity it was written with and the words naming the
 * item; `readOrder` then matches those words against the catalog's available items (names and synonyms).
 *
 * Bounded: a message over `MAX_ORDER_TEXT` characters is not read as an order, and at most
 * `MAX_ORDER_PARTS` parts are kept, so a pasted essay costs no more than a short message.
 */
import { normalise } from '../../src/core/normalise.js';
import { MAX_QUANTITY, NUMBER_WORDS } from './cart.js';
import { availableItems, matchCategoryName, namesOf } from './catalog.js';
import type { CatalogItemView, CatalogView } from './catalog.js';
import { matchNames, sameName } from './match.js';
import { DEFAULT_LANGUAGE } from '../../src/language/languages.js';
import type { Language } from '../../src/language/languages.js';

/** Longer messages are not orders someone typed (and reading them would cost more matching). */
export const MAX_ORDER_TEXT = 300;
/** Items read from one message at most: more than anyone types, few enough to match quickly. */
export const MAX_ORDER_PARTS = 10;

/** How a quantity was written: digits or "2x", a number word ("dos", "three"), or an article ("a", "una"). */
export type QuantityWording = 'digits' | 'word' | 'article';

/** One part of a typed order: "2 margheritas" in "2 margheritas and a coke". */
export interface OrderPart {
  /** The quantity written before (or "x2" after) the item, when there was one. */
  quantity?: number;
  wording?: QuantityWording;
  /** The words naming the item, without the quantity and the words around it ("please", "quiero"). */
  phrase: string;
  /**
   * The same with a number word kept ("cuatro quesos"): when that is an item's whole name, the number
   * word was part of the name, not a quantity.
   */
  whole: string;
  /** The word that joined this part to the one before ("and", "y", "und"), not a comma: "fish and chips". */
  joiner?: string;
}

/** Indefinite articles, which mean one: "a coke", "una cola", "um café", "une bière", "ein Wasser". */
const ARTICLES = new Set([
  'a',
  'an',
  'un',
  'una',
  'uno',
  'um',
  'uma',
  'une',
  'ein',
  'eine',
  'einen',
  'einem',
]);

/**
 * Number words 1–10 in the five languages (accents removed), as quantities: the cart's own list
 * (`NUMBER_WORDS`, cart.ts) without zero and without the articles, which are read as "one" apart (below).
 */
const QUANTITY_WORDS: ReadonlyMap<string, number> = new Map(
  [...NUMBER_WORDS].filter(([word, value]) => value > 0 && !ARTICLES.has(word)),
);

/** Words that join the items of an order: and, y, e, et, und (commas, "&" and "+" too). */
const AND_WORDS = new Set(['and', 'y', 'e', 'et', 'und', 'plus']);

/**
 * Words around an order that name no item: greetings, "please", "I want", "quiero", "je voudrais",
 * "ich möchte", definite articles. Dropped at the edges of a part, so "a coke pls" reads as "coke" and a
 * part made only of them ("hola", "por favor") is no item at all.
 */
const FILLER = new Set([
  // English
  ...['hi', 'hello', 'helo', 'hey', 'hiya', 'good', 'morning', 'afternoon', 'evening', 'please', 'pls'],
  ...['plz', 'thanks', 'thank', 'you', 'thx', 'i', 'd', 'm', 'want', 'would', 'like', 'can', 'could', 'may'],
  ...['get', 'have', 'take', 'give', 'me', 'us', 'we', 'need', 'order', 'to', 'the', 'some', 'just', 'also'],
  ...['of', 'for', 'more', 'another', 'add', 'ok', 'okay', 'so'],
  // Spanish
  ...['hola', 'buenas', 'buenos', 'dias', 'tardes', 'noches', 'quiero', 'quisiera', 'queria', 'dame', 'da'],
  ...['das', 'ponme', 'pon', 'puedo', 'puede', 'pedir', 'para', 'por', 'favor', 'porfa', 'gracias', 'el'],
  ...['la', 'los', 'las', 'de', 'del', 'tambien', 'mas', 'otra', 'otro', 'vale'],
  // Portuguese
  ...['ola', 'oi', 'bom', 'dia', 'boa', 'tarde', 'noite', 'quero', 'gostaria', 'manda', 'pode', 'obrigado'],
  ...['obrigada', 'o', 'os', 'as', 'do', 'da', 'mais', 'outra', 'outro', 'encomendar'],
  // French
  ...['bonjour', 'salut', 'bonsoir', 'je', 'voudrais', 'veux', 'prends', 'prendre', 'commander', 's', 'il'],
  ...['vous', 'plait', 'svp', 'merci', 'le', 'les', 'des', 'du', 'aussi', 'pour', 'nous', 'encore', 'j'],
  // German
  ...['hallo', 'guten', 'tag', 'abend', 'morgen', 'ich', 'mochte', 'moechte', 'hatte', 'haette', 'gern'],
  ...['gerne', 'nehme', 'bitte', 'danke', 'bestellen', 'der', 'die', 'das', 'den', 'dem', 'wir', 'auch'],
  ...['fur', 'fuer', 'mal', 'noch'],
]);

type Token =
  /** `times`: written as a multiplier ("2x", "x2"), which may follow the item ("cola x2"). */
  | { kind: 'number'; value: number; wording: QuantityWording; word: string; times?: boolean }
  /** A number that is no quantity: a price ("10€", "9.50"), zero, or more than `MAX_QUANTITY`. */
  | { kind: 'other-number'; word: string }
  | { kind: 'word'; word: string }
  | { kind: 'and'; word?: string };

const TOKEN =
  /\d+(?:[.,]\d+)+\s*[€$£]?|\d+\s*(?:€|\$|£|eur\b|euros?\b|usd\b|reais\b|r\$)|\d+\s*[x×](?![\p{L}\p{N}])|(?<![\p{L}\p{N}])[x×]\s*\d+|\d+|[€$£]\s*\d+(?:[.,]\d+)?|[\p{L}\p{N}]+|[,;&+]/gu;

/** Typed text as tokens: accents removed, lower case ("ß" spelled "ss"), punctuation other than the joiners dropped. */
function tokenise(text: string): Token[] {
  const prepared = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss');
  const tokens: Token[] = [];
  for (const [raw] of prepared.matchAll(TOKEN)) {
    if (/^[,;&+]$/.test(raw)) {
      tokens.push({ kind: 'and' });
      continue;
    }
    const multiplied = /^(?:(\d+)\s*[x×]|[x×]\s*(\d+))$/.exec(raw);
    const digits = multiplied ? (multiplied[1] ?? multiplied[2] ?? '') : /^\d+$/.test(raw) ? raw : undefined;
    if (digits !== undefined) {
      const value = Number(digits);
      tokens.push(
        value >= 1 && value <= MAX_QUANTITY && digits.length <= 3
          ? { kind: 'number', value, wording: 'digits', word: raw, ...(multiplied ? { times: true } : {}) }
          : { kind: 'other-number', word: raw },
      );
      continue;
    }
    if (/\d/.test(raw) && !/^[\p{L}\p{N}]+$/u.test(raw)) {
      tokens.push({ kind: 'other-number', word: raw });
      continue;
    }
    if (AND_WORDS.has(raw)) {
      tokens.push({ kind: 'and', word: raw });
      continue;
    }
    const number = QUANTITY_WORDS.get(raw);
    if (number !== undefined) tokens.push({ kind: 'number', value: number, wording: 'word', word: raw });
    else if (ARTICLES.has(raw)) tokens.push({ kind: 'number', value: 1, wording: 'article', word: raw });
    else tokens.push({ kind: 'word', word: raw });
  }
  return tokens;
}

/** The words without filler at either end ("coke pls" → "coke", "la margherita" → "margherita"). */
function trimFiller(words: readonly string[]): string[] {
  let start = 0;
  let end = words.length;
  while (start < end && FILLER.has(words[start] ?? '')) start += 1;
  while (end > start && FILLER.has(words[end - 1] ?? '')) end -= 1;
  return words.slice(start, end);
}

/** The words of tokens, number words included ("cuatro quesos"), without filler at either end. */
function wordsOf(tokens: readonly Token[]): string[] {
  return trimFiller(
    tokens.flatMap((token) => (token.kind === 'word' || token.kind === 'number' ? [token.word] : [])),
  );
}

/** One part's tokens as an `OrderPart`, or undefined when it names nothing (only filler or numbers). */
function partOf(tokens: readonly Token[], joiner: string | undefined): OrderPart | undefined {
  const at = tokens.findIndex((token) => token.kind === 'number');
  const first = at >= 0 ? tokens[at] : undefined;
  const joined = joiner === undefined ? {} : { joiner };
  if (first?.kind === 'number') {
    // An article right before a number gives way to it ("a 2 margherita" is odd, but 2 it is).
    const next = tokens[at + 1];
    const [quantity, from] =
      first.wording === 'article' && next?.kind === 'number' && next.wording !== 'article'
        ? [next, at + 2]
        : [first, at + 1];
    const after = wordsOf(tokens.slice(from));
    // "cola x2": a multiplier after the item, with nothing after it, counts the words before it.
    const words = after.length === 0 && quantity.times === true ? wordsOf(tokens.slice(0, at)) : after;
    if (words.length === 0) return undefined;
    return {
      quantity: quantity.value,
      wording: quantity.wording,
      phrase: words.join(' '),
      whole: quantity.wording === 'digits' ? words.join(' ') : [quantity.word, ...words].join(' '),
      ...joined,
    };
  }
  const words = wordsOf(tokens);
  if (words.length === 0) return undefined;
  return { phrase: words.join(' '), whole: words.join(' '), ...joined };
}

/**
 * The parts of a typed order, in the order written: split at commas, "&", "+" and the words for "and"
 * (and, y, e, et, und); in each part the first quantity (digits 1–99, "2x", "x2", a number word 1–10
 * in the five languages, or an article as one) and the words after it, without filler ("please",
 * "quiero", "the"). Words before the quantity ("hola quiero", "can i get") are dropped. A part with no
 * quantity keeps its words ("cola" in "2 margheritas, cola"). Prices ("10€", "9.50") and numbers over 99
 * are not quantities. Empty when the text is too long or names nothing ("2", "hola", "I want 3").
 */
export function splitOrder(text: string): OrderPart[] {
  if (text.length > MAX_ORDER_TEXT) return [];
  const parts: OrderPart[] = [];
  let current: Token[] = [];
  let joiner: string | undefined;
  const close = () => {
    const part = partOf(current, joiner);
    if (part && parts.length < MAX_ORDER_PARTS) parts.push(part);
    current = [];
  };
  for (const token of tokenise(text)) {
    if (token.kind === 'and') {
      close();
      joiner = token.word;
      continue;
    }
    // "2 margherita 3 cola": a second quantity after some words starts a new part.
    if (
      token.kind === 'number' &&
      current.some((t) => t.kind === 'number') &&
      current.some((t) => t.kind === 'word' && !FILLER.has(t.word)) &&
      current[current.length - 1]?.kind === 'word'
    ) {
      close();
      joiner = undefined;
    }
    current.push(token);
  }
  close();
  return parts;
}

/** Whether some part was written with a number (digits or a number word), not only an article. */
export function hasNumber(parts: readonly OrderPart[]): boolean {
  return parts.some((part) => part.wording === 'digits' || part.wording === 'word');
}

/**
 * Words that say "I want to order" in the five languages: the verb, not the noun ("where is my order"
 * is a question about tracking). Matched on the normalised text.
 */
const ORDER_VERB =
  /(?:^|\b(?:to|i|can i|could i|we|let me|want|wanna|d like)\s)order\b|\bpedir\b|\bencomendar\b|\bcommander\b|\bbestellen\b/;

/**
 * Whether a message reads as an order before the catalog is known (the greeting and the main menu hand
 * it to ordering, which matches it against the catalog): an order verb ("quiero pedir", "I want to
 * order"), or an item written with a number ("2 margaritas", "dos colas"). An article alone ("tengo una
 * pregunta") is not enough: questions are full of them.
 */
export function looksLikeOrder(text: string): boolean {
  return (
    saysOrder(text) ||
    hasNumber(splitOrder(text)) ||
    (wants(text) && hasArticle(splitOrder(text))) ||
    onlyItemsWithArticles(text)
  );
}

/**
 * "una diavola", "a margherita and a coke please", "hola, ein Wasser": a message that is only items, each
 * after an article (greetings and "please" aside), of a few words each; never a question. Such a text that
 * names nothing on the menu ("una pregunta") goes back to the root as typed, as every reading does.
 */
function onlyItemsWithArticles(text: string): boolean {
  // "a couple of margheritas", "un par de colas": no quantity the reader can take (left to the AI or asked).
  if (text.length > MAX_ORDER_TEXT || /[?¿]/.test(text) || VAGUE.test(normalise(text))) return false;
  const first = tokenise(text).find(
    (token) => token.kind !== 'and' && !(token.kind === 'word' && FILLER.has(token.word)),
  );
  if (first?.kind !== 'number' || first.wording !== 'article') return false;
  const parts = splitOrder(text);
  return parts.length > 0 && parts.every((part) => part.phrase.split(' ').length <= 3);
}

/**
 * "I want", "can I get", "quiero", "je voudrais", "ich möchte"…: with an article ("quiero una cola", "can I
 * get a margherita") it reads as an order too. Ordering then matches it against the catalog, and a text
 * that names nothing on it ("I want a refund") goes back to the root as typed.
 */
const WANT =
  /\b(?:i want|i d like|i would like|can i (?:get|have)|could i (?:get|have)|give me|i ll have|quiero|quisiera|me (?:das|da|pones|pone)|quero|queria|gostaria de|je veux|je voudrais|j aimerais|ich mochte|ich moechte|ich hatte gern|ich haette gern|ich nehme)\b/;

/** "A couple of", "un par de", "ein paar", "some": no quantity the reader can take; left to the AI or asked. */
const VAGUE =
  /\b(?:couple|pair of|few|some|par de|algun[oa]s?|un[oa]s|alguns|algumas|uns|umas|quelques|paar|einige)\b/;

function wants(text: string): boolean {
  if (text.length > MAX_ORDER_TEXT) return false;
  const typed = normalise(text);
  return WANT.test(typed) && !VAGUE.test(typed);
}

/** Whether some part was written with an article ("una cola", "a coke"). */
function hasArticle(parts: readonly OrderPart[]): boolean {
  return parts.some((part) => part.wording === 'article');
}

/** Whether the message says "I want to order" in one of the five languages (see `ORDER_VERB`). */
export function saysOrder(text: string): boolean {
  if (text.length > MAX_ORDER_TEXT) return false;
  const typed = normalise(text);
  return ORDER_VERB.test(typed);
}

/** Plural endings people add ("margaritas", "colas", "cokes"): tried off when the words as typed match nothing. */
export function singular(phrase: string): string {
  return phrase
    .split(' ')
    .map((word) => (word.length >= 4 && /[^s]s$/.test(word) ? word.slice(0, -1) : word))
    .join(' ');
}

/** What a typed order names, read against the catalog. */
export interface OrderReading {
  /** The items found, each with the quantity written (1 when none was), in the order written. */
  lines: Array<{ itemId: string; quantity: number }>;
  /** The words of the parts that named no available item (or several equally well), as typed. */
  unknown: string[];
  /** Whether some item found was written with a quantity (a number or an article). */
  quantified: boolean;
  /** A category named instead of an item ("quiero pedir una pizza" with a *Pizza* category). */
  category?: string;
}

/** The one available item `phrase` names, trying it without plural endings when it names none as typed. */
function itemFor(items: readonly CatalogItemView[], phrase: string): CatalogItemView | undefined {
  const match = matchNames(items, namesOf, phrase);
  if (match.kind === 'one') return match.value;
  if (match.kind === 'ambiguous') return undefined;
  const bare = singular(phrase);
  if (bare === phrase) return undefined;
  const again = matchNames(items, namesOf, bare);
  return again.kind === 'one' ? again.value : undefined;
}

/**
 * A typed order read against the catalog: each part of `splitOrder` matched to an available item by
 * its name or a synonym (exactly, then with the typo tolerance of `matchItem`, then without plural
 * endings). Parts joined by "and" are kept together when together they are an item's name ("fish and
 * chips"); a number word that begins an item's name is part of it ("cuatro quesos"). `language` names
 * the uncategorised section, for a category typed instead of an item.
 */
export function readOrder(
  catalog: CatalogView,
  text: string,
  language: Language = DEFAULT_LANGUAGE,
): OrderReading {
  const items = availableItems(catalog);
  const parts: OrderPart[] = [];
  for (const part of splitOrder(text)) {
    const previous = parts[parts.length - 1];
    if (previous && part.joiner !== undefined && part.quantity === undefined) {
      const joined = `${previous.phrase} ${part.joiner} ${part.phrase}`;
      if (items.some((item) => sameName(joined, namesOf(item)))) {
        parts[parts.length - 1] = {
          ...previous,
          phrase: joined,
          whole: `${previous.whole} ${part.joiner} ${part.phrase}`,
        };
        continue;
      }
    }
    parts.push(part);
  }
  const reading: OrderReading = { lines: [], unknown: [], quantified: false };
  for (const part of parts) {
    const named =
      part.wording === 'word' ? items.find((item) => sameName(part.whole, namesOf(item))) : undefined;
    const item = named ?? itemFor(items, part.phrase);
    if (!item) {
      const category = matchCategoryName(catalog, part.phrase, language);
      if (category.kind === 'one' && reading.category === undefined) reading.category = category.value;
      else reading.unknown.push(part.phrase);
      continue;
    }
    const quantity = named ? undefined : part.quantity;
    reading.lines.push({ itemId: item.id, quantity: quantity ?? 1 });
    if (quantity !== undefined) reading.quantified = true;
  }
  return reading;
}
