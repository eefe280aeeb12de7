import { describe, expect, it } from 'vitest';
import { businessInput, toBusinessData } from '../../src/businesses/schema.js';

/** The booking configuration and offering settings as the admin API checks them (src/businesses/schema.ts). */

const ana = { id: 'ana', name: 'Dr. Ana Ruiz', week: { mon: [{ start: '09:00', end: '13:00' }] } };
const cleaning = { id: 'cleaning', name: 'Dental hygiene', durationMinutes: 45, resourceIds: ['ana'] };

const business = (booking: unknown, more: Record<string, unknown> = {}) => ({
  name: 'Clínica Sol',
  currency: 'EUR',
  timeZone: 'Europe/Madrid',
  booking,
  ...more,
});

/** The problems of a refused configuration, as "path: message". */
function problems(input: unknown): string[] {
  const result = businessInput.safeParse(input);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('booking configuration: accepted', () => {
  it('fills the defaults, keeps a service price in minor units and the offering as written', () => {
    const parsed = businessInput.parse(
      business(
        { services: [{ ...cleaning, price: 60.5, bufferMinutes: 15 }], resources: [ana] },
        {
          offering: {
            offers: ['appointments'],
            serviceNoun: { es: { one: 'tratamiento', other: 'tratamientos' } },
          },
        },
      ),
    );
    const data = toBusinessData('34600111222', parsed);
    expect(data.booking).toEqual({
      services: [{ ...cleaning, bufferMinutes: 15, priceMinor: 6050, active: true }],
      resources: [{ ...ana, kind: 'staff', capacity: 1, active: true }],
      earliestMinutes: 120,
      latestDays: 60,
      slotStepMinutes: 15,
      cancelCutoffMinutes: 1440,
      remindersMinutes: [1440, 120],
      chooseStaff: true,
    });
    expect(data.offering).toEqual({
      offers: ['appointments'],
      serviceNoun: { es: { one: 'tratamiento', other: 'tratamientos' } },
    });
  });

  it('takes exceptions (holiday, special hours), capacity, intake questions and until-midnight hours', () => {
    const parsed = businessInput.parse(
      business({
        services: [
          {
            ...cleaning,
            intake: [
              { id: 'reason', text: 'Reason for the visit?' },
              { id: 'allergies', text: 'Any allergies?', maxLength: 100 },
            ],
          },
        ],
        resources: [{ ...ana, capacity: 3, kind: 'room', week: { fri: [{ start: '16:00', end: '24:00' }] } }],
        exceptions: [
          { date: '2026-12-25', note: 'Christmas' },
          { date: '2026-12-24', intervals: [{ start: '09:00', end: '12:00' }] },
        ],
      }),
    );
    const booking = toBusinessData('34600111222', parsed).booking;
    expect(booking?.exceptions?.map((e) => [e.date, e.intervals.length])).toEqual([
      ['2026-12-24', 1],
      ['2026-12-25', 0],
    ]);
    expect(booking?.resources[0]?.capacity).toBe(3);
    expect(booking?.services[0]?.intake).toHaveLength(2);
  });

  it('a business without booking has none stored', () => {
    expect(
      toBusinessData('34600111222', businessInput.parse({ name: 'Bar', currency: 'EUR' })),
    ).not.toHaveProperty('booking');
  });
});

describe('booking configuration: refused, naming the field', () => {
  it('duplicate resource and service ids', () => {
    expect(
      problems(business({ services: [cleaning, cleaning], resources: [ana, { ...ana, name: 'Other' }] })),
    ).toEqual([
      'booking.resources.1.id: duplicate resource id',
      'booking.services.1.id: duplicate service id',
    ]);
  });

  it('ids outside the catalogue id pattern', () => {
    expect(problems(business({ services: [], resources: [{ ...ana, id: 'dr ana' }] }))).toEqual([
      'booking.resources.0.id: must be 1–64 letters, digits, "_" or "-"',
    ]);
  });

  it('a service naming a resource that does not exist', () => {
    expect(
      problems(business({ services: [{ ...cleaning, resourceIds: ['ana', 'ben'] }], resources: [ana] })),
    ).toEqual(['booking.services.0.resourceIds.1: names no resource of the business (ben)']);
  });

  it('intervals: start after end, overlapping, malformed', () => {
    const week = {
      mon: [{ start: '13:00', end: '09:00' }],
      tue: [
        { start: '09:00', end: '13:00' },
        { start: '12:30', end: '15:00' },
      ],
      wed: [{ start: '9:00', end: '13:00' }],
    };
    expect(problems(business({ services: [], resources: [{ ...ana, week }] }))).toEqual([
      'booking.resources.0.week.mon.0.end: must end after it starts',
      'booking.resources.0.week.tue.1.start: overlaps another interval of the day',
      'booking.resources.0.week.wed.0.start: must be a time such as 09:30 or 21:00',
    ]);
  });

  it('exception dates that do not exist or repeat', () => {
    expect(
      problems(
        business({
          services: [],
          resources: [{ ...ana, exceptions: [{ date: '2026-02-30' }] }],
          exceptions: [{ date: '2026-12-25' }, { date: '2026-12-25' }],
        }),
      ),
    ).toEqual([
      'booking.resources.0.exceptions.0.date: must be a date that exists',
      'booking.exceptions.1.date: is listed twice',
    ]);
  });

  it('more than 2 intake questions, durations and capacity out of range', () => {
    const question = (id: string) => ({ id, text: 'Why?' });
    expect(
      problems(
        business({
          services: [
            { ...cleaning, intake: [question('a'), question('b'), question('c')] },
            { ...cleaning, id: 'short', durationMinutes: 4 },
            { ...cleaning, id: 'long', durationMinutes: 721 },
          ],
          resources: [{ ...ana, capacity: 51 }],
        }),
      ),
    ).toEqual([
      'booking.services.0.intake: at most 2 intake questions per service',
      'booking.services.1.durationMinutes: must be at least 5 minutes',
      'booking.services.2.durationMinutes: must be at most 720 minutes (12 hours)',
      'booking.resources.0.capacity: must be at most 50',
    ]);
    expect(problems(business({ services: [], resources: [{ ...ana, capacity: 0 }] }))).toEqual([
      'booking.resources.0.capacity: must be at least 1',
    ]);
  });

  it('offers empty, repeated, or appointments without a booking configuration', () => {
    expect(problems(business(null, { offering: { offers: [] } }))).toEqual([
      'offering.offers: must offer at least one of ordering or appointments',
    ]);
    expect(problems(business(null, { offering: { offers: ['ordering', 'ordering'] } }))).toEqual([
      'offering.offers: must name each offer once',
    ]);
    expect(problems(business(null, { offering: { offers: ['ordering', 'appointments'] } }))).toEqual([
      'offering.offers: offers appointments: set booking (services and resources) too',
    ]);
  });

  it('a service price with more decimals than the currency has', () => {
    expect(problems(business({ services: [{ ...cleaning, price: 10.555 }], resources: [ana] }))).toEqual([
      'booking.services.0.price: has more decimals than EUR allows',
    ]);
  });
});
