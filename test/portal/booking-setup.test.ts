/**
 * The portal's appointments set-up: services and resources added, edited and removed (after a confirmation
 * page), the offering and booking rules saved through the audited settings service and checked by the admin
 * API's schema, refused fields named next to themselves with what was typed kept, CSRF on every form, and
 * a preview of each service's next free times from the slot engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessData } from '../../src/businesses/schema.js';
import type { BookingConfig } from '../../src/core/booking.js';
import { nextFreeLine } from '../../src/portal/pages/booking-setup.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
let pnid: string;
let key: PortalClient;
let page: string;

beforeAll(async () => {
  t = await startTestBot('portal-booking-setup');
  pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Clínica Prueba');
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'portal' });
  const created = (await res.json()) as { key: string };
  key = new PortalClient(t.bot.url);
  expect((await key.signIn(created.key)).status).toBe(303);
  page = `/portal/b/${pnid}/appointments/setup`;
});
afterAll(async () => {
  await t.close();
});

const stored = async () => t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean().exec();
const weekdays = (hours: string) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [`week-${d}`, hours]));

describe('portal appointments set-up', () => {
  it('when the page is opened, then its sections are there and the calendar links to it', async () => {
    const shown = await key.get(page);
    expect(shown.status).toBe(200);
    for (const id of ['offering-form', 'rules-form', 'holidays-form', 'add-resource'])
      expect(shown.text).toContain(`data-testid="${id}"`);
    // The business offers no appointments yet: no Appointments in the nav, the set-up linked from Settings.
    expect(shown.text).not.toContain('data-testid="nav-appointments"');
    expect((await key.get(`/portal/b/${pnid}/settings`)).text).toContain(
      `<a href="/portal/b/${pnid}/appointments/setup">set up →</a>`,
    );
    // The calendar links here.
    const calendar = await key.get(`/portal/b/${pnid}/appointments`);
    expect(calendar.text).toContain(`href="/portal/b/${pnid}/appointments/setup" data-testid="cal-setup"`);
    // No resource yet: a service cannot be added.
    expect(shown.text).not.toContain('data-testid="add-service"');
  });

  it('when a form is posted without its CSRF token, then nothing is saved', async () => {
    const res = await key.request('POST', `${page}/resources/new`, { _csrf: 'forged', name: 'Dr. X' });
    expect(res.status).toBe(403);
    expect((await stored())?.booking).toBeUndefined();
  });

  it('when a resource has hours that are no time range or overlap, then each day says so, what was typed is kept, and nothing is saved', async () => {
    const res = await key.submit(`${page}/resources/new`, `${page}/resources/new`, {
      name: 'Dra. Ana Ruiz',
      kind: 'staff',
      capacity: '1',
      active: 'on',
      'week-mon': '9 to 5',
      'week-tue': '09:00–13:00, 12:00–15:00',
      'week-wed': '09:00–25:00',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(
      /data-testid="week-mon-error">&quot;9 to 5&quot; is not a time range such as 09:00–13:00</,
    );
    expect(res.text).toMatch(/data-testid="week-tue-error">overlaps another interval of the day</);
    expect(res.text).toMatch(/data-testid="week-wed-error">must be a time such as 18:30 or 24:00</);
    expect(res.text).toContain('value="9 to 5"');
    expect((await stored())?.booking).toBeUndefined();
  });

  it('when a resource and a service are added, then they are stored as the admin API stores them and the service shows its next free times', async () => {
    const added = await key.submit(`${page}/resources/new`, `${page}/resources/new`, {
      name: 'Dra. Ana Ruiz',
      kind: 'staff',
      capacity: '1',
      active: 'on',
      ...weekdays('00:00–24:00'),
      exceptions: '2026-12-24 absent\n2026-12-31 09:00–13:00',
    });
    expect(added.status).toBe(303);
    expect(added.location).toBe(`${page}?msg=settings-saved#resources`);
    const booking = (await stored())?.booking;
    expect(booking?.resources).toMatchObject([
      {
        id: 'dra-ana-ruiz',
        name: 'Dra. Ana Ruiz',
        kind: 'staff',
        capacity: 1,
        week: { mon: [{ start: '00:00', end: '24:00' }] },
        exceptions: [
          { date: '2026-12-24', intervals: [] },
          { date: '2026-12-31', intervals: [{ start: '09:00', end: '13:00' }] },
        ],
      },
    ]);
    // The defaults of the admin API's schema.
    expect(booking).toMatchObject({ earliestMinutes: 120, latestDays: 60, slotStepMinutes: 15 });
    // No service uses it yet: the page says so; the business's only resource is ticked on a new service.
    expect((await key.get(page)).text).toContain(
      'data-testid="unused-dra-ana-ruiz">Not used by any service yet: add a service to use it.',
    );
    expect((await key.get(`${page}/services/new`)).text).toContain(
      'id="res-dra-ana-ruiz" name="res-dra-ana-ruiz" data-testid="res-dra-ana-ruiz" checked',
    );

    const service = await key.submit(`${page}/services/new`, `${page}/services/new`, {
      name: 'Limpieza dental',
      description: 'Con ultrasonidos',
      duration: '45',
      buffer: '15',
      price: '60,50',
      'res-dra-ana-ruiz': 'on',
      reminders: '24, 2',
      q1: '¿Motivo de la visita?',
      active: 'on',
      'es-name': 'Limpieza',
      'de-name': 'Zahnreinigung',
    });
    expect(service.status).toBe(303);
    const saved = (await stored())?.booking?.services;
    expect(saved).toMatchObject([
      {
        id: 'limpieza-dental',
        name: 'Limpieza dental',
        durationMinutes: 45,
        bufferMinutes: 15,
        priceMinor: 6050,
        resourceIds: ['dra-ana-ruiz'],
        remindersMinutes: [1440, 120],
        intake: [{ id: 'q1', text: '¿Motivo de la visita?' }],
        translations: { es: { name: 'Limpieza' }, de: { name: 'Zahnreinigung' } },
        active: true,
      },
    ]);
    const shown = await key.get(page);
    expect(shown.text).not.toContain('data-testid="unused-dra-ana-ruiz"');
    expect(shown.text).toMatch(
      /data-testid="preview-limpieza-dental"><strong>Next free: \w{3} \d{1,2} \w{3} \d\d:\d\d, \d\d:\d\d, \d\d:\d\d</,
    );
    // The change is audited like the other settings.
    const changes = await t.bot.models.SettingsChange.find({ phoneNumberId: pnid, field: 'booking' })
      .lean()
      .exec();
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes.every((c) => c.actor.kind === 'key')).toBe(true);
  });

  it('when a service is edited with a too short duration and no resource, then both are refused next to their fields; a valid edit keeps its id', async () => {
    const edit = `${page}/services/limpieza-dental`;
    const form = await key.get(edit);
    expect(form.text).toContain('value="60.50"');
    const bad = await key.submit(edit, edit, { name: 'Limpieza dental', duration: '3', active: 'on' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/data-testid="duration-error">The duration must be at least 5 minutes.</);
    expect(bad.text).toMatch(
      /data-testid="resources-error">Choose at least one resource who can do this service.</,
    );
    expect(bad.text).toContain('value="3"');
    const word = await key.submit(edit, edit, { name: 'X', duration: 'long', 'res-dra-ana-ruiz': 'on' });
    expect(word.text).toMatch(/data-testid="duration-error">The duration must be a number of minutes.</);
    expect((await stored())?.booking?.services[0]?.durationMinutes).toBe(45);

    const good = await key.submit(edit, edit, {
      name: 'Limpieza completa',
      duration: '50',
      'res-dra-ana-ruiz': 'on',
      q1: '¿Motivo de la visita?',
    });
    expect(good.status).toBe(303);
    const services = (await stored())?.booking?.services;
    expect(services).toHaveLength(1);
    expect(services?.[0]).toMatchObject({
      id: 'limpieza-dental',
      name: 'Limpieza completa',
      durationMinutes: 50,
      active: false,
    });
    expect(services?.[0]?.priceMinor).toBeUndefined();
    expect((await key.get(page)).text).toContain('Not offered now.');
  });

  it("when appointments are offered with the business's own word, then it is stored; offering nothing is refused", async () => {
    const none = await key.submit(page, `${page}/offering`, {});
    expect(none.status).toBe(400);
    expect(none.text).toMatch(
      /data-testid="offers-error">must offer at least one of ordering or appointments</,
    );
    const half = await key.submit(page, `${page}/offering`, { appointments: 'on', 'noun-fr-one': 'soin' });
    expect(half.text).toMatch(/data-testid="noun-fr-other-error">must not be empty</);
    const ok = await key.submit(page, `${page}/offering`, {
      ordering: 'on',
      appointments: 'on',
      'noun-en-one': 'treatment',
      'noun-en-other': 'treatments',
    });
    expect(ok.status).toBe(303);
    expect((await stored())?.offering).toMatchObject({
      offers: ['ordering', 'appointments'],
      serviceNoun: { en: { one: 'treatment', other: 'treatments' } },
    });
    // Now offered: the nav's Appointments opens the calendar.
    expect((await key.get(page)).text).toContain(
      `href="/portal/b/${pnid}/appointments" data-testid="nav-appointments"`,
    );
  });

  it('when the booking rules are saved, then hours become minutes; a word or an out-of-range value is refused', async () => {
    const bad = await key.submit(page, `${page}/rules`, {
      earliestHours: 'soon',
      latestDays: '400',
      slotStep: '15',
      cancelHours: '24',
      reminders: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/data-testid="earliestHours-error">must be a number</);
    expect(bad.text).toContain('value="soon"');
    const range = await key.submit(page, `${page}/rules`, {
      earliestHours: '2',
      latestDays: '400',
      slotStep: '15',
      cancelHours: '24',
    });
    expect(range.text).toMatch(/data-testid="latestDays-error">must be between 1 and 365 days</);
    const ok = await key.submit(page, `${page}/rules`, {
      earliestHours: '1.5',
      latestDays: '30',
      slotStep: '20',
      cancelHours: '12',
      reminders: '48, 1',
    });
    expect(ok.status).toBe(303);
    expect((await stored())?.booking).toMatchObject({
      earliestMinutes: 90,
      latestDays: 30,
      slotStepMinutes: 20,
      cancelCutoffMinutes: 720,
      remindersMinutes: [2880, 60],
      chooseStaff: false,
    });
  });

  it('when a holiday is added, then it is listed, and it is removed only after the confirmation page', async () => {
    // Two appointments that day stay booked: the page says so after saving, with the day in the calendar.
    for (const [time, k] of [
      ['10:00', 'holiday-a'],
      ['12:00', 'holiday-b'],
    ] as const) {
      const start = new Date(`2026-12-25T${time}:00Z`);
      const booked = await t.bot.appointments.book({
        phoneNumberId: pnid,
        customerRef: `ref-${k}`,
        service: { id: 'limpieza-dental', name: 'Limpieza completa' },
        resourceCandidates: [{ id: 'dra-ana-ruiz', name: 'Dra. Ana Ruiz', capacity: 1 }],
        start,
        end: new Date(start.getTime() + 50 * 60_000),
        bufferMinutes: 0,
        currency: 'EUR',
        key: k,
        bookedBy: 'staff',
      });
      expect(booked.status).toBe('booked');
    }
    const added = await key.submit(page, `${page}/holidays`, { date: '2026-12-25', note: 'Navidad' });
    expect(added.status).toBe(303);
    expect(added.location).toContain('holiday=2026-12-25');
    const warned = await key.get(added.location ?? '');
    expect(warned.text).toContain(
      `data-testid="holiday-warning">2 appointments on Fri 25 Dec stay booked: <a href="/portal/b/${pnid}/appointments?date=2026-12-25">move or cancel them in the calendar</a>.`,
    );
    expect((await key.get(page)).text).not.toContain('data-testid="holiday-warning"');
    expect((await stored())?.booking?.exceptions).toEqual([
      { date: '2026-12-25', intervals: [], note: 'Navidad' },
    ]);
    const twice = await key.submit(page, `${page}/holidays`, { date: '2026-12-25' });
    expect(twice.text).toMatch(/data-testid="date-error">is already listed: remove it first</);
    const confirm = await key.get(`${page}/holidays/2026-12-25/remove`);
    expect(confirm.text).toContain('data-testid="confirm-remove"');
    expect((await stored())?.booking?.exceptions).toHaveLength(1);
    const removed = await key.submit(
      `${page}/holidays/2026-12-25/remove`,
      `${page}/holidays/2026-12-25/remove`,
      {},
    );
    expect(removed.status).toBe(303);
    expect((await stored())?.booking?.exceptions).toEqual([]);
  });

  it('when the only resource of a service is removed, then it is refused in words; the service is removed after confirming, then the resource', async () => {
    const confirmResource = await key.get(`${page}/resources/dra-ana-ruiz/remove`);
    expect(confirmResource.text).toContain('It is then taken out of <strong>Limpieza completa</strong>');
    const refused = await key.submit(
      `${page}/resources/dra-ana-ruiz/remove`,
      `${page}/resources/dra-ana-ruiz/remove`,
      {},
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('A service would be left with no one to perform it');
    expect((await stored())?.booking?.resources).toHaveLength(1);

    expect((await key.get(`${page}/services/limpieza-dental/remove`)).text).toContain('Remove the service');
    const service = await key.submit(
      `${page}/services/limpieza-dental/remove`,
      `${page}/services/limpieza-dental/remove`,
      {},
    );
    expect(service.status).toBe(303);
    const resource = await key.submit(
      `${page}/resources/dra-ana-ruiz/remove`,
      `${page}/resources/dra-ana-ruiz/remove`,
      {},
    );
    expect(resource.status).toBe(303);
    expect((await stored())?.booking).toMatchObject({ services: [], resources: [] });
  });

  it("when another business's page is asked for, then the key is refused", async () => {
    const other = await key.get(`/portal/b/${newPhoneNumberId()}/appointments/setup`);
    expect(other.status).toBe(403);
  });
});

describe('next free times preview', () => {
  const booking: BookingConfig = {
    services: [{ id: 'check', name: 'Check-up', durationMinutes: 30, resourceIds: ['ana'], active: true }],
    resources: [
      {
        id: 'ana',
        name: 'Ana',
        kind: 'staff',
        capacity: 1,
        active: true,
        week: { tue: [{ start: '09:00', end: '14:00' }] },
      },
    ],
    earliestMinutes: 120,
    latestDays: 60,
    slotStepMinutes: 15,
    cancelCutoffMinutes: 1440,
    remindersMinutes: [],
    chooseStaff: true,
  };
  const business = { timeZone: 'Europe/Madrid' } as BusinessData;
  const service = booking.services[0]!;

  it('when nothing is booked, then the first three starts of the first free day are shown on the business clock', async () => {
    // Tuesday 8 December 2026, 08:00 in Madrid: the earliest start is two hours later.
    const line = await nextFreeLine(business, booking, service, new Date('2026-12-08T07:00:00Z'), () =>
      Promise.resolve([]),
    );
    expect(line).toBe('Next free: Tue 8 Dec 10:00, 10:15, 10:30');
  });

  it('when the busy hook returns a booking, then its time is not offered', async () => {
    const line = await nextFreeLine(business, booking, service, new Date('2026-12-08T07:00:00Z'), () =>
      Promise.resolve([
        { resourceId: 'ana', start: new Date('2026-12-08T09:00:00Z'), end: new Date('2026-12-08T09:30:00Z') },
      ]),
    );
    expect(line).toBe('Next free: Tue 8 Dec 10:30, 10:45, 11:00');
  });
});
