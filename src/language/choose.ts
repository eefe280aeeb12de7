import { eld } from 'eld/small';
import { normalise } from '../core/normalise.js';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES } from './languages.js';
import type { Language } from './languages.js';

/**
 * The customer asking for a language by name: "English please", "en español", "español", "em português",
 * "en français", "auf Deutsch", "deutsch bitte". Checked on normalised text (no accents, lower case).
 */
const EXPLICIT: ReadonlyArray<readonly [Language, RegExp]> = [
  [
    'en',
    /^(?:(?:in |speak |talk in )?english(?: please| pls)?|(?:can we |can you )?speak english(?: please)?)$/,
  ],
  ['es', /^(?:(?:en |hablame en |habla en |hablar en )?espanol(?: por favor)?|castellano)$/],
  ['pt', /^(?:(?:em |fale em |falar em )?portugues(?: por favor)?)$/],
  ['fr', /^(?:(?:en |parlez en |parler en )?francais(?: s il vous plait| svp)?)$/],
  ['de', /^(?:(?:auf |sprich |sprechen sie )?deutsch(?: bitte)?)$/],
];

/** The language a customer named, if the whole message is such a request. */
export function explicitLanguage(text: string): Language | undefined {
  const plain = normalise(text)
    .replace(/[!?.,¡¿]/g, '')
    .trim();
  return EXPLICIT.find(([, pattern]) => pattern.test(plain))?.[0];
}

/**
 * Words that belong to one of our languages only, as people write them in chat (greetings, thanks,
 * requests, common verbs). Ambiguous words ("no", "menu", "ok", "pizza") are left out on purpose: a
 * message switches the language only when it says something in one language and nothing in another.
 * Words another of our languages also uses in chat ("que", "por favor", "tarde", "dia", English "will")
 * are left out too: they made Portuguese read as Spanish in the measurement (scripts/measure-language.ts).
 */
const DISTINCTIVE: Readonly<Record<Language, readonly string[]>> = {
  en: [
    'hi',
    'hello',
    'hey',
    'thanks',
    'thank',
    'please',
    'want',
    'order',
    'my',
    'data',
    'delete',
    'person',
    'human',
    'what',
    'when',
    'open',
    'the',
    'and',
    'yes',
    'help',
    'track',
    'cart',
    'i',
    'you',
    'can',
  ],
  es: [
    'hola',
    'gracias',
    'quiero',
    'quisiera',
    'pedir',
    'pedido',
    'mis',
    'datos',
    'borra',
    'borrar',
    'persona',
    'humano',
    'cuando',
    'abierto',
    'ayuda',
    'si',
    'buenas',
    'buenos',
    'dias',
    'tardes',
    'noches',
    'una',
    'unos',
    'y',
    'mi',
    'carrito',
    'hablar',
    'tienen',
    'donde',
  ],
  pt: [
    'ola',
    'obrigado',
    'obrigada',
    'quero',
    'gostaria',
    'pedido',
    'meus',
    'dados',
    'apague',
    'apagar',
    'pessoa',
    'ajuda',
    'sim',
    'bom',
    'boa',
    'noite',
    'voce',
    'falar',
    'com',
    'uma',
    'meu',
    'carrinho',
    'quando',
    'aberto',
    'onde',
    'nao',
  ],
  fr: [
    'bonjour',
    'bonsoir',
    'salut',
    'merci',
    'je',
    'veux',
    'voudrais',
    'commander',
    'commande',
    'mes',
    'donnees',
    'supprimer',
    'personne',
    'aide',
    'oui',
    'quand',
    'ouvert',
    'parler',
    'avec',
    'une',
    'mon',
    'panier',
    'vous',
    'est',
    'ce',
    'qui',
  ],
  de: [
    'hallo',
    'danke',
    'ich',
    'mochte',
    'moechte',
    'bestellen',
    'bestellung',
    'meine',
    'daten',
    'loschen',
    'loeschen',
    'mensch',
    'hilfe',
    'ja',
    'nein',
    'guten',
    'tag',
    'morgen',
    'abend',
    'wann',
    'geoffnet',
    'sprechen',
    'mit',
    'einer',
    'eine',
    'mein',
    'warenkorb',
    'bitte',
    'und',
  ],
};

