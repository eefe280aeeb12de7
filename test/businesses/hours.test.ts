import { describe, expect, it } from 'vitest';
import { checkHours, openingState } from '../../src/businesses/hours.js';
import type { HoursIssue } from '../../src/businesses/hours.js';
import { businessInput } from '../../src/businesses/schema.js';
import type { WeeklyHours } from '../../src/db/models/business.model.js';

const week = (hours: Partial<WeeklyHours>): WeeklyHours => ({
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
  ...hours,
});

const madrid = (openingHours: WeeklyHours, closedDays: Array<{ date: string; hours: [] }> = []) => ({
  timeZone: 'Europe/Madrid',
  openingHours,
  closedDays,
});

describe('openingState', () => {
  it('when a business has no opening hours, then it is always open', () => {
    expect(openingState({ timeZone: 'Europe/Madrid' }, Date.parse('2026-12-05T03:00:00Z'))).toEqual({
      open: true,
    });
  });

  it('when the hours run past midnight, then the small hours of the next day are open and the afternoon is not', () => {
    const late = madrid(week({ fri: [{ open: '20:00', close: '02:00' }] }));
    // Saturday 01:30 in Madrid (UTC+1 in winter): still Friday's opening.
    expect(openingState(late, Date.parse('2026-12-05T00:30:00Z')).open).toBe(true);
    // Saturday 02:00: closed; next Friday 20:00.
    expect(openingState(late, Date.parse('2026-12-05T01:00:00Z'))).toEqual({
      open: false,
      next: { date: '2026-12-11', time: '20:00', daysAhead: 6, at: Date.parse('2026-12-11T19:00:00Z') },
    });
    // Friday 19:59: opens today.
    expect(openingState(late, Date.parse('2026-12-04T18:59:00Z'))).toEqual({
      open: false,
      next: { date: '2026-12-04', time: '20:00', daysAhead: 0, at: Date.parse('2026-12-04T19:00:00Z') },
    });
  });

  it('when the clocks go forward in Madrid (29 March 2026), then an opening is read in local time on both sides of the change', () => {
    const sunday = madrid(
      week({ sun: [{ open: '01:00', close: '05:00' }], mon: [{ open: '09:00', close: '17:00' }] }),
    );
    // 01:30 CET = 00:30 UTC: open. 03:30 CEST = 01:30 UTC: open. 05:00 CEST = 03:00 UTC: closed.
    expect(openingState(sunday, Date.parse('2026-03-29T00:30:00Z')).open).toBe(true);
    expect(openingState(sunday, Date.parse('2026-03-29T01:30:00Z')).open).toBe(true);
    expect(openingState(sunday, Date.parse('2026-03-29T03:00:00Z'))).toEqual({
      open: false,
      next: { date: '2026-03-30', time: '09:00', daysAhead: 1, at: Date.parse('2026-03-30T07:00:00Z') },
    });
    // Monday 09:00 CEST is 07:00 UTC (not 08:00 as in winter).
    expect(openingState(sunday, Date.parse('2026-03-30T06:59:00Z')).open).toBe(false);
    expect(openingState(sunday, Date.parse('2026-03-30T07:00:00Z')).open).toBe(true);
  });

  it('when the clocks go back in Madrid (25 October 2026), then a night opening lasts its real extra hour', () => {
    const night = madrid(week({ sat: [{ open: '22:00', close: '04:00' }] }));
    // Sunday 03:30 after the change (CET) = 02:30 UTC: still open.
    expect(openingState(night, Date.parse('2026-10-25T02:30:00Z')).open).toBe(true);
    // 04:00 CET = 03:00 UTC: closed.
    expect(openingState(night, Date.parse('2026-10-25T03:00:00Z')).open).toBe(false);
  });

  it('when a date is an exception with no hours, then that day is closed and the next opening skips it', () => {
    const daily = week({
      thu: [{ open: '12:00', close: '22:00' }],
      fri: [{ open: '12:00', close: '22:00' }],
    });
    const holiday = madrid(daily, [{ date: '2026-12-24', hours: [] }]);
    expect(openingState(holiday, Date.parse('2026-12-24T13:00:00Z'))).toEqual({
      open: false,
      next: { date: '2026-12-25', time: '12:00', daysAhead: 1, at: Date.parse('2026-12-25T11:00:00Z') },
    });
  });

  it('when every day is closed, then there is no next opening', () => {
    expect(openingState(madrid(week({})), Date.parse('2026-12-24T13:00:00Z'))).toEqual({ open: false });
  });
});

