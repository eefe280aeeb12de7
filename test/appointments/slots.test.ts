import { describe, expect, it } from 'vitest';
import { freeDays, nearestFree, slotsOn } from '../../src/appointments/slots.js';
import type { BusyInterval, SlotQuery } from '../../src/appointments/slots.js';
import { BOOKING_DEFAULTS } from '../../src/core/booking.js';
import type { BookingConfig, Resource, Service, WeeklyWork } from '../../src/core/booking.js';

/**
 * Slot computation against tables checked by hand: each row is the local wall time with its offset (as
 * the business's clock shows it) and the UTC instant it is, worked out from the zone's rules, not from
 * the code under test.
 */

const resource = (id: string, week: WeeklyWork, more: Partial<Resource> = {}): Resource => ({
  id,
  name: id,
  kind: 'staff',
  capacity: 1,
  week,
  active: true,
  ...more,
});

const service = (more: Partial<Service> = {}): Service => ({
  id: 'visit',
  name: 'Visit',
  durationMinutes: 30,
  resourceIds: ['ana'],
  active: true,
  ...more,
});

const config = (more: Partial<BookingConfig>): BookingConfig => ({
  ...BOOKING_DEFAULTS,
  remindersMinutes: [...BOOKING_DEFAULTS.remindersMinutes],
  services: [service()],
  resources: [resource('ana', {})],
  ...more,
});

const query = (more: Partial<SlotQuery> & Pick<SlotQuery, 'config' | 'now'>): SlotQuery => ({
  timeZone: 'Europe/Madrid',
  serviceId: 'visit',
  busy: [],
  ...more,
});

const busy = (resourceId: string, start: string, end: string): BusyInterval => ({
  resourceId,
  start: new Date(start),
  end: new Date(end),
});

const starts = (slots: Array<{ start: string }>) => slots.map((s) => s.start);