const WORDS = new Map<string, Set<Language>>();
for (const language of LANGUAGES) {
  for (const word of DISTINCTIVE[language]) {
    const set = WORDS.get(word) ?? new Set<Language>();
    set.add(language);
    WORDS.set(word, set);
  }
}

/**
 * The language a message's words say, when they say so clearly: each word known in exactly one language
 * counts for it; the language with the most such words wins if no other has as many. Short, ambiguous or
 * unknown text ("2", "ok", "Margherita") says nothing (`undefined`).
 */
export function wordsLanguage(text: string): Language | undefined {
  const votes = new Map<Language, number>();
  for (const word of normalise(text).split(/[^a-z]+/)) {
    const languages = WORDS.get(word);
    if (!languages || languages.size !== 1) continue;
    const [language] = [...languages] as [Language];
    votes.set(language, (votes.get(language) ?? 0) + 1);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || (second && second[1] === first[1])) return undefined;
  return first[0];
}

/**
 * Fewest words (tokens with a letter or a digit) for the detector to be asked. Single words are left to
 * our lists: eld names "Margherita", "no" or "3x" with a language (scripts/measure-language.ts).
 */
export const DETECTOR_MIN_WORDS = 2;

/**
 * How far eld's best score must be above the next language's for the answer to count: item names
 * ("quattro formaggi", "tiramisu x2") get near ties between two languages that eld still calls reliable.
 */
export const DETECTOR_MIN_MARGIN = 0.04;

function wordCount(text: string): number {
  return text.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
}

// One eld instance for the process, restricted to our languages once: its scores then compare only them.
eld.setLanguageSubset([...LANGUAGES]);

/**
 * The language a maintained n-gram detector (eld, with its "small" database) reads in a message of at
 * least DETECTOR_MIN_WORDS words, when it calls its answer reliable, no other language comes within
 * DETECTOR_MIN_MARGIN, and the language is one of ours; else `undefined`. It knows far more than our word
 * lists ("vcs entregam hoje?", "c'est ouvert dimanche ?", "habt ihr glutenfrei").
 */
export function detectorLanguage(text: string): Language | undefined {
  if (wordCount(text) < DETECTOR_MIN_WORDS) return undefined;
  const result = eld.detect(text);
  if (!result.isReliable() || !isLanguage(result.language)) return undefined;
  const [best = 0, next = 0] = Object.values(result.getScores()).sort((a, b) => b - a);
  return best - next >= DETECTOR_MIN_MARGIN ? result.language : undefined;
}

/**
 * The language a message is written in, when that is clear: for a message of two words or more, the
 * detector's clear answer; otherwise (a single word, or an answer it does not trust) the words we know.
 * Measured on test/fixtures/language-corpus.json (320 chat messages; scripts/measure-language.ts), the
 * detector first is right for 85.6 % and wrong for 0.3 %, against 46.9 % and 0.9 % for the words alone
 * and 1.6 % wrong with the words first: a single known word in a longer message ("ja" for "já") outvoted
 * everything else it said. Short, ambiguous or unknown text ("2", "ok", "2 pizzas") says nothing.
 */
export function detectLanguage(text: string): Language | undefined {
  return detectorLanguage(text) ?? wordsLanguage(text);
}

/**
 * The conversation's language for this message: a language the customer asked for by name wins; then
 * the language the message is clearly written in (not when the customer is typing data: `dataEntry`); then
 * the one the conversation already has; then the business's locale.
 */
export function chooseLanguage(
  text: string | undefined,
  current: unknown,
  businessLanguage: Language = DEFAULT_LANGUAGE,
  options: { dataEntry?: boolean } = {},
): Language {
  if (text !== undefined) {
    const named = explicitLanguage(text);
    if (named) return named;
    // An address or a name says where someone lives or who they are, not which language they speak.
    const written = options.dataEntry ? undefined : detectLanguage(text);
    if (written) return written;
  }
  return isLanguage(current) ? current : businessLanguage;
}
