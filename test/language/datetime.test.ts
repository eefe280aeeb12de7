import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/language/datetime.js';

describe('formatDate', () => {
  it.each([
    ['en', 'May 1, 2025'],
    ['es', '1 may 2025'],
    ['pt', '1 de mai. de 2025'],
    ['fr', '1 mai 2025'],
    ['de', '1. Mai 2025'],
  ] as const)('when a date is shown in %s, then it reads "%s"', (language, shown) => {
    expect(formatDate(language, '2025-05-01T12:00:00Z')).toBe(shown);
  });

  it('when the time zone is ahead of UTC past midnight, then the day is the one there', () => {
    expect(formatDate('en', '2025-05-01T23:30:00Z')).toBe('May 1, 2025');
    expect(formatDate('en', '2025-05-01T23:30:00Z', 'Europe/Madrid')).toBe('May 2, 2025');
  });

  it('when the date is not a date, then it throws rather than print "Invalid Date"', () => {
    expect(() => formatDate('en', 'yesterday')).toThrow(RangeError);
  });
});