describe('slotsOn across daylight-saving changes', () => {
  it('Europe/Madrid 2026-03-29 (02:00 → 03:00): the missing hour offers nothing', () => {
    // Sunday; working 01:00–04:00 is 01:00 CET (00:00Z) to 04:00 CEST (02:00Z): two real hours.
    const q = query({
      config: config({ resources: [resource('ana', { sun: [{ start: '01:00', end: '04:00' }] })] }),
      now: new Date('2026-03-20T00:00:00Z'),
    });
    const table: Array<[local: string, utc: string]> = [
      ['01:00+01:00', '2026-03-29T00:00:00.000Z'],
      ['01:15+01:00', '2026-03-29T00:15:00.000Z'],
      ['01:30+01:00', '2026-03-29T00:30:00.000Z'],
      ['01:45+01:00', '2026-03-29T00:45:00.000Z'],
      // 02:00–02:45 do not exist that night.
      ['03:00+02:00', '2026-03-29T01:00:00.000Z'],
      ['03:15+02:00', '2026-03-29T01:15:00.000Z'],
      ['03:30+02:00', '2026-03-29T01:30:00.000Z'], // ends 04:00 CEST, the end of the interval
    ];
    const slots = slotsOn(q, '2026-03-29');
    expect(starts(slots)).toEqual(table.map(([, utc]) => utc));
    expect(slots.map((s) => s.end)[0]).toBe('2026-03-29T00:30:00.000Z');
  });

  it('Europe/Madrid 2026-10-25 (03:00 → 02:00): the repeated hour offers each of its instants', () => {
    // Working 01:00 CEST (23:00Z the day before) to 04:00 CET (03:00Z): four real hours; 60-minute service.
    const q = query({
      config: config({
        slotStepMinutes: 30,
        services: [service({ durationMinutes: 60 })],
        resources: [resource('ana', { sun: [{ start: '01:00', end: '04:00' }] })],
      }),
      now: new Date('2026-10-20T00:00:00Z'),
    });
    const table: Array<[local: string, utc: string]> = [
      ['01:00+02:00', '2026-10-24T23:00:00.000Z'],
      ['01:30+02:00', '2026-10-24T23:30:00.000Z'],
      ['02:00+02:00', '2026-10-25T00:00:00.000Z'],
      ['02:30+02:00', '2026-10-25T00:30:00.000Z'],
      ['02:00+01:00', '2026-10-25T01:00:00.000Z'],
      ['02:30+01:00', '2026-10-25T01:30:00.000Z'],
      ['03:00+01:00', '2026-10-25T02:00:00.000Z'], // ends 04:00 CET
    ];
    expect(starts(slotsOn(q, '2026-10-25'))).toEqual(table.map(([, utc]) => utc));
    // The Saturday before has no hours: nothing of that night leaks into it.
    expect(slotsOn(q, '2026-10-24')).toEqual([]);
  });

  it('America/Sao_Paulo 2018-11-04 (00:00 → 01:00): the day starts at 01:00', () => {
    // Working 00:00–03:00 on a night whose 00:00–00:59 never happens: 01:00-02 (03:00Z) to 03:00-02 (05:00Z).
    const q = query({
      timeZone: 'America/Sao_Paulo',
      config: config({
        slotStepMinutes: 30,
        services: [service({ durationMinutes: 60 })],
        resources: [resource('ana', { sun: [{ start: '00:00', end: '03:00' }] })],
      }),
      now: new Date('2018-10-20T00:00:00Z'),
    });
    const table: Array<[local: string, utc: string]> = [
      ['01:00-02:00', '2018-11-04T03:00:00.000Z'],
      ['01:30-02:00', '2018-11-04T03:30:00.000Z'],
      ['02:00-02:00', '2018-11-04T04:00:00.000Z'],
    ];
    expect(starts(slotsOn(q, '2018-11-04'))).toEqual(table.map(([, utc]) => utc));
    // The Sunday a week before (-03 all day): 00:00-03 (03:00Z) to 03:00-03 (06:00Z), five starts.
    expect(starts(slotsOn(q, '2018-10-28'))).toEqual([
      '2018-10-28T03:00:00.000Z',
      '2018-10-28T03:30:00.000Z',
      '2018-10-28T04:00:00.000Z',
      '2018-10-28T04:30:00.000Z',
      '2018-10-28T05:00:00.000Z',
    ]);
  });

  it('America/Sao_Paulo 2018-02-17/18 (00:00 → 23:00 the day before): 23:00 happens twice on the 17th', () => {
    // Saturday 21:00-02 (23:00Z) to the second 23:30, at -03 (02:30Z); 30-minute service, step 30.
    const q = query({
      timeZone: 'America/Sao_Paulo',
      config: config({
        slotStepMinutes: 30,
        resources: [
          resource('ana', {
            sat: [{ start: '21:00', end: '23:30' }],
            sun: [{ start: '00:00', end: '01:00' }],
          }),
        ],
      }),
      now: new Date('2018-02-10T00:00:00Z'),
    });
    const table: Array<[local: string, utc: string]> = [
      ['21:00-02:00', '2018-02-17T23:00:00.000Z'],
      ['21:30-02:00', '2018-02-17T23:30:00.000Z'],
      ['22:00-02:00', '2018-02-18T00:00:00.000Z'],
      ['22:30-02:00', '2018-02-18T00:30:00.000Z'],
      ['23:00-02:00', '2018-02-18T01:00:00.000Z'],
      ['23:30-02:00', '2018-02-18T01:30:00.000Z'],
      ['23:00-03:00', '2018-02-18T02:00:00.000Z'],
      // 23:30-03 would end at 00:00-03, past the second 23:30.
    ];
    expect(starts(slotsOn(q, '2018-02-17'))).toEqual(table.map(([, utc]) => utc));
    // Sunday the 18th begins at 00:00-03 (03:00Z).
    expect(starts(slotsOn(q, '2018-02-18'))).toEqual([
      '2018-02-18T03:00:00.000Z',
      '2018-02-18T03:30:00.000Z',
    ]);
  });
});

// Monday 2026-06-01, Madrid at +02:00: 09:00 local is 07:00Z.
const monday = '2026-06-01';
const before = new Date('2026-05-25T00:00:00Z');
const mornings: WeeklyWork = { mon: [{ start: '09:00', end: '12:00' }] };

