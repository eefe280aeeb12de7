import i18next from 'i18next';
import type { TOptions } from 'i18next';
import { catalogue } from './catalogue/index.js';
import type { Catalogue, Namespace } from './catalogue/index.js';
import { DEFAULT_LANGUAGE, LANGUAGES } from './languages.js';
import type { Language } from './languages.js';

/** A catalogue key: `<namespace>:<key>`, e.g. `ordering:cart.empty`. Plural forms are named without suffix. */
export type MessageKey = {
  [N in Namespace]: `${N}:${StripPlural<Extract<keyof Catalogue[N]['en'], string>>}`;
}[Namespace];

type StripPlural<K extends string> =
  K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? Base : K;

/** Values for a text's `{{placeholders}}` (`count` picks the plural form). */
export type MessageValues = Readonly<Record<string, string | number>>;

function resources() {
  const all: Record<string, Record<string, Record<string, string>>> = {};
  for (const language of LANGUAGES) {
    all[language] = {};
    for (const [ns, messages] of Object.entries(catalogue)) {
      all[language][ns] = (messages as Record<Language, Record<string, string>>)[language];
    }
  }
  return all;
}

/**
 * One i18next instance, initialised synchronously from the catalogue at import (no I/O: the texts are
 * code). Plurals follow each language's rules (Intl.PluralRules); a key missing in a language falls back
 * to English, which the catalogue's types and tests keep from happening.
 */
const i18n = i18next.createInstance();
void i18n.init({
  resources: resources(),
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  ns: Object.keys(catalogue),
  defaultNS: 'root',
  keySeparator: false,
  nsSeparator: ':',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

/** The text `key` in `language`, with its placeholders filled. Pure: same input, same text. */
export function t(language: Language, key: MessageKey, values: MessageValues = {}): string {
  // i18next's own key typing knows nothing of this catalogue: MessageKey above is the check.
  const translate = i18n.t.bind(i18n) as (key: string, options: TOptions) => string;
  return translate(key, { ...values, lng: language });
}
