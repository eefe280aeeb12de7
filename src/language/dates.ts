import type { Language } from './languages.js';

/**
 * One `Intl.DateTimeFormat` per language and time zone: building one is the slow part (locale data), and
 * the export formats every order and request date with the same few.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A calendar date as a person reads it in `language`: "Dec 3, 2026", "3 dic 2026", "3 déc. 2026",
 * "3. Dez. 2026". `date` is a Date or an ISO 8601 string (as the data export stores dates). The day is the
 * one in `timeZone` (an IANA name such as `Europe/Madrid`), UTC when none is given, so an order placed at
 * 23:30 in Madrid is not shown on the next day by a server elsewhere. An unknown time zone is a
 * programming error and throws (Intl's RangeError); an invalid date throws too, rather than printing
 * "Invalid Date" to a customer.
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

/**
 * A date and time of day as a person reads it in `language`, in `timeZone` (an IANA name; UTC when none is
 * given): "Dec 3, 2026, 2:05 PM", "3 dic 2026, 14:05", "3 déc. 2026, 14:05". For an order's time, read in the
 * business's zone, so a customer in Madrid sees the time on the restaurant's clock. Throws like formatDate.
 */
export function formatDateTime(language: Language, date: Date | string, timeZone = 'UTC'): string {
  const when = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(when.getTime())) throw new RangeError(`not a date: ${String(date)}`);
  const id = `${language}|${timeZone}|time`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(language, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
    });
    formats.set(id, format);
  }
  return format.format(when);
}

/**
 * A day as a person names it in `language`, with its weekday: "Tue, Dec 8", "mar, 8 dic", "ter., 8 de dez.",
 * "mar. 8 déc.", "Di., 8. Dez.". In `timeZone` (an IANA name; UTC when none is given). Throws like formatDate.
 */
export function formatDayName(language: Language, date: Date | string, timeZone = 'UTC'): string {
  return cached(`${language}|${timeZone}|day`, language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone,
  }).format(validDate(date));
}

/** A time of day as `language` writes it, in `timeZone`: "10:30 AM", "10:30". Throws like formatDate. */
export function formatTimeOfDay(language: Language, date: Date | string, timeZone = 'UTC'): string {
  return cached(`${language}|${timeZone}|clock`, language, {
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(validDate(date));
}

function validDate(date: Date | string): Date {
  const when = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(when.getTime())) throw new RangeError(`not a date: ${String(date)}`);
  return when;
}

function cached(id: string, language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(language, options);
    formats.set(id, format);
  }
  return format;
}
