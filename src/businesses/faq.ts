import Fuse from 'fuse.js';
import { normalise } from '../core/normalise.js';

/** One question a business answers itself (its FAQ, edited in the portal). */
export interface FaqEntry {
  question: string;
  answer: string;
}

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
 * Words that say nothing about which question is asked, in the five languages: articles, pronouns,
 * auxiliaries, question particles. A question is matched on the rest ("When are you open?" → when, open).
 */
const STOPWORDS = new Set(
  (
    'a an the is are am be do does did you your we our i me my it to of in on at for and or can could would ' +
    'will what which how there here this that please hi hello hey thanks ok yes no ' +
    'el la los las un una unos unas es son de del en y o que por favor ustedes usted tu tus mi mis se hola gracias ' +
    'o os as um uma e sao voce voces meu minha ola obrigado ' +
    'le les des du un une est sont vous nous je mon ma mes et ou que qui bonjour merci ' +
    'der die das ein eine ist sind sie wir ich mein meine und oder zu hallo danke bitte'
  ).split(' '),
);

const meaningful = (text: string): string[] =>
  [...new Set(normalise(text).split(' '))].filter((w) => w.length > 1 && !STOPWORDS.has(w));

/**
 * The FAQ entry a customer's message asks about, without AI. Each question is reduced to its meaningful
 * words; a message asks it when it contains at least half of them, each matched fuzzily (Fuse.js, a
 * maintained library, so "deliever" still finds "deliver"). The entry with the largest share wins (then
 * the one with more words). A message with no meaningful word (a greeting, "ok") matches nothing.
 */
export function matchFaq(faq: readonly FaqEntry[], text: string): FaqEntry | undefined {
  const words = meaningful(text);
  if (faq.length === 0 || words.length === 0) return undefined;
  const fuse = new Fuse(words, { includeScore: true, threshold: WORD_THRESHOLD, ignoreLocation: true });
  let best: { entry: FaqEntry; share: number; size: number } | undefined;
  for (const entry of faq) {
    const keys = meaningful(entry.question);
    if (keys.length === 0) continue;
    const found = keys.filter((key) =>
      fuse
        .search(key)
        .some((hit) => hit.item.startsWith(key) || edits(hit.item, key) <= (key.length >= 6 ? 2 : 1)),
    ).length;
    const share = found / keys.length;
    if (found === 0 || share < ENOUGH) continue;
    if (!best || share > best.share || (share === best.share && keys.length > best.size)) {
      best = { entry, share, size: keys.length };
    }
  }
  return best?.entry;
}
