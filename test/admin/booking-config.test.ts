import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';

interface ErrorBody {
  error: { code: string; fields?: Array<{ field: string; message: string }> };
}
interface BookingBody {
  booking: {
    services: Array<{ id: string; price?: number; resourceIds: string[] }>;
    resources: Array<{ id: string; capacity: number }>;
    latestDays: number;
  } | null;
  offering: { offers: string[] } | null;
}

let nextId = 300_418_000_000_000;
/** A phone number id no other test uses (data isolation). */
function freshId(): string {
  nextId += 1;
  return String(nextId);
}

const clinic = {
  name: 'Clínica Sol',
  currency: 'EUR',
  timeZone: 'Europe/Madrid',
  offering: { offers: ['ordering', 'appointments'] },
  booking: {
    services: [
      { id: 'cleaning', name: 'Dental hygiene', durationMinutes: 45, price: 60, resourceIds: ['ana'] },
    ],
    resources: [{ id: 'ana', name: 'Dr. Ana Ruiz', week: { mon: [{ start: '09:00', end: '13:00' }] } }],
  },
};

/** The booking configuration through the admin API: stored, read back as written, changed, refused by field. */
describe('admin API: booking configuration', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot('admin-booking');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is stored with PUT, read back with its defaults and price, and replaced with PATCH', async () => {
    const id = freshId();
    expect((await t.admin('PUT', `/admin/businesses/${id}`, clinic)).status).toBe(201);

    const got = (await (await t.admin('GET', `/admin/businesses/${id}`)).json()) as BookingBody;
    expect(got.offering).toEqual({ offers: ['ordering', 'appointments'] });
    expect(got.booking?.services[0]?.price).toBe(60);
    expect(got.booking?.latestDays).toBe(60);
    const stored = await t.bot.models.Business.findOne({ phoneNumberId: id }).lean().exec();
    expect(stored?.booking?.services[0]?.priceMinor).toBe(6000);
    expect(stored?.booking?.resources[0]?.capacity).toBe(1);

    const patched = await t.admin('PATCH', `/admin/businesses/${id}`, {
      booking: {
        ...clinic.booking,
        resources: [{ ...clinic.booking.resources[0], capacity: 2 }],
        latestDays: 30,
      },
    });
    expect(patched.status).toBe(200);
    const body = (await patched.json()) as BookingBody;
    expect(body.booking?.resources[0]?.capacity).toBe(2);
    expect(body.booking?.latestDays).toBe(30);
    // Other settings are untouched by a PATCH of booking.
    expect(body.offering).toEqual({ offers: ['ordering', 'appointments'] });
  });

  it('refuses a service naming an unknown resource, naming the field, and keeps the stored one', async () => {
    const id = freshId();
    await t.admin('PUT', `/admin/businesses/${id}`, clinic);
    const res = await t.admin('PATCH', `/admin/businesses/${id}`, {
      booking: { ...clinic.booking, services: [{ ...clinic.booking.services[0], resourceIds: ['ben'] }] },
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.fields).toEqual([
      { field: 'booking.services.0.resourceIds.0', message: 'names no resource of the business (ben)' },
    ]);
    const got = (await (await t.admin('GET', `/admin/businesses/${id}`)).json()) as BookingBody;
    expect(got.booking?.services[0]?.resourceIds).toEqual(['ana']);
  });
});