describe('slotsOn: buffers, parallelism, exceptions, preference', () => {
  it('keeps the buffer after an existing booking and after the new one', () => {
    // A 45-minute service with 15 minutes of buffer holds an hour. Busy 10:00–11:00 local (booking + buffer).
    const taken = [busy('ana', '2026-06-01T08:00:00Z', '2026-06-01T09:00:00Z')];
    const withBuffer = query({
      config: config({
        services: [service({ durationMinutes: 45, bufferMinutes: 15 })],
        resources: [resource('ana', mornings)],
      }),
      now: before,
      busy: taken,
    });
    // 09:00 (ends 09:45 + buffer to 10:00) and 11:00 (buffer to 12:00); 09:15 would run into 10:00.
    const slots = slotsOn(withBuffer, monday);
    expect(starts(slots)).toEqual(['2026-06-01T07:00:00.000Z', '2026-06-01T09:00:00.000Z']);
    expect(slots.map((s) => s.end)).toEqual(['2026-06-01T07:45:00.000Z', '2026-06-01T09:45:00.000Z']);
    // Without the buffer, 09:15 and 11:15 fit too.
    const noBuffer = {
      ...withBuffer,
      config: config({
        services: [service({ durationMinutes: 45 })],
        resources: [resource('ana', mornings)],
      }),
    };
    expect(starts(slotsOn(noBuffer, monday))).toEqual([
      '2026-06-01T07:00:00.000Z',
      '2026-06-01T07:15:00.000Z',
      '2026-06-01T09:00:00.000Z',
      '2026-06-01T09:15:00.000Z',
    ]);
  });

  it('capacity 2: two bookings at once fill a slot, one does not, two in a row do not', () => {
    const room = resource('room', { mon: [{ start: '09:00', end: '11:00' }] }, { kind: 'room', capacity: 2 });
    const base = {
      config: config({
        slotStepMinutes: 60,
        services: [service({ durationMinutes: 60, resourceIds: ['room'] })],
        resources: [room],
      }),
      now: before,
    };
    const nine = '2026-06-01T07:00:00Z';
    const ten = '2026-06-01T08:00:00Z';
    const one = [busy('room', nine, ten)];
    expect(starts(slotsOn(query({ ...base, busy: one }), monday))).toEqual([
      '2026-06-01T07:00:00.000Z',
      '2026-06-01T08:00:00.000Z',
    ]);
    const two = [busy('room', nine, ten), busy('room', nine, ten)];
    expect(starts(slotsOn(query({ ...base, busy: two }), monday))).toEqual(['2026-06-01T08:00:00.000Z']);
    // 09:00–09:30 and 09:30–10:00: never two at once, so 09:00–10:00 still has a place.
    const inARow = [busy('room', nine, '2026-06-01T07:30:00Z'), busy('room', '2026-06-01T07:30:00Z', ten)];
    expect(starts(slotsOn(query({ ...base, busy: inARow }), monday))).toHaveLength(2);
    // A third booking overlapping the first makes two at once.
    const overlapping = [...inARow, busy('room', '2026-06-01T07:15:00Z', '2026-06-01T07:20:00Z')];
    expect(starts(slotsOn(query({ ...base, busy: overlapping }), monday))).toEqual([
      '2026-06-01T08:00:00.000Z',
    ]);
  });

  const two = config({
    slotStepMinutes: 60,
    services: [service({ durationMinutes: 60, resourceIds: ['ana', 'ben'] })],
    resources: [resource('ana', mornings), resource('ben', mornings)],
  });

  it('a business holiday closes every resource; special hours replace the week', () => {
    expect(slotsOn(query({ config: two, now: before }), monday)).toHaveLength(3);
    const holiday = { ...two, exceptions: [{ date: monday, intervals: [] }] };
    expect(slotsOn(query({ config: holiday, now: before }), monday)).toEqual([]);
    const short = { ...two, exceptions: [{ date: monday, intervals: [{ start: '16:00', end: '17:00' }] }] };
    expect(slotsOn(query({ config: short, now: before }), monday)).toEqual([
      { start: '2026-06-01T14:00:00.000Z', end: '2026-06-01T15:00:00.000Z', resourceIds: ['ana', 'ben'] },
    ]);
  });

  it('a resource absence removes only that resource', () => {
    const absent = {
      ...two,
      resources: [
        resource('ana', mornings, { exceptions: [{ date: monday, intervals: [] }] }),
        resource('ben', mornings),
      ],
    };
    const slots = slotsOn(query({ config: absent, now: before }), monday);
    expect(slots.map((s) => s.resourceIds)).toEqual([['ben'], ['ben'], ['ben']]);
    // Another Monday: both again.
    expect(slotsOn(query({ config: absent, now: before }), '2026-06-08')[0]?.resourceIds).toEqual([
      'ana',
      'ben',
    ]);
  });

  it('a preferred resource offers only its own slots; one that cannot do the service, none', () => {
    const q = query({
      config: two,
      now: before,
      busy: [busy('ana', '2026-06-01T07:00:00Z', '2026-06-01T08:00:00Z')],
    });
    expect(slotsOn(q, monday).map((s) => [s.start, s.resourceIds])).toEqual([
      ['2026-06-01T07:00:00.000Z', ['ben']],
      ['2026-06-01T08:00:00.000Z', ['ana', 'ben']],
      ['2026-06-01T09:00:00.000Z', ['ana', 'ben']],
    ]);
    expect(starts(slotsOn({ ...q, preferredResourceId: 'ana' }, monday))).toEqual([
      '2026-06-01T08:00:00.000Z',
      '2026-06-01T09:00:00.000Z',
    ]);
    expect(slotsOn({ ...q, preferredResourceId: 'zed' }, monday)).toEqual([]);
  });

  it('an interval until 24:00 runs to midnight', () => {
    // Friday 2026-06-05, +02:00: 22:00 is 20:00Z, midnight 22:00Z.
    const late = config({
      slotStepMinutes: 60,
      services: [service({ durationMinutes: 60 })],
      resources: [resource('ana', { fri: [{ start: '22:00', end: '24:00' }] })],
    });
    expect(starts(slotsOn(query({ config: late, now: before }), '2026-06-05'))).toEqual([
      '2026-06-05T20:00:00.000Z',
      '2026-06-05T21:00:00.000Z',
    ]);
  });

  it('inactive resources and services offer nothing', () => {
    const off = {
      ...two,
      resources: [resource('ana', mornings, { active: false }), resource('ben', mornings)],
    };
    expect(slotsOn(query({ config: off, now: before }), monday)[0]?.resourceIds).toEqual(['ben']);
    const stopped = { ...two, services: [service({ resourceIds: ['ana', 'ben'], active: false })] };
    expect(slotsOn(query({ config: stopped, now: before }), monday)).toEqual([]);
    expect(freeDays(query({ config: stopped, now: before }), { limit: 5 })).toEqual([]);
  });
});

