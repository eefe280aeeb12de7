/**
 * The portal's appointment calendar end to end: the whole bot on a random port, real HTTP with a cookie jar.
 * The day view with a booking (the view recorded), booking on a customer's behalf (the customer stored and
 * found again by number), moving (the old time kept until the new one is booked), cancelling with a
 * confirmation, marking a no-show, and another business's appointment staying out of reach.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { conversationId } from '../helpers/engine.js';
import { inboundText, newPhoneNumberId, newWaId, newWamid } from '../helpers/payloads.js';
import { csrfOf, PortalClient } from '../helpers/portal-client.js';

const ZONE = 'Europe/Madrid';
const allWeek = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
);
const clinic = {
  name: 'Clínica Sol',
  currency: 'EUR',
  timeZone: ZONE,
  offering: { offers: ['appointments'] },
  booking: {
    services: [
      {
        id: 'cleaning',
        name: 'Dental hygiene',
        durationMinutes: 60,
        price: 60,
        resourceIds: ['ana'],
        intake: [{ id: 'reason', text: 'Reason for the visit?' }],
      },
      { id: 'check', name: 'Check-up', durationMinutes: 30, resourceIds: ['ana'] },
    ],
    resources: [{ id: 'ana', name: 'Dr. Ana Ruiz', week: allWeek }],
    exceptions: [{ date: '2030-12-25', intervals: [], note: 'Christmas' }],
  },
};

/** Tomorrow on the business's clock, and an instant at `time` that day. */
const tomorrow = (): string => DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate() ?? '';
const at = (date: string, time: string): Date =>
  DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
/** The value of the free-time radio labelled `time` on a booking or move page. */
function slotValue(html: string, time: string): string {
  const m = new RegExp(
    `value="([^"]+)"[^>]*> <label for="m?slot-\\d+" class="inline" data-testid="m?slot-${time}"`,
  ).exec(html);
  if (!m?.[1]) throw new Error(`no free time ${time} on the page`);
  return m[1];
}
const field = (html: string, name: string): string =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