function hoursProblems(weekly: WeeklyHours, closedDays: []): Array<Omit<HoursIssue, 'code'>> {
  const issues: HoursIssue[] = [];
  checkHours(weekly, closedDays, { addIssue: (issue) => issues.push(issue) });
  return issues.map(({ path, message }) => ({ path, message }));
}

describe('checkHours', () => {
  it('when two openings of a day overlap, then the second is named', () => {
    expect(
      hoursProblems(
        week({
          mon: [
            { open: '12:00', close: '16:00' },
            { open: '15:00', close: '20:00' },
          ],
        }),
        [],
      ),
    ).toEqual([
      { path: ['openingHours', 'mon', 1], message: 'overlaps another opening: change one of them' },
    ]);
  });

  it("when a late opening runs past midnight into the next day's first, then it is an overlap; back to back is fine", () => {
    const overlapping = week({
      sun: [{ open: '20:00', close: '02:00' }],
      mon: [{ open: '01:00', close: '03:00' }],
    });
    expect(hoursProblems(overlapping, [])).toHaveLength(1);
    const adjacent = week({
      sat: [{ open: '20:00', close: '02:00' }],
      sun: [{ open: '02:00', close: '03:00' }],
    });
    expect(hoursProblems(adjacent, [])).toEqual([]);
  });
});

describe('businessInput: the settings', () => {
  const base = { name: 'Settings', currency: 'EUR' };
  const problemsOf = (input: Record<string, unknown>) => {
    const parsed = businessInput.safeParse({ ...base, ...input });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('when nothing is set, then the defaults keep the old behaviour: UTC, always open, no fee, no minimum', () => {
    const parsed = businessInput.parse(base);
    expect(parsed).toMatchObject({
      timeZone: 'UTC',
      openingHours: null,
      closedDays: [],
      closedMessage: '',
      preOrders: false,
      deliveryFee: 0,
      freeDeliveryOver: null,
      minimumOrder: 0,
    });
  });

  it.each([
    [{ timeZone: 'Europe/Madird' }, 'timeZone: must be a time zone such as Europe/Madrid'],
    [{ deliveryFee: -1 }, 'deliveryFee: must not be negative'],
    [{ minimumOrder: 1.234 }, 'minimumOrder: has more decimals than EUR allows'],
    [
      { openingHours: { mon: [{ open: '25:00', close: '26:00' }] } },
      'openingHours.mon.0.open: must be a time such as 09:30 or 21:00',
    ],
    [
      { openingHours: { mon: [{ open: '10:00', close: '10:00' }] } },
      'openingHours.mon.0.close: must close at another time than it opens',
    ],
    [
      {
        openingHours: {
          mon: [
            { open: '10:00', close: '14:00' },
            { open: '13:00', close: '18:00' },
          ],
        },
      },
      'openingHours.mon.1: overlaps another opening: change one of them',
    ],
    [{ closedDays: [{ date: '2026-02-30' }] }, 'closedDays.0.date: must be a date that exists'],
    [{ closedDays: [{ date: '2026-12-24' }, { date: '2026-12-24' }] }, 'closedDays.1.date: is listed twice'],
    [
      { fulfilment: { pickup: false, delivery: false } },
      'fulfilment: at least one of pickup or delivery must be offered',
    ],
  ])('when %j is given, then it is refused: %s', (input, problem) => {
    expect(problemsOf(input)).toContain(problem);
  });

  it('when a valid zone and hours are given, then they are kept', () => {
    expect(
      problemsOf({
        timeZone: 'America/Argentina/Buenos_Aires',
        openingHours: { fri: [{ open: '20:00', close: '02:00' }] },
        deliveryFee: 2.5,
        freeDeliveryOver: 20,
      }),
    ).toEqual([]);
  });
});
