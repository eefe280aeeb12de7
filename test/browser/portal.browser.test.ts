/**
 * The business portal and the web simulator side by side in a real browser (Debian's Chromium through
 * playwright-core): switching AI on in the portal changes the next reply in the simulator (answered by a
 * loopback OpenAI-compatible server), and an order status changed in the portal reaches the customer's chat.
 * A failing test leaves a screenshot in test-results/screenshots/.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PHONE_NUMBER_ID } from '../../src/businesses/demo.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { launchBrowser, withPage } from '../helpers/browser.js';
import { conversationId } from '../helpers/engine.js';
import { answer, startOpenAiStub } from '../helpers/openai-stub.js';
import type { OpenAiStub } from '../helpers/openai-stub.js';
import { newWaId } from '../helpers/payloads.js';

const AI_ANSWER = 'We are open every day from 12:00 to 23:00.';
const WAIT = { timeout: 10_000 };

let t: TestBot;
let ai: OpenAiStub;
let browser: Browser;

beforeAll(async () => {
  ai = await startOpenAiStub();
  ai.setDefault(answer(AI_ANSWER));
  t = await startTestBot('browser-portal', {
    env: {
      SIMULATOR: 'on',
      OPENAI_BASE_URL: ai.baseURL,
      OPENAI_MODEL: 'test-model',
      OPENAI_API_KEY: 'sk-test',
    },
    bot: { seedDemo: true, simulatorStatusDelaysMs: [5, 15, 30] },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await ai?.close();
});

async function openChat(page: Page, waId: string): Promise<void> {
  await page.goto(`${t.bot.url}/`);
  await page.getByTestId('business').selectOption(DEMO_PHONE_NUMBER_ID);
  await page.getByTestId('name').fill('Portal Customer');
  await page.getByTestId('phone').fill(waId);
  await page.getByTestId('phone').dispatchEvent('change');
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('text').fill(text);
  await page.getByTestId('send').click();
}

/** The bot's `count`-th message in the simulator, once it is there. */
async function botMessage(page: Page, count: number): Promise<Locator> {
  const replies = page.locator('[data-testid="message"][data-direction="out"]');
  await expect.poll(() => replies.count(), WAIT).toBeGreaterThanOrEqual(count);
  return replies.nth(count - 1);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${t.bot.url}/portal/sign-in`);
  await page.getByLabel('Business API key or operator token').fill(TEST_ADMIN_TOKEN);
  await page.getByTestId('sign-in-submit').click();
  // Signed in: the sign-out button is on every page of a session (not on the sign-in page).
  await page.getByTestId('sign-out').waitFor(WAIT);
}

describe('portal and simulator in Chromium', () => {
  it('when AI is switched on in the portal, then the next simulator reply is the AI’s answer', async () => {
    const waId = newWaId();
    await withPage(browser, 'portal-ai-switch', async (chat) => {
      await openChat(chat, waId);
      await say(chat, 'hi');
      await botMessage(chat, 1);
      await say(chat, 'is the tiramisu homemade?');
      const before = await botMessage(chat, 2);
      await expect.poll(() => before.textContent(), WAIT).toContain("Sorry, I didn't understand that.");
      expect(ai.completions()).toHaveLength(0);

      await withPage(browser, 'portal-ai-switch-portal', async (portal) => {
        await signIn(portal);
        await portal.goto(`${t.bot.url}/portal/b/${DEMO_PHONE_NUMBER_ID}`);
        await expect.poll(() => portal.getByTestId('ai-status').textContent(), WAIT).toContain('off');
        await portal.getByTestId('ai-toggle').click();
        await expect.poll(() => portal.getByTestId('ai-status').textContent(), WAIT).toContain('on');
      });

      await say(chat, 'is the tiramisu homemade?');
      const after = await botMessage(chat, 3);
      await expect.poll(() => after.textContent(), WAIT).toContain(AI_ANSWER);
    });
    expect(ai.completions().length).toBeGreaterThanOrEqual(1);
    // Back off for the other tests of this file.
    await t.admin('PATCH', `/admin/businesses/${DEMO_PHONE_NUMBER_ID}`, { aiReplies: false });
  }, 60_000);

  it('when the business confirms an order in the portal, then the customer sees it in the simulator chat', async () => {
    const waId = newWaId();
    await withPage(browser, 'portal-order-status', async (chat) => {
      await openChat(chat, waId);
      await say(chat, 'hi');
      await botMessage(chat, 1);
      const order = await t.bot.orders.placeOrder({
        phoneNumberId: DEMO_PHONE_NUMBER_ID,
        customerRef: conversationId(DEMO_PHONE_NUMBER_ID, waId),
        currency: 'EUR',
        items: [{ itemId: 'cola', name: 'Cola', unitPriceMinor: 250, quantity: 1, lineTotalMinor: 250 }],
        totalMinor: 250,
        fulfilment: 'pickup',
      });

      await withPage(browser, 'portal-order-status-portal', async (portal) => {
        await signIn(portal);
        await portal.goto(`${t.bot.url}/portal/b/${DEMO_PHONE_NUMBER_ID}/orders`);
        const n = order.orderNumber;
        // One click: a button per next status.
        await portal.getByTestId(`order-${n}-to-confirmed`).click();
        await expect
          .poll(() => portal.getByTestId(`order-${n}-current`).textContent(), WAIT)
          .toMatch(/confirmed/i);
      });

      const notice = await botMessage(chat, 2);
      await expect
        .poll(() => notice.textContent(), WAIT)
        .toContain(`Your order ${order.orderNumber} is confirmed.`);
    });
  });

  it('when the settings page is used at phone width to close the business, then it fits and the bot says it is closed', async () => {
    const waId = newWaId();
    await withPage(browser, 'portal-settings-phone', async (portal) => {
      await portal.setViewportSize({ width: 390, height: 844 });
      await signIn(portal);
      await portal.goto(`${t.bot.url}/portal/b/${DEMO_PHONE_NUMBER_ID}/settings`);
      // No horizontal scrolling at phone width: the page is no wider than the window.
      const widths = await portal.locator('html').evaluate((html) => {
        const el = html as unknown as { scrollWidth: number; clientWidth: number };
        return { scroll: el.scrollWidth, client: el.clientWidth };
      });
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      await portal.getByLabel('Use these opening hours (unticked: always open)').check();
      for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
        await portal.getByTestId(`${day}-closed`).check();
      await portal.getByTestId('hours-save').click();
      await expect.poll(() => portal.getByTestId('message').textContent(), WAIT).toContain('Saved.');
    });
    await withPage(browser, 'portal-settings-closed-chat', async (chat) => {
      await openChat(chat, waId);
      await say(chat, 'hi');
      await botMessage(chat, 1);
      await say(chat, 'order');
      const closed = await botMessage(chat, 2);
      await expect.poll(() => closed.textContent(), WAIT).toContain("We're closed now.");
    });
    await t.admin('PATCH', `/admin/businesses/${DEMO_PHONE_NUMBER_ID}`, { openingHours: null });
  }, 60_000);

  it('when the orders pages are opened at a phone’s width (390 px), then nothing overflows sideways and cancelling asks first', async () => {
    const order = await t.bot.orders.placeOrder({
      phoneNumberId: DEMO_PHONE_NUMBER_ID,
      customerRef: conversationId(DEMO_PHONE_NUMBER_ID, newWaId()),
      currency: 'EUR',
      items: [
        { itemId: 'margherita', name: 'Margherita', unitPriceMinor: 950, quantity: 2, lineTotalMinor: 1900 },
        { itemId: 'cola', name: 'Cola', unitPriceMinor: 250, quantity: 3, lineTotalMinor: 750 },
      ],
      totalMinor: 2650,
      fulfilment: 'delivery',
      deliveryAddress: {
        text: 'Avenida de la Constitución 123, Escalera Izquierda, 4º Derecha, 41001 Sevilla',
        latitude: 37.3891,
        longitude: -5.9845,
      },
      note: 'No basil on the second pizza, please; the doorbell does not work, call on arrival',
    });
    const n = order.orderNumber;
    await withPage(browser, 'portal-orders-phone', async (portal) => {
      await portal.setViewportSize({ width: 390, height: 844 });
      await signIn(portal);
      const overflow = () =>
        portal.locator('html').evaluate((html) => {
          const root = html as unknown as { scrollWidth: number; clientWidth: number };
          return root.scrollWidth - root.clientWidth;
        });
      const base = `${t.bot.url}/portal/b/${DEMO_PHONE_NUMBER_ID}`;
      for (const path of ['/orders', `/orders/${n}`, `/orders/${n}/ticket`, '']) {
        await portal.goto(`${base}${path}`);
        expect(await overflow(), path).toBeLessThanOrEqual(0);
      }
      await portal.goto(`${base}/orders`);
      await portal.getByTestId(`order-${n}-to-cancelled`).click();
      await portal.getByTestId('confirm-cancel').waitFor(WAIT);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await portal.getByTestId('keep-order').click();
      await expect
        .poll(() => portal.getByTestId(`order-${n}-current`).textContent(), WAIT)
        .toMatch(/placed/i);
    });
  });
});
