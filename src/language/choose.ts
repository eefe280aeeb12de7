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
    'que',
    'cuando',
    'abierto',
    'ayuda',
    'si',
    'por',
    'favor',
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
    'dia',
    'boa',
    'tarde',
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
    'will',
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
 * The language a message is written in, when its words say so clearly: each word known in exactly one
 * language counts for it; the language with the most such words wins if no other has as many. Short,
 * ambiguous or unknown text ("2", "ok", "Margherita") says nothing (`undefined`).
 */
export function detectLanguage(text: string): Language | undefined {
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
 * The conversation's language for this message: a language the customer asked for by name wins; then
 * the language the message is clearly written in; then the one the conversation already has; then the
 * business's locale.
 */
export function chooseLanguage(
  text: string | undefined,
  current: unknown,
  businessLanguage: Language = DEFAULT_LANGUAGE,
): Language {
  if (text !== undefined) {
    const named = explicitLanguage(text);
    if (named) return named;
    const written = detectLanguage(text);
    if (written) return written;
  }
  return isLanguage(current) ? current : businessLanguage;
}
