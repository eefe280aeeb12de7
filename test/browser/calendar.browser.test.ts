/**
 * The appointment calendar in a real browser (Debian's Chromium through playwright-core): the calendar is
 * open at a desk while a booking is made on a customer's behalf in another tab, and the new block appears
 * without a reload; on a 390 px phone the day is a list per resource with nothing scrolling sideways.
 * Screenshots of both go to /work/notes/shots/ when that folder exists (for review), and a failing test
 * leaves one in test-results/screenshots/.
 */
import fs from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { launchBrowser, withPage } from '../helpers/browser.js';
import { conversationId } from '../helpers/engine.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';

const WAIT = { timeout: 10_000 };
const SIDEWAYS = 'document.documentElement.scrollWidth - window.innerWidth';
const SHOTS = '/work/notes/shots';
const ZONE = 'Europe/Madrid';
const allWeek = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '18:00' }]]),
);

let t: TestBot;
let browser: Browser;
let pnid: string;
beforeAll(async () => {
  t = await startTestBot('browser-calendar');
  pnid = newPhoneNumberId();
  const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
    name: 'Clínica Sol',
    currency: 'EUR',
    timeZone: ZONE,
    offering: { offers: ['appointments'] },
    booking: {
      services: [
        { id: 'check', name: 'Check-up', durationMinutes: 30, price: 40, resourceIds: ['ana', 'luis'] },
        { id: 'clean', name: 'Dental hygiene', durationMinutes: 45, price: 60, resourceIds: ['ana'] },
      ],
      resources: [
        { id: 'ana', name: 'Dr. Ana Ruiz', week: allWeek },
        { id: 'luis', name: 'Dr. Luis Prado', week: allWeek },
      ],
    },
  });
  expect(res.status).toBe(201);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('portal calendar in a browser', () => {
  it('shows a booking made on a customer’s behalf live, and fits a 390 px phone', async () => {
    const date = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate() ?? '';
    // Something already on the day, so both columns are worth looking at.
    await t.bot.appointments.book({
      phoneNumberId: pnid,
      customerRef: conversationId(pnid, newWaId()),
      service: { id: 'clean', name: 'Dental hygiene', priceMinor: 6000 },
      resourceCandidates: [{ id: 'ana', name: 'Dr. Ana Ruiz', capacity: 1 }],
      start: DateTime.fromISO(`${date}T09:30`, { zone: ZONE }).toJSDate(),
      end: DateTime.fromISO(`${date}T10:15`, { zone: ZONE }).toJSDate(),
      bufferMinutes: 0,
      currency: 'EUR',
      key: 'browser-seed',
      bookedBy: 'customer',
    });
    await withPage(browser, 'portal calendar', async (desk) => {
      await desk.setViewportSize({ width: 1280, height: 800 });
      await desk.goto(`${t.bot.url}/portal/sign-in`);
      await desk.getByLabel('Business API key or operator token').fill(TEST_ADMIN_TOKEN);
      await desk.getByTestId('sign-in-submit').click();
      await desk.getByTestId('sign-out').waitFor(WAIT);
      await desk.goto(`${t.bot.url}/portal/b/${pnid}/appointments?date=${date}`);
      await desk.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor(WAIT);
      expect(await desk.getByTestId('cal-count').textContent()).toBe('1 appointment');

      // A phone call: booked in a second tab of the same session.
      const phone = await desk.context().newPage();
      await phone.goto(`${t.bot.url}/portal/b/${pnid}/appointments/new?service=clean&date=${date}`);
      // Times listed for Dental hygiene, the service then switched without listing again: nothing is
      // booked, Check-up's times are listed and the number typed is kept.
      await phone.getByTestId('new-service').selectOption('check');
      await phone.getByTestId('slot-11:00').click();
      await phone.getByTestId('new-phone').fill('+34 611 22 33 44');
      await phone.getByTestId('new-submit').click();
      await phone.getByTestId('problem').filter({ hasText: 'Times for Check-up: choose one.' }).waitFor(WAIT);
      expect(await phone.getByTestId('new-phone').inputValue()).toBe('+34 611 22 33 44');
      expect(await phone.getByTestId('new-service').inputValue()).toBe('check');
      await phone.getByTestId('new-service').selectOption('check');
      await phone.getByTestId('new-resource').selectOption('luis');
      await phone.getByTestId('new-show').click();
      await phone.getByTestId('slot-11:00').click();
      await phone.getByTestId('new-phone').fill('+34 611 22 33 44');
      await phone.getByTestId('new-name').fill('Marta Vidal');
      await phone.getByTestId('new-submit').click();
      await phone.getByTestId('appt-status').waitFor(WAIT);
      expect(await phone.getByTestId('message').textContent()).toBe('Appointment booked.');
      await phone.close();

      // The open calendar shows it without a reload, in Dr. Luis Prado's column.
      const block = desk.getByTestId('resource-luis').locator('.appt', { hasText: 'Marta Vidal' });
      await block.waitFor(WAIT);
      expect(await block.textContent()).toContain('11:00–11:30');
      if (fs.existsSync(SHOTS))
        await desk.screenshot({ path: `${SHOTS}/bcal-calendar-desktop.png`, fullPage: true });

      await desk.goto(`${t.bot.url}/portal/b/${pnid}/appointments?view=week&resource=luis&date=${date}`);
      if (fs.existsSync(SHOTS))
        await desk.screenshot({ path: `${SHOTS}/bcal-week-desktop.png`, fullPage: true });

      await desk.setViewportSize({ width: 390, height: 844 });
      await desk.goto(`${t.bot.url}/portal/b/${pnid}/appointments?date=${date}`);
      expect(await desk.evaluate<number>(SIDEWAYS)).toBeLessThanOrEqual(0);
      // One column under the other: Luis's list starts below Ana's.
      const ana = await desk.getByTestId('resource-ana').boundingBox();
      const luis = await desk.getByTestId('resource-luis').boundingBox();
      expect(luis?.y ?? 0).toBeGreaterThan((ana?.y ?? 0) + (ana?.height ?? 0) - 1);
      if (fs.existsSync(SHOTS))
        await desk.screenshot({ path: `${SHOTS}/bcal-calendar-phone.png`, fullPage: true });

      await desk.getByTestId('resource-luis').locator('a', { hasText: '11:00' }).click();
      await desk.getByTestId('appt-customer').waitFor(WAIT);
      expect(await desk.evaluate<number>(SIDEWAYS)).toBeLessThanOrEqual(0);
      // The number in the heading stays on one line; the nav's row scrolls sideways to its last page.
      expect(
        await desk.evaluate<number>(
          "document.querySelector('[data-testid=page-title] .nowrap').getClientRects().length",
        ),
      ).toBe(1);
      expect(
        await desk.evaluate<number>(
          "(() => { const n = document.querySelector('nav'); n.scrollLeft = n.scrollWidth; return n.scrollLeft; })()",
        ),
      ).toBeGreaterThan(0);
      await desk.getByTestId('nav-access-log').scrollIntoViewIfNeeded();
      expect(await desk.getByTestId('nav-access-log').isVisible()).toBe(true);
      if (fs.existsSync(SHOTS))
        await desk.screenshot({ path: `${SHOTS}/bcal-detail-phone.png`, fullPage: true });
      await desk.getByTestId('appt-move').click();
      await desk.getByTestId('move-submit').waitFor(WAIT);
      expect(await desk.evaluate<number>(SIDEWAYS)).toBeLessThanOrEqual(0);
      if (fs.existsSync(SHOTS))
        await desk.screenshot({ path: `${SHOTS}/bcal-move-phone.png`, fullPage: true });
      await desk.goto(`${t.bot.url}/portal/b/${pnid}/appointments?view=week&resource=luis&date=${date}`);
      await desk.getByTestId(`day-${date}`).locator('.appt', { hasText: 'Marta Vidal' }).waitFor(WAIT);
      expect(await desk.evaluate<number>(SIDEWAYS)).toBeLessThanOrEqual(0);
      if (fs.existsSync(SHOTS))
        await desk.screenshot({ path: `${SHOTS}/bcal-week-phone.png`, fullPage: true });
      await desk.goto(`${t.bot.url}/portal/b/${pnid}/appointments/new?date=${date}`);
      expect(await desk.evaluate<number>(SIDEWAYS)).toBeLessThanOrEqual(0);
      if (fs.existsSync(SHOTS))
        await desk.screenshot({ path: `${SHOTS}/bcal-new-phone.png`, fullPage: true });
    });
  });
});