describe('the booking window', () => {
  const daily: WeeklyWork = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '08:00', end: '12:00' }]]),
  );
  const cfg = config({ slotStepMinutes: 30, resources: [resource('ana', daily)] });
  // 2026-06-01 09:00 local: the earliest slot is 11:00 local (09:00Z), the latest 2026-07-31 09:00 local.
  const now = new Date('2026-06-01T07:00:00Z');

  it('starts no earlier than now + 2 h, counting the slot exactly at the edge', () => {
    expect(starts(slotsOn(query({ config: cfg, now }), monday))).toEqual([
      '2026-06-01T09:00:00.000Z',
      '2026-06-01T09:30:00.000Z',
    ]);
  });

  it('starts no later than now + 60 days, counting the slot exactly at the edge', () => {
    expect(starts(slotsOn(query({ config: cfg, now }), '2026-07-31'))).toEqual([
      '2026-07-31T06:00:00.000Z',
      '2026-07-31T06:30:00.000Z',
      '2026-07-31T07:00:00.000Z',
    ]);
    expect(slotsOn(query({ config: cfg, now }), '2026-08-01')).toEqual([]);
    const days = freeDays(query({ config: cfg, now }), { limit: 100 });
    expect(days).toHaveLength(61);
    expect(days[0]).toEqual({ date: '2026-06-01', free: 2 });
    expect(days[60]).toEqual({ date: '2026-07-31', free: 3 });
  });

  it('freeDays skips full and closed days and stops at the limit', () => {
    const holiday = { ...cfg, exceptions: [{ date: '2026-06-03', intervals: [] }] };
    const full = [busy('ana', '2026-06-02T06:00:00Z', '2026-06-02T10:00:00Z')];
    expect(freeDays(query({ config: holiday, now, busy: full }), { limit: 3 })).toEqual([
      { date: '2026-06-01', free: 2 },
      { date: '2026-06-04', free: 8 },
      { date: '2026-06-05', free: 8 },
    ]);
  });
});

describe('nearestFree', () => {
  const q = query({
    config: config({ slotStepMinutes: 30, resources: [resource('ana', mornings)] }),
    now: before,
    // The slot lost to another customer: 10:00–10:30 local.
    busy: [busy('ana', '2026-06-01T08:00:00Z', '2026-06-01T08:30:00Z')],
  });
  const lost = new Date('2026-06-01T08:00:00Z');

  it('offers the nearest free slots, the earlier of two equally near first', () => {
    expect(starts(nearestFree(q, lost, 3))).toEqual([
      '2026-06-01T07:30:00.000Z',
      '2026-06-01T08:30:00.000Z',
      '2026-06-01T07:00:00.000Z',
    ]);
  });

  it('looks at other days when the day has too few', () => {
    // Monday has 5 free (6 starts, one taken); the Monday before is in the past (now: Thursday 28 May), so
    // the 6th and 7th are on the next Monday, 09:00 and 09:30.
    const slots = nearestFree({ ...q, now: new Date('2026-05-28T00:00:00Z') }, lost, 7);
    expect(starts(slots).slice(5)).toEqual(['2026-06-08T07:00:00.000Z', '2026-06-08T07:30:00.000Z']);
  });
});
