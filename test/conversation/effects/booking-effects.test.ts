import { describe, expect, it } from 'vitest';
import type { AppointmentStore } from '../../../src/appointments/store.js';
import { businessInput, toBusinessData } from '../../../src/businesses/schema.js';
import { BOOKING_DEFAULTS } from '../../../src/core/booking.js';
import type { AppointmentView, BookingConfig, Resource } from '../../../src/core/booking.js';
import { bookingEffects } from '../../../src/conversation/effects/booking.js';
import { effectContext } from '../../../src/conversation/effects/context.js';
import { fakeFlowDeps } from '../../helpers/flows.js';

/**
 * Booking's effects (src/conversation/effects/booking.ts) over a stub store: the staff offered are those
 * free at the chosen time, and a reminder's appointment is found only when it is the customer's own.
 */

/** Saturday 5 December 2026, 11:00 in Madrid. */
const NOW = Date.parse('2026-12-05T10:00:00Z');
/** Monday 7 December 2026, 09:00 and 09:30 in Madrid (CET, UTC+1). */
const NINE = '2026-12-07T08:00:00.000Z';
const NINE_THIRTY = '2026-12-07T08:30:00.000Z';

const staff = (id: string, name: string): Resource => ({
  id,
  name,
  kind: 'staff',
  capacity: 1,
  week: { mon: [{ start: '09:00', end: '13:00' }] },
  active: true,
});

const CONFIG: BookingConfig = {
  ...BOOKING_DEFAULTS,
  remindersMinutes: [...BOOKING_DEFAULTS.remindersMinutes],
  services: [
    { id: 'visit', name: 'Visit', durationMinutes: 30, resourceIds: ['ana', 'ben', 'cleo'], active: true },
  ],
  resources: [staff('ana', 'Ana'), staff('ben', 'Ben'), staff('cleo', 'Cleo')],
};

const business = {
  ...toBusinessData(
    '100000000000777',
    businessInput.parse({
      name: 'Clinic',
      currency: 'EUR',
      locale: 'en',
      timeZone: 'Europe/Madrid',
      catalog: [],
    }),
  ),
  booking: CONFIG,
};

const appointment = (id: string, start: string): AppointmentView => ({
  id,
  number: `A-${id}`,
  phoneNumberId: business.phoneNumberId,
  serviceId: 'visit',
  serviceName: 'Visit',
  resourceId: 'ana',
  resourceName: 'Ana',
  start: new Date(start),
  end: new Date(Date.parse(start) + 30 * 60_000),
  status: 'booked',
  currency: 'EUR',
  bookedBy: 'customer',
});

/** The store as booking reads it: who is busy when, and each customer's upcoming appointments. */
function effects(options: { busy?: Array<{ resourceId: string; start: string; end: string }> } = {}) {
  const byCustomer: Record<string, AppointmentView[]> = {
    'customer-ref': [appointment('a1', NINE), appointment('soon', '2026-12-05T12:00:00.000Z')],
    'someone-else': [appointment('b1', NINE_THIRTY)],
  };
  const store = {
    busy: () =>
      Promise.resolve(
        (options.busy ?? []).map((b) => ({
          resourceId: b.resourceId,
          start: new Date(b.start),
          end: new Date(b.end),
        })),
      ),
    upcomingOf: (customerRef: string, phoneNumberId: string) =>
      Promise.resolve(phoneNumberId === business.phoneNumberId ? (byCustomer[customerRef] ?? []) : []),
  } as unknown as AppointmentStore;
  const deps = fakeFlowDeps(business, { appointments: store, now: () => NOW });
  return bookingEffects(effectContext(business, 'customer-ref', deps, undefined, undefined));
}

describe('bookingStaff', () => {
  it('when one of three is busy at the chosen time, then only the two free then are offered', async () => {
    const e = effects({ busy: [{ resourceId: 'ana', start: NINE, end: NINE_THIRTY }] });
    expect(await e.bookingStaff({ serviceId: 'visit', start: NINE, language: 'en' })).toEqual([
      { id: 'ben', title: 'Ben' },
      { id: 'cleo', title: 'Cleo' },
    ]);
    // Half an hour later all three are free again.
    expect((await e.bookingStaff({ serviceId: 'visit', start: NINE_THIRTY, language: 'en' })).length).toBe(3);
  });

  it('when only one is free at the chosen time, then there is no question', async () => {
    const e = effects({
      busy: [
        { resourceId: 'ana', start: NINE, end: NINE_THIRTY },
        { resourceId: 'ben', start: NINE, end: NINE_THIRTY },
      ],
    });
    expect(await e.bookingStaff({ serviceId: 'visit', start: NINE, language: 'en' })).toEqual([]);
  });
});

describe('appointmentOf', () => {
  it('when the appointment is the customer’s own and before the cut-off, then it is open and can be changed', async () => {
    const found = await effects().appointmentOf({ id: 'a1', language: 'en' });
    expect(found).toMatchObject({
      status: 'open',
      appointment: { id: 'a1', serviceId: 'visit', cancellable: true, movable: true },
    });
    // On the business's clock: 08:00 UTC is 09:00 in Madrid.
    expect(found.status === 'open' && found.appointment.when).toBe('Mon, Dec 7 at 9:00 AM');
  });

  it('when it is past the cut-off, then it is open but can no longer be changed here', async () => {
    expect(await effects().appointmentOf({ id: 'soon', language: 'es' })).toMatchObject({
      status: 'open',
      appointment: { id: 'soon', cancellable: false, movable: false },
    });
  });

  it('when the id is someone else’s appointment or forged, then it is gone', async () => {
    expect(await effects().appointmentOf({ id: 'b1', language: 'en' })).toEqual({ status: 'gone' });
    expect(await effects().appointmentOf({ id: 'nope', language: 'en' })).toEqual({ status: 'gone' });
  });
});
