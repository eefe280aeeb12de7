/**
 * An appointment as an iCalendar file (RFC 5545), sent to the customer as a WhatsApp document so their
 * phone's calendar can add it. Written here rather than taken from a library: no iCalendar package is among
 * the dependencies, and one event needs only the few rules below, each from the RFC:
 * - lines end in CRLF (§3.1);
 * - a content line longer than 75 octets is folded: CRLF then one space, never inside a UTF-8 sequence (§3.1);
 * - TEXT values escape backslash, semicolon, comma and line breaks (§3.3.11);
 * - times are UTC with the `Z` suffix (§3.3.5, form #2), so no VTIMEZONE is needed and the instant is the one
 *   stored, whatever daylight-saving change lies in between; the customer's calendar shows it on its own clock;
 * - a VEVENT needs UID and DTSTAMP (§3.6.1). A moved appointment is stored as a new one, but its file keeps
 *   the UID of the first appointment of the chain with a higher SEQUENCE (§3.8.7.4), so the customer's
 *   calendar updates the event it has instead of adding a second one;
 * - a cancelled appointment's file is the same event (same UID, a higher SEQUENCE than the last file sent)
 *   with `METHOD:CANCEL` (RFC 5546 §3.2.5) and `STATUS:CANCELLED` (RFC 5545 §3.8.1.11), so the calendar
 *   that added it marks it cancelled or removes it.
 */

const FOLD_OCTETS = 75;

/** A TEXT value escaped (RFC 5545 §3.3.11): `\` `;` `,` and line breaks. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * One content line folded at 75 octets (RFC 5545 §3.1): the first line holds at most 75 octets, each
 * continuation one space and at most 74 more. Splits between characters, never inside one's UTF-8 bytes.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = FOLD_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = FOLD_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** An instant in the form RFC 5545 calls UTC time: `19980119T070000Z`. */
export function utcStamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('not a date');
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export interface CalendarEvent {
  /** The appointment's id (for a moved one, the first of the chain): the UID is `<id>@polus-bot`. */
  id: string;
  /** How many times it was moved (SEQUENCE); 0 for a new booking. */
  sequence?: number;
  start: Date;
  end: Date;
  /** "Haircut · Salon Sol". */
  summary: string;
  description?: string;
  location?: string;
  /** When the file was made (DTSTAMP). */
  stamp: Date;
  /** The appointment was cancelled: the file cancels the event its UID names. */
  cancelled?: boolean;
}

/** The iCalendar text of one event, CRLF line endings, folded. */
export function appointmentIcs(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//polus-bot//appointments//EN',
    'CALSCALE:GREGORIAN',
    event.cancelled ? 'METHOD:CANCEL' : 'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.id}@polus-bot`,
    `DTSTAMP:${utcStamp(event.stamp)}`,
    `SEQUENCE:${event.sequence ?? 0}`,
    `DTSTART:${utcStamp(event.start)}`,
    `DTEND:${utcStamp(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    event.cancelled ? 'STATUS:CANCELLED' : 'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
