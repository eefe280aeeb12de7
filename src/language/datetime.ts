import type { Language } from './languages.js';

/**
 * One `Intl.DateTimeFormat` per language and time zone: building one is the slow part (locale data).
 * (Stand-in for `formatDate` of src/language/dates.ts, written alongside it by another change with the
 * same signature: once both are in, this file goes and its callers import that one.)
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A calendar date as a person reads it in `language`: "May 1, 2025", "1 may 2025", "1 de mai. de 2025",
 * "1 mai 2025", "1. Mai 2025". The day is the one in `timeZone` (an IANA name such as `Europe/Madrid`),
 * UTC when none is given. An invalid date throws rather than printing "Invalid Date" to a customer.
 */
export function formatDate(language: Language, date: Date | string, timeZone = 'UTC'): string {
  const when = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(when.getTime())) throw new RangeError(`not a date: ${String(date)}`);
  const id = `${language}|${timeZone}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric', timeZone });
    formats.set(id, format);
  }
  return format.format(when);
}
