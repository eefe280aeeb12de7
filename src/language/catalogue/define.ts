import type { Language } from '../languages.js';

/**
 * One catalogue file: a namespace's texts in every language. English defines the keys; every other
 * language must have exactly the same keys (the compiler refuses a missing or an extra one) and the same
 * `{{placeholders}}` (test/language/catalogue.test.ts). Keys say where a text is used (`cart.empty`);
 * a key with a `button` segment is a reply button title (≤ 20 characters), `row` a list row title (≤ 24),
 * `rowDescription` a row description (≤ 72); every other text is a message body (≤ 1,024). Plurals use
 * i18next's suffixes (`_one`, `_other`) with a `{{count}}`.
 */
export function defineMessages<const En extends Record<string, string>>(
  messages: { en: En } & { [L in Exclude<Language, 'en'>]: { [K in keyof En]: string } },
): { [L in Language]: { [K in keyof En]: string } } {
  return messages;
}
