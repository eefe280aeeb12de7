import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/language/dates.js';

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
