import Fuse from 'fuse.js';
import { normalise } from '../core/normalise.js';
import type { FaqEntry } from '../db/models/business.model.js';
import { isLanguage, LANGUAGES, languageOfLocale } from '../language/languages.js';
import type { Language } from '../language/languages.js';

export type { FaqEntry };

/** How close a typed word must be to a question's word (Fuse.js score: 0 exact, 1 anything): small typos pass. */
const WORD_THRESHOLD = 0.25;

/**
 * Edits (insert, delete, substitute) from one word to another. Fuse.js finds the candidates, but it also
 * matches a word inside a longer one ("open" in "lopez"), so a candidate must start with the question's
 * word ("opening") or be a typo of it: one edit for short words, two from six letters.
 */
function edits(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** Share of a question's meaningful words the message must contain (fuzzily) to be that question. */
const ENOUGH = 0.5;

/**
 * Words that say nothing about which question is asked, per language, as normalised text writes them (no
 * accents): articles, pronouns, auxiliaries, question particles, greetings and politeness, fillers. A
 * question is matched on the rest ("When are you open?" → when, open; "¿A qué hora abren?" → hora, abren).
 */
const STOPWORDS: Readonly<Record<Language, ReadonlySet<string>>> = {
  en: words(
    'a an the is are am be do does did you your u ya we our us i me my it its to of in on at for and or can ' +
      'could would will what which how there here this that please pls plz hi hello hey thanks thank ok okay ' +
      'yes no have has any some',
  ),
  es: words(
    'a al el la los las lo un una unos unas es son esta estan de del en y o que por favor ustedes usted tu tus ' +
      'te mi mis me se nos hola gracias buenas buenos dias si no ahora hay tienen tiene como cual puedo pueden ' +
      'para con le les vosotros',
  ),
  pt: words(
    'a o os as um uma e de do da dos das em no na para por com sao esta estao voce voces vc vcs meu minha ' +
      'me se nos ola oi obrigado obrigada bom dia boa sim nao tem tenho agora como qual posso podem que',
  ),
  fr: words(
    'a au aux le la les l un une des du de d est sont etes es suis vous nous je j tu mon ma mes et ou que qu ' +
      'qui bonjour bonsoir salut merci oui non ce c y il on avez avoir est ce pouvez peux en',
  ),
  de: words(
    'der die das den dem des ein eine einen einem ist sind sie ihr wir ich mein meine und oder zu hallo danke ' +
      'bitte ja nein haben habt hat es was wie kann konnen koennen man am im an auf fur fuer mir uns',
  ),
};

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(' '));
}

/** The meaningful words of `text`: normalised, without the stop words of `languages`, one-letter words and repeats. */
function meaningful(text: string, languages: readonly Language[]): string[] {
  const stop = (word: string) => languages.some((language) => STOPWORDS[language].has(word));
  return [...new Set(normalise(text).split(' '))].filter((w) => w.length > 1 && !stop(w));
}

/** One language of an entry: its question, its answer, and other ways customers ask it in that language. */
interface Version {
  language: Language;
  question: string;
  answer: string;
  phrasings: readonly string[];
}

/** The entry's own language (`language`, else the business's) and each translation, the own one first. */
function versionsOf(entry: FaqEntry, own: Language): Version[] {
  const versions: Version[] = [
    { language: own, question: entry.question, answer: entry.answer, phrasings: entry.phrasings ?? [] },
  ];
  for (const language of LANGUAGES) {
    const text = entry.translations?.[language];
    // The entry's own text wins over a translation in the same language (a business that changed locale).
    if (!text || language === own) continue;
    versions.push({
      language,
      question: text.question,
      answer: text.answer,
      phrasings: text.phrasings ?? [],
    });
  }
  return versions;
}

/** The answer the FAQ gives a message: which entry, in which language, with that language's text. */
export interface FaqAnswer {
  entry: FaqEntry;
  /** The language of `question` and `answer`: the conversation's when the entry has it, else the entry's own. */
  language: Language;
  question: string;
  answer: string;
}

export interface FaqMatchOptions {
  /** The conversation's language: entries are matched in it first, and answered in it when they have it. */
  language?: Language | undefined;
  /** The business's locale (`es-MX`): the language of an entry that names none. Default English. */
  locale?: string | undefined;
}

/**
 * A word that is the key with a short ending ("hours" for "hour", "delivery" for "deliver", "opening" for
 * "open"), not a longer word that merely starts with it ("homemade" is not "home").
 */
function extends_(word: string, key: string): boolean {
  return word.startsWith(key) && word.length - key.length <= 3;
}

/** How well one version's phrasing fits the message's words: share of its meaningful words found, and how many. */
function fit(fuse: Fuse<string>, keys: readonly string[]): { share: number; size: number } | undefined {
  if (keys.length === 0) return undefined;
  const found = keys.filter((key) =>
    fuse
      .search(key)
      .some((hit) => extends_(hit.item, key) || edits(hit.item, key) <= (key.length >= 6 ? 2 : 1)),
  ).length;
  const share = found / keys.length;
  return found === 0 || share < ENOUGH ? undefined : { share, size: keys.length };
}

/**
 * The FAQ entry a customer's message asks about, without AI, and its answer in the customer's language.
 * Each question (and each extra phrasing) is reduced to its meaningful words, without the stop words of its
 * language and of the conversation's; a message asks it when it contains at least half of them, each matched
 * fuzzily (Fuse.js, a maintained library, so "deliever" still finds "deliver"). The entries are matched in
 * the conversation's language first; only when none fits there, in their other languages (a Spanish
 * customer asking about "wifi" still finds an English-only "Do you have wifi?"). The best fit wins (then
 * the phrasing with more words). The answer is in the conversation's language when the entry has it, else
 * in the entry's own language. A message with no meaningful word ("hola", "ok")
 * matches nothing.
 */
export function matchFaq(
  faq: readonly FaqEntry[],
  text: string,
  options: FaqMatchOptions = {},
): FaqAnswer | undefined {
  if (faq.length === 0) return undefined;
  const fallback = languageOfLocale(options.locale);
  const asked = options.language;
  const entries = faq.map((entry) => {
    const own = isLanguage(entry.language) ? entry.language : fallback;
    return { entry, own, versions: versionsOf(entry, own) };
  });

  const search = (inAskedLanguage: boolean) => {
    let best: { at: (typeof entries)[number]; version: Version; share: number; size: number } | undefined;
    for (const at of entries) {
      for (const version of at.versions) {
        if (asked !== undefined && (version.language === asked) !== inAskedLanguage) continue;
        const stop = asked ? [version.language, asked] : [version.language];
        const said = meaningful(text, stop);
        if (said.length === 0) continue;
        const fuse = new Fuse(said, { includeScore: true, threshold: WORD_THRESHOLD, ignoreLocation: true });
        for (const phrasing of [version.question, ...version.phrasings]) {
          const score = fit(fuse, meaningful(phrasing, stop));
          if (!score) continue;
          if (!best || score.share > best.share || (score.share === best.share && score.size > best.size)) {
            best = { at, version, ...score };
          }
        }
      }
    }
    return best;
  };

  const best = (asked !== undefined ? search(true) : undefined) ?? search(false);
  if (!best) return undefined;
  const { at } = best;
  const reply = at.versions.find((v) => v.language === asked) ?? at.versions[0] ?? best.version;
  return { entry: at.entry, language: reply.language, question: reply.question, answer: reply.answer };
}