describe('portal calendar', () => {
  let t: TestBot;
  let pnid: string;
  let c: PortalClient;

  async function bookAs(customerRef: string, start: Date, key: string, intake?: Record<string, string>) {
    const result = await t.bot.appointments.book({
      phoneNumberId: pnid,
      customerRef,
      service: { id: 'cleaning', name: 'Dental hygiene', priceMinor: 6000 },
      resourceCandidates: [{ id: 'ana', name: 'Dr. Ana Ruiz', capacity: 1 }],
      start,
      end: new Date(start.getTime() + 60 * 60_000),
      bufferMinutes: 0,
      currency: 'EUR',
      key,
      bookedBy: 'customer',
      ...(intake ? { intake } : {}),
    });
    if (result.status !== 'booked') throw new Error(`not booked: ${result.status}`);
    return result.appointment;
  }

  beforeAll(async () => {
    t = await startTestBot('portal-calendar');
    pnid = newPhoneNumberId();
    expect((await t.admin('PUT', `/admin/businesses/${pnid}`, clinic)).status).toBe(201);
    const made = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'desk' });
    const key = (await made.json()) as { id: string; key: string };
    c = new PortalClient(t.bot.url);
    expect((await c.signIn(key.key)).status).toBe(303);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows a booking in the day view under its resource, with the name and a masked number, and records the view', async () => {
    const waId = newWaId();
    await t.postWebhook(
      inboundText({ phoneNumberId: pnid, waId, wamid: newWamid(), name: 'Lucía Gómez' }, 'hi'),
    );
    await t.settled();
    const date = tomorrow();
    const a = await bookAs(conversationId(pnid, waId), at(date, '09:00'), 'day-view', {
      reason: 'a loose filling',
    });

    const page = await c.get(`/portal/b/${pnid}/appointments?date=${date}`);
    expect(page.status).toBe(200);
    const column = page.text.slice(page.text.indexOf('data-testid="resource-ana"'));
    expect(column).toContain(`data-testid="appt-${a.number}"`);
    expect(page.text).toContain('09:00–10:00');
    expect(page.text).toContain('Lucía Gómez');
    expect(page.text).toContain(`••${waId.slice(-2)}`);
    expect(page.text).not.toContain(waId);
    expect(page.text).toContain(
      'data-live="appointment.booked,appointment.cancelled,appointment.moved,appointment.confirmed"',
    );
    expect(
      await t.bot.models.AccessLog.countDocuments({ phoneNumberId: pnid, what: 'appointment.list' }),
    ).toBe(1);

    // The appointment's own page: the whole number and the intake answer, the view recorded.
    const detail = await c.get(`/portal/b/${pnid}/appointments/${a.number}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain(`+${waId}`);
    expect(detail.text).toContain('Reason for the visit?');
    expect(detail.text).toContain('a loose filling');
    const logged = await t.bot.models.AccessLog.findOne({ phoneNumberId: pnid, what: 'appointment.customer' })
      .lean()
      .exec();
    expect(logged?.ref).toBe(a.number);

    // The week view of the resource has it on its day.
    const week = await c.get(`/portal/b/${pnid}/appointments?view=week&resource=ana&date=${date}`);
    expect(week.text).toContain(`data-testid="day-${date}"`);
    expect(week.text).toContain(`data-testid="appt-${a.number}"`);
  });

  it('books on a customer’s behalf: input kept on an error, then the customer is stored and the booking is theirs', async () => {
    const date = tomorrow();
    const form = await c.get(`/portal/b/${pnid}/appointments/new?service=cleaning&date=${date}`);
    expect(form.status).toBe(200);
    const start = slotValue(form.text, '13:00');
    const fields = {
      _csrf: csrfOf(form.text),
      service: 'cleaning',
      date,
      resource: '',
      key: field(form.text, 'key'),
      listed: field(form.text, 'listed'),
    };

    // The service switched after its times were listed: nothing booked, the other service's times shown.
    const switched = await c.request('POST', `/portal/b/${pnid}/appointments/new`, {
      ...fields,
      service: 'check',
      start,
      phone: '+34 611 00 00 00',
      name: 'Pedro',
    });
    expect(switched.status).toBe(409);
    expect(switched.text).toContain('Times for Check-up: choose one.');
    expect(switched.text).toContain('Free time for Check-up');
    expect(switched.text).toContain('value="Pedro"');
    expect(switched.text).toContain(`name="listed" value="check|${date}|"`);
    expect(switched.text).not.toMatch(/value="[^"]+" checked/);
    const day = await t.bot.appointments.forRange(pnid, at(date, '00:00'), at(date, '23:59'));
    expect(day.filter((a) => a.start.toISOString() === new Date(start).toISOString())).toHaveLength(0);

    const bad = await c.request('POST', `/portal/b/${pnid}/appointments/new`, {
      ...fields,
      start,
      phone: 'call me',
      name: 'Pedro',
    });
    expect(bad.status).toBe(409);
    expect(bad.text).toContain('Enter the customer’s WhatsApp number');
    expect(bad.text).toContain('value="Pedro"');

    const waId = newWaId();
    const done = await c.request('POST', `/portal/b/${pnid}/appointments/new`, {
      ...fields,
      start,
      phone: `+${waId}`,
      name: 'Pedro Sanz',
    });
    expect(done.status).toBe(303);
    const number = /appointments\/(A-\d+)\?done=booked/.exec(done.location ?? '')?.[1] ?? '';
    const stored = await t.bot.appointments.get(pnid, number);
    expect(stored).toMatchObject({ status: 'booked', bookedBy: 'staff', resourceId: 'ana' });
    expect(stored?.start.toISOString()).toBe(new Date(start).toISOString());
    // The same form posted again books nothing more.
    const again = await c.request('POST', `/portal/b/${pnid}/appointments/new`, {
      ...fields,
      start,
      phone: `+${waId}`,
      name: 'Pedro Sanz',
    });
    expect(again.location).toBe(done.location);

    // The customer was stored under the reference their own first message will have.
    const customer = await t.bot.models.Customer.findOne({ phoneNumberId: pnid, waId }).lean().exec();
    expect(customer?._id).toBe(conversationId(pnid, waId));
    const upcoming = await t.bot.appointments.upcomingOf(conversationId(pnid, waId), pnid, new Date());
    expect(upcoming.map((a) => a.number)).toEqual([number]);
    const page = await c.get(`/portal/b/${pnid}/appointments?date=${date}`);
    expect(page.text).toContain('Pedro Sanz');

    // The time is no longer offered.
    const after = await c.get(`/portal/b/${pnid}/appointments/new?service=cleaning&date=${date}`);
    expect(after.text).not.toContain('data-testid="slot-13:00"');
  });

  it('moves an appointment: a taken time leaves it where it was; a free one books the new time, then frees the old', async () => {
    const date = tomorrow();
    const a = await bookAs(conversationId(pnid, newWaId()), at(date, '15:00'), 'move-me');
    const blocker = await bookAs(conversationId(pnid, newWaId()), at(date, '16:00'), 'blocker');
    const movePage = await c.get(`/portal/b/${pnid}/appointments/${a.number}/move?date=${date}`);
    expect(movePage.status).toBe(200);
    // Its own time counts as free while it is moved (a quarter of an hour earlier overlaps it).
    const later = slotValue(movePage.text, '14:45');
    expect(movePage.text).not.toContain('data-testid="mslot-16:00"');
    const fields = {
      _csrf: csrfOf(movePage.text),
      date,
      resource: '',
      key: field(movePage.text, 'key'),
      listed: field(movePage.text, 'listed'),
    };

    const refused = await c.request('POST', `/portal/b/${pnid}/appointments/${a.number}/move`, {
      ...fields,
      start: blocker.start.toISOString(),
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('not free');
    expect((await t.bot.appointments.get(pnid, a.number))?.status).toBe('booked');

    const moved = await c.request('POST', `/portal/b/${pnid}/appointments/${a.number}/move`, {
      ...fields,
      start: later,
    });
    expect(moved.status).toBe(303);
    const newNumber = /appointments\/(A-\d+)\?done=moved/.exec(moved.location ?? '')?.[1] ?? '';
    expect(newNumber).not.toBe(a.number);
    expect((await t.bot.appointments.get(pnid, newNumber))?.start.toISOString()).toBe(
      new Date(later).toISOString(),
    );
    expect(await t.bot.appointments.get(pnid, a.number)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'staff',
    });
    // Each says where the other is.
    const oldPage = await c.get(`/portal/b/${pnid}/appointments/${a.number}`);
    expect(oldPage.text).toMatch(
      new RegExp(`data-testid="appt-moved-to">Moved to <a href="[^"]+/${newNumber}"`),
    );
    expect(oldPage.text).toContain(`Appointment <span class="nowrap">${a.number}</span>`);
    const newPage = await c.get(`/portal/b/${pnid}/appointments/${newNumber}`);
    expect(newPage.text).toMatch(
      new RegExp(`data-testid="appt-moved-from">Moved from <a href="[^"]+/${a.number}"`),
    );
  });

  it('lists the times again when the day was changed after they were listed, moving nothing', async () => {
    const date = DateTime.fromISO(tomorrow()).plus({ days: 3 }).toISODate() ?? '';
    const a = await bookAs(conversationId(pnid, newWaId()), at(date, '10:00'), 'move-stale');
    const movePage = await c.get(`/portal/b/${pnid}/appointments/${a.number}/move?date=${date}`);
    const later = slotValue(movePage.text, '14:00');
    const next = DateTime.fromISO(date).plus({ days: 1 }).toISODate() ?? '';
    const stale = await c.request('POST', `/portal/b/${pnid}/appointments/${a.number}/move`, {
      _csrf: csrfOf(movePage.text),
      date: next,
      resource: '',
      key: field(movePage.text, 'key'),
      listed: field(movePage.text, 'listed'),
      start: later,
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Times for Dental hygiene on');
    expect(stale.text).toContain(`name="listed" value="cleaning|${next}|"`);
    expect((await t.bot.appointments.get(pnid, a.number))?.start.toISOString()).toBe(a.start.toISOString());
  });

  it('shows in the nav only the pages of what the business offers; the set-up stays reachable from Settings', async () => {
    const page = await c.get(`/portal/b/${pnid}/appointments`);
    expect(page.text).toContain('data-testid="nav-appointments"');
    expect(page.text).not.toContain('data-testid="nav-orders"');
    expect(page.text).not.toContain('data-testid="nav-catalog"');
    const restaurant = newPhoneNumberId();
    expect(
      (
        await t.admin('PUT', `/admin/businesses/${restaurant}`, {
          name: 'Pizzería Luna',
          currency: 'EUR',
          offering: { offers: ['ordering'] },
        })
      ).status,
    ).toBe(201);
    const made = await t.admin('POST', `/admin/businesses/${restaurant}/keys`, { label: 'desk' });
    const other = new PortalClient(t.bot.url);
    expect((await other.signIn(((await made.json()) as { key: string }).key)).status).toBe(303);
    const settings = await other.get(`/portal/b/${restaurant}/settings`);
    expect(settings.text).toContain('data-testid="nav-orders"');
    expect(settings.text).toContain('data-testid="nav-catalog"');
    expect(settings.text).not.toContain('data-testid="nav-appointments"');
    expect(settings.text).toContain(`href="/portal/b/${restaurant}/appointments/setup">set up →</a>`);
  });

  it('shows a holiday of the business on its day', async () => {
    const page = await c.get(`/portal/b/${pnid}/appointments?date=2030-12-25`);
    expect(page.text).toContain('Closed (holiday): Christmas');
    const other = await c.get(`/portal/b/${pnid}/appointments?date=2030-12-24`);
    expect(other.text).not.toContain('Closed (holiday)');
    const week = await c.get(`/portal/b/${pnid}/appointments?view=week&date=2030-12-25`);
    expect(week.text).toContain('data-testid="closed-2030-12-25"');
  });

  it('cancels only after a confirmation, and marks a no-show; another business’s appointment is not found', async () => {
    const date = tomorrow();
    const a = await bookAs(conversationId(pnid, newWaId()), at(date, '11:00'), 'cancel-me');
    const ask = await c.submit(
      `/portal/b/${pnid}/appointments/${a.number}`,
      `/portal/b/${pnid}/appointments/${a.number}/cancel`,
      {},
    );
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('The customer will be told');
    expect((await t.bot.appointments.get(pnid, a.number))?.status).toBe('booked');
    const yes = await c.request('POST', `/portal/b/${pnid}/appointments/${a.number}/cancel`, {
      _csrf: csrfOf(ask.text),
      confirm: 'yes',
    });
    expect(yes.status).toBe(303);
    expect(await t.bot.appointments.get(pnid, a.number)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'staff',
    });
    // A form without the token changes nothing.
    // A future appointment cannot be marked a no-show: no button, and a post is refused.
    const future = await bookAs(conversationId(pnid, newWaId()), at(date, '12:00'), 'no-show-early');
    const futurePage = await c.get(`/portal/b/${pnid}/appointments/${future.number}`);
    expect(futurePage.text).not.toContain('data-testid="appt-no-show"');
    const earlyNoShow = await c.request('POST', `/portal/b/${pnid}/appointments/${future.number}/no-show`, {
      _csrf: csrfOf(futurePage.text),
      confirm: 'yes',
    });
    expect(earlyNoShow.status).toBe(409);
    expect(earlyNoShow.text).toContain('only once it has started');
    expect((await t.bot.appointments.get(pnid, future.number))?.status).toBe('booked');
    // One that has started can, after a confirmation.
    const yesterday = DateTime.fromISO(date).minus({ days: 2 }).toISODate() ?? '';
    const b = await bookAs(conversationId(pnid, newWaId()), at(yesterday, '12:00'), 'no-show');
    const forged = await c.request('POST', `/portal/b/${pnid}/appointments/${b.number}/no-show`, {});
    expect(forged.status).toBe(403);
    const askNoShow = await c.submit(
      `/portal/b/${pnid}/appointments/${b.number}`,
      `/portal/b/${pnid}/appointments/${b.number}/no-show`,
      {},
    );
    expect(askNoShow.status).toBe(200);
    expect(askNoShow.text).toContain('data-testid="confirm-no-show"');
    expect((await t.bot.appointments.get(pnid, b.number))?.status).toBe('booked');
    const marked = await c.request('POST', `/portal/b/${pnid}/appointments/${b.number}/no-show`, {
      _csrf: csrfOf(askNoShow.text),
      confirm: 'yes',
    });
    expect(marked.status).toBe(303);
    expect((await t.bot.appointments.get(pnid, b.number))?.status).toBe('no_show');
    // Completed only once it has started.
    const early = await c.submit(
      `/portal/b/${pnid}/appointments/${a.number}`,
      `/portal/b/${pnid}/appointments/${a.number}/completed`,
      {},
    );
    expect(early.status).toBe(409);

    const other = newPhoneNumberId();
    expect((await t.admin('PUT', `/admin/businesses/${other}`, clinic)).status).toBe(201);
    expect((await c.get(`/portal/b/${other}/appointments`)).status).toBe(403);
    expect((await c.get(`/portal/b/${pnid}/appointments/A-999999`)).status).toBe(404);
    // Other paths under /appointments (the setup page) are not taken for appointment numbers.
    const setup = await c.get(`/portal/b/${pnid}/appointments/setup`);
    expect(setup.text).not.toContain('No such appointment');
  });
});
