/**
 * The admin API's appointments: list a range, book on a customer's behalf, move, cancel, mark a no-show; the
 * business's own key only for its own business; input refused at the boundary with the field named.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';

const ZONE = 'America/Sao_Paulo';
const allWeek = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '08:00', end: '18:00' }]]),
);
const salon = {
  name: 'Salão Lua',
  currency: 'BRL',
  timeZone: ZONE,
  offering: { offers: ['appointments'] },
  booking: {
    services: [{ id: 'cut', name: 'Haircut', durationMinutes: 30, price: 50, resourceIds: ['bia', 'caio'] }],
    resources: [
      { id: 'bia', name: 'Bia', week: allWeek },
      { id: 'caio', name: 'Caio', week: allWeek },
    ],
  },
};

interface AppointmentBody {
  appointment: {
    number: string;
    status: string;
    start: string;
    resourceId: string;
    price?: number;
    bookedBy: string;
  };
  movedFrom?: string;
}

const dayAfter = (): string => DateTime.now().setZone(ZONE).plus({ days: 2 }).toISODate() ?? '';
const iso = (date: string, time: string): string =>
  DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toUTC().toISO() ?? '';

describe('admin API: appointments', () => {
  let t: TestBot;
  let pnid: string;
  let key: string;
  const path = () => `/admin/businesses/${pnid}/appointments`;

  beforeAll(async () => {
    t = await startTestBot('admin-appointments');
    pnid = newPhoneNumberId();
    expect((await t.admin('PUT', `/admin/businesses/${pnid}`, salon)).status).toBe(201);
    const made = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'api' });
    key = ((await made.json()) as { key: string }).key;
  });
  afterAll(async () => {
    await t.close();
  });

  it('books, lists by range, moves (old kept until the new is booked), marks a no-show and cancels', async () => {
    const date = dayAfter();
    const booked = await t.admin(
      'POST',
      path(),
      { serviceId: 'cut', start: iso(date, '10:00'), phone: `+${newWaId()}`, name: 'Rita', key: 'call-0001' },
      key,
    );
    expect(booked.status).toBe(201);
    const first = ((await booked.json()) as AppointmentBody).appointment;
    expect(first).toMatchObject({ status: 'booked', resourceId: 'bia', price: 50, bookedBy: 'staff' });
    expect(JSON.stringify(first)).not.toMatch(/customerRef|phone|Rita/);

    // The same key again: the same appointment, not a second one.
    const repeat = await t.admin(
      'POST',
      path(),
      { serviceId: 'cut', start: iso(date, '10:00'), phone: `+${newWaId()}`, key: 'call-0001' },
      key,
    );
    expect(((await repeat.json()) as AppointmentBody).appointment.number).toBe(first.number);
    // Both staff members busy at 10:00 once Caio is booked too; a third is refused as taken.
    expect(
      (
        await t.admin(
          'POST',
          path(),
          { serviceId: 'cut', start: iso(date, '10:00'), phone: `+${newWaId()}` },
          key,
        )
      ).status,
    ).toBe(201);
    const full = await t.admin(
      'POST',
      path(),
      { serviceId: 'cut', start: iso(date, '10:00'), phone: `+${newWaId()}` },
      key,
    );
    expect(full.status).toBe(409);

    const list = await t.admin(
      'GET',
      `${path()}?from=${encodeURIComponent(iso(date, '00:00'))}&to=${encodeURIComponent(iso(date, '23:59'))}`,
      undefined,
      key,
    );
    expect(list.status).toBe(200);
    expect(((await list.json()) as { appointments: unknown[] }).appointments).toHaveLength(2);

    const moved = await t.admin(
      'PATCH',
      `${path()}/${first.number}`,
      { action: 'move', start: iso(date, '10:15'), resourceId: 'bia' },
      key,
    );
    expect(moved.status).toBe(200);
    const movedBody = (await moved.json()) as AppointmentBody;
    expect(movedBody.movedFrom).toBe(first.number);
    expect(movedBody.appointment.start).toBe(new Date(iso(date, '10:15')).toISOString());
    expect((await t.bot.appointments.get(pnid, first.number))?.status).toBe('cancelled');

    // Before its start the customer may still come: a no-show is refused.
    const early = await t.admin(
      'PATCH',
      `${path()}/${movedBody.appointment.number}`,
      { action: 'no_show' },
      key,
    );
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('has not started yet');
    expect((await t.bot.appointments.get(pnid, movedBody.appointment.number))?.status).toBe('booked');
    // Once its time has come (the record's start put an hour in the past), it can be marked.
    const movedId = (await t.bot.appointments.get(pnid, movedBody.appointment.number))?.id;
    await t.bot.models.Appointment.updateOne(
      { phoneNumberId: pnid, _id: movedId },
      { $set: { start: new Date(Date.now() - 3_600_000) } },
    ).exec();
    const noShow = await t.admin(
      'PATCH',
      `${path()}/${movedBody.appointment.number}`,
      { action: 'no_show' },
      key,
    );
    expect(((await noShow.json()) as AppointmentBody).appointment.status).toBe('no_show');
    const cancelNoShow = await t.admin(
      'PATCH',
      `${path()}/${movedBody.appointment.number}`,
      { action: 'cancel' },
      key,
    );
    expect(cancelNoShow.status).toBe(409);
  });

  it('refuses bad input by field, other businesses and unknown numbers', async () => {
    const bad = await t.admin(
      'POST',
      path(),
      { serviceId: 'cut', start: 'tomorrow', phone: '+34611111111' },
      key,
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('start');
    const noService = await t.admin(
      'POST',
      path(),
      { serviceId: 'nails', start: iso(dayAfter(), '11:00'), phone: '+34611111111' },
      key,
    );
    expect(noService.status).toBe(400);
    const badPhone = await t.admin(
      'POST',
      path(),
      { serviceId: 'cut', start: iso(dayAfter(), '11:00'), phone: 'call me' },
      key,
    );
    expect(badPhone.status).toBe(400);
    const wide = await t.admin(
      'GET',
      `${path()}?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`,
      undefined,
      key,
    );
    expect(wide.status).toBe(400);
    expect((await t.admin('PATCH', `${path()}/A-999999`, { action: 'cancel' }, key)).status).toBe(404);
    const other = newPhoneNumberId();
    expect((await t.admin('PUT', `/admin/businesses/${other}`, salon)).status).toBe(201);
    const foreign = await t.admin(
      'GET',
      `/admin/businesses/${other}/appointments?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`,
      undefined,
      key,
    );
    expect(foreign.status).toBe(403);
  });
});
