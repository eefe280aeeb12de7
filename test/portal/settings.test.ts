/**
 * The portal's settings page: each section saved through the audited settings service, refused fields
 * named next to themselves, CSRF on every form, staff numbers editable by the operator only, exceptions
 * removed after a confirmation page, and an AI status that says what customers really get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openingState } from '../../src/businesses/hours.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { newPhoneNumberId } from '../helpers/payloads.js';
import { PortalClient } from '../helpers/portal-client.js';
import { configureBusiness } from '../helpers/webhook.js';

let t: TestBot;
let pnid: string;
let key: PortalClient;
let operator: PortalClient;
let page: string;

beforeAll(async () => {
  t = await startTestBot('portal-settings');
  pnid = newPhoneNumberId();
  await configureBusiness(t, pnid, 'Casa Ajustes');
  const res = await t.admin('POST', `/admin/businesses/${pnid}/keys`, { label: 'portal' });
  const created = (await res.json()) as { key: string };
  key = new PortalClient(t.bot.url);
  expect((await key.signIn(created.key)).status).toBe(303);
  operator = new PortalClient(t.bot.url);
  expect((await operator.signIn(TEST_ADMIN_TOKEN)).status).toBe(303);
  page = `/portal/b/${pnid}/settings`;
});
afterAll(async () => {
  await t.close();
});

const stored = async () => t.bot.models.Business.findOne({ phoneNumberId: pnid }).lean().exec();

/** Every weekday's fields empty and closed, then `days` as given. */
function hoursFields(days: Record<string, Record<string, string>>): Record<string, string> {
  const fields: Record<string, string> = { useHours: 'on' };
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) {
    const given = days[day];
    if (!given) fields[`${day}-closed`] = 'on';
    else for (const [k, v] of Object.entries(given)) fields[`${day}-${k}`] = v;
  }
  return fields;
}

