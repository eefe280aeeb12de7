/**
 * The calendar file of an appointment (RFC 5545): CRLF lines, folding at 75 octets without splitting a
 * character, TEXT escaping, and times as UTC instants, also across a daylight-saving change.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { appointmentIcs, escapeText, foldLine } from '../../src/appointments/ics.js';

const stamp = new Date('2026-03-01T08:00:00Z');

/** The logical lines of an iCalendar text: unfolded (CRLF + space removed), split on CRLF. */
const unfold = (ics: string): string[] => ics.replace(/\r\n /g, '').split('\r\n');

describe('the calendar file', () => {
  it('when an appointment is in Madrid on the day clocks go forward, then DTSTART is the UTC instant of 10:00 summer time', () => {
    // 29 March 2026: Madrid moves from UTC+1 to UTC+2 at 02:00; 10:00 that day is 08:00Z.
    const start = DateTime.fromISO('2026-03-29T10:00', { zone: 'Europe/Madrid' }).toJSDate();
    const ics = appointmentIcs({
      id: '65f0c0ffee0000000000abcd',
      start,
      end: new Date(start.getTime() + 45 * 60_000),
      summary: 'Dental check · Clínica Sol',
      stamp,
    });
    const lines = unfold(ics);
    expect(lines).toContain('DTSTART:20260329T080000Z');
    expect(lines).toContain('DTEND:20260329T084500Z');
    expect(lines).toContain('UID:65f0c0ffee0000000000abcd@polus-bot');
    expect(lines).toContain('DTSTAMP:20260301T080000Z');
    expect(lines.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('when texts hold commas, semicolons, backslashes and line breaks, then they are escaped', () => {
    expect(escapeText('Cut, wash; dry\\style\nsecond line')).toBe(
      'Cut\\, wash\\; dry\\\\style\\nsecond line',
    );
    const ics = appointmentIcs({
      id: 'x',
      start: stamp,
      end: stamp,
      summary: 'A, B; C',
      location: 'Calle Mayor 1\r\n28013 Madrid',
      stamp,
    });
    expect(unfold(ics)).toContain('SUMMARY:A\\, B\\; C');
    expect(unfold(ics)).toContain('LOCATION:Calle Mayor 1\\n28013 Madrid');
  });

  it('when a line is longer than 75 octets with multi-byte characters, then no physical line exceeds 75 octets and no character is split', () => {
    const summary = 'Revisión dental completa con limpieza · Clínica Dental Sonrisa Ñandú ✨ '.repeat(3);
    const ics = appointmentIcs({ id: 'y', start: stamp, end: stamp, summary, stamp });
    for (const physical of ics.split('\r\n'))
      expect(Buffer.byteLength(physical, 'utf8')).toBeLessThanOrEqual(75);
    expect(unfold(ics)).toContain(`SUMMARY:${escapeText(summary)}`);
    expect(ics).not.toContain('\uFFFD');
    // 150 octets: 2 + 36 × 2 = 74 (one more would be 76), then space + 37 × 2 = 75, then space + 2.
    const folded = foldLine(`S:${'é'.repeat(74)}`).split('\r\n');
    expect(folded.map((l) => Buffer.byteLength(l, 'utf8'))).toEqual([74, 75, 3]);
  });

  it('when the appointment is cancelled, then the file cancels the same event: METHOD:CANCEL, STATUS:CANCELLED, its UID and the SEQUENCE given', () => {
    const event = { id: 'z1', start: stamp, end: stamp, summary: 'Corte · Salón Sol', stamp };
    const published = unfold(appointmentIcs({ ...event, sequence: 1 }));
    const cancelling = unfold(appointmentIcs({ ...event, sequence: 2, cancelled: true }));

    expect(published).toContain('METHOD:PUBLISH');
    expect(published).toContain('STATUS:CONFIRMED');
    expect(cancelling).toContain('METHOD:CANCEL');
    expect(cancelling).toContain('STATUS:CANCELLED');
    expect(cancelling).not.toContain('STATUS:CONFIRMED');
    expect(cancelling).toContain('UID:z1@polus-bot');
    expect(cancelling).toContain('SEQUENCE:2');
  });
});
