/**
 * The languages the bot speaks. A conversation has one; texts come from the message catalogue in it
 * (src/language/i18n.ts). Adding a language: add its code here, then its texts in every catalogue file
 * (the compiler lists the missing ones) and its words in the recognisers of this folder.
 */
export const LANGUAGES = ['en', 'es', 'pt', 'fr', 'de'] as const;

export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/** The language's own name, as a customer picking it would look for it. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  es: 'Español',
  pt: 'Português',
  fr: 'Français',
  de: 'Deutsch',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language of a BCP 47 locale (`es-MX` → `es`), or the default when we do not speak it. */
export function languageOfLocale(locale: string | undefined): Language {
  const code = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return isLanguage(code) ? code : DEFAULT_LANGUAGE;
}
