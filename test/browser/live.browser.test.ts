/**
 * Live portal updates in a real browser (Debian's Chromium through playwright-core): the orders page is open,
 * a customer places an order through the webhook, and the order appears in the page without a reload; the
 * header says the page is live, and screen readers are told politely. A failing test leaves a screenshot in
 * test-results/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { launchBrowser, withPage } from '../helpers/browser.js';
import { chatWith } from '../helpers/chat.js';
import type { Chat } from '../helpers/chat.js';
import { newPhoneNumberId, newWaId } from '../helpers/payloads.js';

const WAIT = { timeout: 10_000 };

let t: TestBot;
let browser: Browser;
const { say, tapRow, tapButton } = chatWith(() => t);

beforeAll(async () => {
  t = await startTestBot('browser-live');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('live portal updates in Chromium', () => {
  it('when a customer places an order in the chat, then it appears on the open orders page without a reload', async () => {
    const pnid = newPhoneNumberId();
    const res = await t.admin('PUT', `/admin/businesses/${pnid}`, {
      name: 'Pizzeria Viva',
      currency: 'EUR',
      catalog: [{ id: 'cola', name: 'Cola', price: 2.5 }],
      fulfilment: { pickup: true, delivery: true },
    });
    expect(res.status).toBe(201);
    const chat: Chat = { pnid, waId: newWaId(), seen: 0 };

    await withPage(browser, 'live-orders', async (page) => {
      await page.goto(`${t.bot.url}/portal/sign-in`);
      await page.getByLabel('Business API key or operator token').fill(TEST_ADMIN_TOKEN);
      await page.getByTestId('sign-in-submit').click();
      await page.getByTestId('sign-out').waitFor(WAIT);
      await page.goto(`${t.bot.url}/portal/b/${pnid}/orders`);
      await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state'), WAIT).toBe('live');
      await expect.poll(() => page.getByTestId('live-status').textContent()).toBe('● Live');
      expect(await page.getByTestId('orders').count()).toBe(0);
      // Set on this document: still there afterwards means the page was not loaded again.
      await page.evaluate("document.body.setAttribute('data-loaded-once', 'yes')");

      await say(chat, 'hi');
      await tapRow(chat, 'menu.order', 'Order');
      await tapRow(chat, 'item:cola', 'Cola');
      await tapButton(chat, 'qty:2', '2');
      await tapButton(chat, 'cart:checkout', 'Checkout');
      await tapButton(chat, 'order.pickup', 'Pickup');
      await tapButton(chat, 'order.nonote', 'No note');
      await tapButton(chat, 'order.confirm', 'Confirm');
      const order = await t.bot.models.Order.findOne({ phoneNumberId: pnid }).lean().exec();
      expect(order?.orderNumber).toBeDefined();

      const row = page.getByTestId(`order-${order!.orderNumber}`);
      await expect.poll(() => row.count(), WAIT).toBe(1);
      expect(await row.textContent()).toContain('2 × Cola');
      expect(await page.locator('body').getAttribute('data-loaded-once')).toBe('yes');
      await expect.poll(() => page.getByTestId('live-announce').textContent(), WAIT).toBe('New order.');
    });
  }, 60_000);
});
