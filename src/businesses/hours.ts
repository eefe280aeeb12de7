import { DateTime } from 'luxon';
import { WEEKDAYS } from '../db/models/business.model.js';
import type { ClosedDay, OpeningInterval, WeeklyHours } from '../db/models/business.model.js';

/**
 * Opening hours: whether a business is open at a moment, and when it opens next, read in the business's
 * time zone with luxon (so a day of 23 or 25 hours at a DST change counts its real hours). An opening
 * whose close is at or before its open ends on the next day (20:00–02:00).
 */

const MINUTES_PER_DAY = 24 * 60;
/** How far ahead the next opening is looked for: two weeks covers a week of closed days plus the week. */
const LOOKAHEAD_DAYS = 14;

const minutesOf = (time: string): number => {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return h * 60 + m;
};

/** An opening as minutes from the start of its day; a close past midnight runs into the next day. */
function span(interval: OpeningInterval): [number, number] {
  const open = minutesOf(interval.open);
  const close = minutesOf(interval.close);
  return [open, close <= open ? close + MINUTES_PER_DAY : close];
}

/** A problem of the hours, with its path in the configuration (`openingHours.fri.1.open`). */
export interface HoursIssue {
  code: 'custom';
  path: Array<string | number>;
  message: string;
}

/** Where the problems go: a zod refinement's context, or a list in tests. */
export interface IssueSink {
  addIssue(issue: HoursIssue): void;
}

/** Overlapping openings of a list of spans (each with its path): one problem per overlap. */
function overlaps(
  ctx: IssueSink,
  spans: Array<{ start: number; end: number; path: Array<string | number> }>,
  wrap?: number,
): void {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  sorted.forEach((current, index) => {
    const next = sorted[index + 1] ?? (wrap !== undefined && sorted.length > 1 ? sorted[0] : undefined);
    if (!next) return;
    const nextStart = index + 1 < sorted.length ? next.start : next.start + (wrap ?? 0);
    if (current.end > nextStart)
      ctx.addIssue({
        code: 'custom',
        path: next.path,
        message: 'overlaps another opening: change one of them',
      });
  });
}

/**
 * Reports what is wrong with a week's hours and its exceptions: openings that overlap (within a day, or a
 * late opening past midnight over the next day's first), and dates listed twice.
 */
export function checkHours(weekly: WeeklyHours | null, closedDays: ClosedDay[], ctx: IssueSink): void {
  if (weekly) {
    const week = WEEKDAYS.flatMap((day, d) =>
      weekly[day].map((interval, i) => {
        const [start, end] = span(interval);
        return {
          start: d * MINUTES_PER_DAY + start,
          end: d * MINUTES_PER_DAY + end,
          path: ['openingHours', day, i],
        };
      }),
    );
    overlaps(ctx, week, 7 * MINUTES_PER_DAY);
  }
  const seen = new Set<string>();
  closedDays.forEach((day, index) => {
    if (seen.has(day.date))
      ctx.addIssue({ code: 'custom', path: ['closedDays', index, 'date'], message: 'is listed twice' });
    seen.add(day.date);
    const spans = day.hours.map((interval, i) => {
      const [start, end] = span(interval);
      return { start, end, path: ['closedDays', index, 'hours', i] };
    });
    overlaps(ctx, spans);
  });
}

/** What the hours say at a moment; `next` is in the business's time zone. */
export interface OpeningState {
  open: boolean;
  /** The next opening when closed (none within two weeks: absent). */
  next?: {
    /** 'YYYY-MM-DD' and 'HH:mm', local to the business. */
    date: string;
    time: string;
    /** Days from the business's today (0 today, 1 tomorrow). */
    daysAhead: number;
    /** The same moment in ms since the epoch. */
    at: number;
  };
}

/** The settings the hours are read from (the business's configuration has them all). */
export interface HoursSettings {
  /** Absent: UTC. */
  timeZone?: string | undefined;
  openingHours?: WeeklyHours | undefined;
  /** The hours are kept but switched off: always open. */
  openingHoursOff?: boolean | undefined;
  closedDays?: ClosedDay[] | undefined;
}

/** The openings of one local date: its exception when it has one, else its weekday's. */
function openingsOn(settings: HoursSettings, weekly: WeeklyHours, day: DateTime): OpeningInterval[] {
  const date = day.toISODate() ?? '';
  const exception = (settings.closedDays ?? []).find((d) => d.date === date);
  if (exception) return exception.hours;
  return weekly[WEEKDAYS[day.weekday - 1] ?? 'mon'];
}

/**
 * Whether the business is open at `now` (ms since the epoch) and, when closed, its next opening. A
 * business without opening hours, or with its hours switched off, is always open. A local time that does not exist on a DST day (02:30 on
 * the spring-forward night) is read as luxon reads it: moved forward by the gap.
 */
export function openingState(settings: HoursSettings, now: number): OpeningState {
  const weekly = settings.openingHours;
  if (!weekly || settings.openingHoursOff === true) return { open: true };
  const zone = settings.timeZone ?? 'UTC';
  const here = DateTime.fromMillis(now, { zone });
  const today = here.startOf('day');
  let next: { at: DateTime; day: DateTime } | undefined;
  // From yesterday (an opening past midnight may still run) to two weeks ahead.
  for (let offset = -1; offset <= LOOKAHEAD_DAYS; offset += 1) {
    const day = today.plus({ days: offset });
    for (const interval of openingsOn(settings, weekly, day)) {
      const [openMin, closeMin] = span(interval);
      const start = day.set({ hour: Math.floor(openMin / 60), minute: openMin % 60 });
      const closeDay = closeMin >= MINUTES_PER_DAY ? day.plus({ days: 1 }) : day;
      const close = closeMin % MINUTES_PER_DAY;
      const end = closeDay.set({ hour: Math.floor(close / 60), minute: close % 60 });
      if (start <= here && here < end) return { open: true };
      if (start > here && (!next || start < next.at)) next = { at: start, day };
    }
    if (next && offset >= 1) break; // later days cannot open earlier
  }
  if (!next) return { open: false };
  return {
    open: false,
    next: {
      date: next.at.toISODate() ?? '',
      time: next.at.toFormat('HH:mm'),
      daysAhead: Math.round(next.at.startOf('day').diff(today, 'days').days),
      at: next.at.toMillis(),
    },
  };
}
