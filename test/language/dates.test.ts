import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../../src/language/dates.js';

describe('formatDate', () => {
  it('when a date is formatted, then it reads as each language writes a date, in the given time zone', () => {
    const late = '2026-12-03T23:30:00.000Z';
    expect(formatDate('es', late)).toBe('3 dic 2026');
    expect(formatDate('en', late)).toBe('Dec 3, 2026');
    expect(formatDate('de', late)).toBe('3. Dez. 2026');
    expect(formatDate('fr', late)).toBe('3 déc. 2026');
    expect(formatDate('pt', new Date(late))).toBe('3 de dez. de 2026');
    // Half past midnight in Madrid is already the next day there.
    expect(formatDate('es', late, 'Europe/Madrid')).toBe('4 dic 2026');
  });

  it('when the date is not a date, then it throws rather than show "Invalid Date"', () => {
    expect(() => formatDate('en', 'yesterday')).toThrow(RangeError);
  });
});

describe('formatDateTime', () => {
  it('when an order time is formatted for a business in Madrid, then 13:05 UTC in winter reads 14:05 in each language', () => {
    const at = '2026-01-15T13:05:00.000Z';
    expect(formatDateTime('es', at, 'Europe/Madrid')).toBe('15 ene 2026, 14:05');
    expect(formatDateTime('de', at, 'Europe/Madrid')).toBe('15. Jan. 2026, 14:05');
    expect(formatDateTime('fr', at, 'Europe/Madrid')).toBe('15 janv. 2026, 14:05');
    expect(formatDateTime('en', at, 'Europe/Madrid')).toMatch(/^Jan 15, 2026, 2:05\sPM$/);
    expect(formatDateTime('es', at)).toBe('15 ene 2026, 13:05'); // no zone given: UTC
  });

  it('when the date is not a date, then it throws', () => {
    expect(() => formatDateTime('en', 'soon', 'Europe/Madrid')).toThrow(RangeError);
  });
});