describe('portal settings', () => {
  it('when the page is opened, then every section is there and the nav links to it', async () => {
    const shown = await key.get(page);
    expect(shown.status).toBe(200);
    for (const id of [
      'business-form',
      'hours-form',
      'exceptions-form',
      'ordering-form',
      'closed-form',
      'ai-form',
    ])
      expect(shown.text).toContain(`data-testid="${id}"`);
    expect(shown.text).toContain('data-testid="nav-settings"');
  });

  it('when a form is posted without its CSRF token, then nothing is saved', async () => {
    const res = await key.request('POST', `${page}/ordering`, {
      _csrf: 'forged',
      delivery: 'on',
      deliveryFee: '9',
    });
    expect(res.status).toBe(403);
    expect((await stored())?.deliveryFeeMinor ?? 0).toBe(0);
  });

  it('when the ordering terms are saved, then they are stored in minor units and a change is recorded', async () => {
    const res = await key.submit(page, `${page}/ordering`, {
      pickup: 'on',
      delivery: 'on',
      deliveryFee: '2,50',
      freeDeliveryOver: '20',
      minimumOrder: '8',
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/portal/b/${pnid}/settings?msg=settings-saved#ordering`);
    expect(await stored()).toMatchObject({
      fulfilment: { pickup: true, delivery: true },
      deliveryFeeMinor: 250,
      freeDeliveryOverMinor: 2000,
      minimumOrderMinor: 800,
    });
    const changes = await t.bot.models.SettingsChange.find({ phoneNumberId: pnid, field: 'deliveryFeeMinor' })
      .lean()
      .exec();
    expect(changes).toMatchObject([{ from: 0, to: 250, actor: { kind: 'key' } }]);
    expect((await key.get(`${page}?msg=settings-saved`)).text).toContain('Saved.');
  });

  it('when the ordering form has a bad amount and no fulfilment, then each problem is next to its field and nothing is saved', async () => {
    const res = await key.submit(page, `${page}/ordering`, { deliveryFee: 'two', minimumOrder: '-1' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/data-testid="deliveryFee-error">must be an amount such as 2.50</);
    expect(res.text).toMatch(/data-testid="minimumOrder-error">must be an amount such as 2.50</);
    expect(res.text).toMatch(
      /data-testid="fulfilment-error">at least one of pickup or delivery must be offered</,
    );
    expect(res.text).toContain('value="two"');
    expect((await stored())?.deliveryFeeMinor).toBe(250);
  });

  it('when a wrong time zone is typed, then it is refused next to the field', async () => {
    const res = await key.submit(page, `${page}/business`, {
      name: 'Casa Ajustes',
      locale: 'es',
      timeZone: 'other',
      timeZoneOther: 'Europe/Madird',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/data-testid="timeZoneOther-error">must be a time zone such as Europe\/Madrid</);
    const ok = await key.submit(page, `${page}/business`, {
      name: 'Casa Ajustes',
      locale: 'es',
      timeZone: 'other',
      timeZoneOther: 'America/Lima',
    });
    expect(ok.status).toBe(303);
    expect(await stored()).toMatchObject({ timeZone: 'America/Lima', locale: 'es' });
  });

  it('when opening hours overlap or miss a time, then the day says so; valid hours past midnight are stored', async () => {
    const bad = await key.submit(
      page,
      `${page}/hours`,
      hoursFields({
        mon: { open: '12:00', close: '16:00', open2: '15:00', close2: '20:00' },
        tue: { open: '12:00' },
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/data-testid="mon-error">overlaps another opening/);
    expect(bad.text).toMatch(/data-testid="tue-error">needs a closing time too/);
    const good = await key.submit(
      page,
      `${page}/hours`,
      hoursFields({ fri: { open: '20:00', close: '02:00' } }),
    );
    expect(good.status).toBe(303);
    expect((await stored())?.openingHours).toMatchObject({
      fri: [{ open: '20:00', close: '02:00' }],
      mon: [],
    });
  });

  it('when the hours are switched off and on again, then the same week comes back; while off the bot is always open and the form still shows them', async () => {
    const week = { mon: { open: '09:00', close: '14:00' }, sat: { open: '10:00', close: '13:00' } };
    expect((await key.submit(page, `${page}/hours`, hoursFields(week))).status).toBe(303);
    const before = (await stored())?.openingHours;
    // Unticked: a browser sends the days as shown, without the box.
    const { useHours: _on, ...shown } = hoursFields(week);
    const off = await key.submit(page, `${page}/hours`, shown);
    expect(off.status).toBe(303);
    const whileOff = await stored();
    expect(whileOff?.openingHoursOff).toBe(true);
    expect(whileOff?.openingHours).toEqual(before);
    // A Sunday at 20:00 UTC is outside every opening: open only because the hours are off.
    const sundayEvening = Date.parse('2026-12-06T20:00:00Z');
    expect(openingState({ ...whileOff, openingHoursOff: false }, sundayEvening).open).toBe(false);
    expect(openingState(whileOff ?? {}, sundayEvening)).toEqual({ open: true });
    const form = await key.get(page);
    expect(form.text).toContain('data-testid="hours-off"');
    expect(form.text).not.toMatch(/id="useHours"[^>]*checked/);
    expect(form.text).toMatch(/name="mon-open"[^>]*value="09:00"|value="09:00"[^>]*name="mon-open"/);
    // Switching off with half-typed hours still switches off, and keeps the stored week.
    const messy = await key.submit(page, `${page}/hours`, {
      ...shown,
      'tue-closed': '',
      'tue-open': '12:00',
    });
    expect(messy.status).toBe(303);
    expect((await stored())?.openingHours).toEqual(before);

    const on = await key.submit(page, `${page}/hours`, hoursFields(week));
    expect(on.status).toBe(303);
    const again = await stored();
    expect(again?.openingHours).toEqual(before);
    expect(again?.openingHoursOff ?? false).toBe(false);
    expect(openingState(again ?? {}, sundayEvening).open).toBe(false);
  });

  it('when an exception is added, then it is listed, and it is removed only after the confirmation page', async () => {
    const added = await key.submit(page, `${page}/exceptions`, { date: '2026-12-24', closedAllDay: 'on' });
    expect(added.status).toBe(303);
    expect((await stored())?.closedDays).toEqual([{ date: '2026-12-24', hours: [] }]);
    const shown = await key.get(page);
    expect(shown.text).toContain('data-testid="exception-2026-12-24"');
    const confirm = await key.get(`${page}/exceptions/2026-12-24/remove`);
    expect(confirm.text).toContain('Remove the exception of <strong>Dec 24, 2026</strong>?');
    expect((await stored())?.closedDays).toHaveLength(1);
    const removed = await key.submit(
      `${page}/exceptions/2026-12-24/remove`,
      `${page}/exceptions/2026-12-24/remove`,
      {},
    );
    expect(removed.status).toBe(303);
    expect((await stored())?.closedDays).toEqual([]);
  });

  it('when a key session opens the page, then the staff numbers are read-only, and posting them is refused', async () => {
    await t.admin('PATCH', `/admin/businesses/${pnid}`, { adminNumbers: ['+34600111222'] });
    const shown = await key.get(page);
    expect(shown.text).toContain('data-testid="staff-numbers"');
    expect(shown.text).toContain('+34600111222');
    expect(shown.text).not.toContain('data-testid="staff-form"');
    const res = await key.submit(page, `${page}/staff`, { adminNumbers: '+34999999999' });
    expect(res.status).toBe(403);
    expect((await stored())?.adminNumbers).toEqual(['34600111222']);
  });

  it('when the operator saves staff numbers, then they are stored', async () => {
    expect((await operator.get(page)).text).toContain('data-testid="staff-form"');
    const res = await operator.submit(page, `${page}/staff`, {
      adminNumbers: '+34 600 111 222\r\n+351912345678',
    });
    expect(res.status).toBe(303);
    expect((await stored())?.adminNumbers).toEqual(['34600111222', '351912345678']);
  });

  it('when AI replies are switched on with no AI endpoint configured, then the page says customers get the standard replies', async () => {
    const res = await key.submit(page, `${page}/ai`, { aiReplies: 'on', persona: 'Warm and short.' });
    expect(res.status).toBe(303);
    expect(await stored()).toMatchObject({ aiReplies: true, persona: 'Warm and short.' });
    expect((await key.get(page)).text).toContain(
      'On, but no AI endpoint is configured: customers get the standard replies.',
    );
  });
});
