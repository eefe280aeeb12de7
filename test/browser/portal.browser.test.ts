/**
 * The business portal and the web simulator side by side in a real browser (Debian's Chromium through
 * playwright-core): switching AI on in the portal changes the next reply in the simulator (answered by a
 * loopback OpenAI-compatible server), an order status changed in the portal reaches the customer's chat, and a
 * customer who asks for a person appears live in the staff inbox, is answered from the portal and handed back,
 * and a delivery order placed in the simulator appears live on the open orders page and is taken to ready.
 * A failing test leaves a screenshot in test-results/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
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

/** Waits until the simulator shows one more bot message containing `text` than `before`; returns the count. */
async function botSays(page: Page, text: string, before = 0): Promise<number> {
  const matching = page.locator('[data-testid="message"][data-direction="out"]', { hasText: text });
  await expect.poll(() => matching.count(), WAIT).toBeGreaterThan(before);
  return matching.count();
}

/** Taps the latest reply button or list row `id` in the simulator, once it is there (a list is opened first). */
async function tap(page: Page, id: string): Promise<void> {
  const target = page
    .locator(`[data-testid="reply-button"][data-id="${id}"], [data-testid="list-row"][data-id="${id}"]`)
    .last();
  await target.waitFor({ state: 'attached', ...WAIT });
  await target.evaluate((el) => {
    const details = (el as unknown as { closest: (s: string) => { open: boolean } | null }).closest(
      'details',
    );
    if (details) details.open = true;
  });
  await target.click(WAIT);
}

/** Screenshots for the record, only when asked for (SCREENSHOTS_DIR=…); never part of what is asserted. */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
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
        await expect
          .poll(() => portal.getByTestId('ai-status').textContent(), WAIT)
          .toContain('Off: customers get the standard replies.');
        await portal.getByTestId('ai-toggle').click();
        await expect
          .poll(() => portal.getByTestId('ai-status').textContent(), WAIT)
          .toContain('On: an AI phrases the replies to customers.');
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
      await portal.getByLabel(/^Use these opening hours/).check();
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

  it('when a customer asks for a person in the simulator, then staff see it live, answer, and hand back to the bot', async () => {
    const waId = newWaId();
    await withPage(browser, 'portal-handoff-inbox', async (inbox) => {
      await signIn(inbox);
      const inboxUrl = `${t.bot.url}/portal/b/${DEMO_PHONE_NUMBER_ID}/inbox`;
      await inbox.goto(inboxUrl);
      await expect.poll(() => inbox.getByTestId('live-status').getAttribute('data-state'), WAIT).toBe('live');
      const rows = inbox.locator('[data-live-region] tr[data-testid^="handoff-"]');
      const rowsBefore = await rows.count();
      // Set on this document: still there afterwards means the page was not loaded again.
      await inbox.evaluate("document.body.setAttribute('data-loaded-once', 'yes')");

      await withPage(browser, 'portal-handoff-chat', async (chat) => {
        await openChat(chat, waId);
        await say(chat, 'hi');
        await botMessage(chat, 1);
        await say(chat, 'I want to talk to a person');
        await botSays(chat, 'will answer you here as soon as possible');
        await say(chat, 'Is there parking near you?');

        // The conversation appears in the open inbox, without a reload, with the customer's message.
        await expect.poll(() => rows.count(), WAIT).toBe(rowsBefore + 1);
        const row = rows.filter({ hasText: 'Portal Customer' }).first();
        await expect.poll(() => row.textContent(), WAIT).toContain('Waiting for a person');
        expect(await inbox.locator('body').getAttribute('data-loaded-once')).toBe('yes');
        await shot(inbox, 'hH-inbox-live-desktop');

        await row.getByRole('link', { name: /Open/ }).click();
        await expect
          .poll(() => inbox.getByTestId('thread').textContent(), WAIT)
          .toContain('Is there parking near you?');
        await inbox.getByTestId('take').click();
        await expect.poll(() => inbox.getByTestId('thread-status').textContent(), WAIT).toContain('Taken');
        await botSays(chat, 'a person has joined the chat');

        const reply = 'Yes, there is a car park right behind us.';
        await inbox.getByTestId('reply-text').fill(reply);
        await inbox.getByTestId('reply-send').click();
        await expect
          .poll(() => inbox.getByTestId('message').textContent(), WAIT)
          .toMatch(/Reply (sent|stored)/);
        await expect.poll(() => inbox.getByTestId('thread').textContent(), WAIT).toContain(reply);
        await botSays(chat, reply);
        await shot(inbox, 'hH-inbox-thread-desktop');
        // At a phone's width the thread and its reply form fit: nothing scrolls sideways.
        await inbox.setViewportSize({ width: 390, height: 844 });
        const overflow = await inbox.locator('html').evaluate((html) => {
          const root = html as unknown as { scrollWidth: number; clientWidth: number };
          return root.scrollWidth - root.clientWidth;
        });
        expect(overflow).toBeLessThanOrEqual(0);
        // Send and "Hand back" are apart (a mis-tap must not end the conversation): a clear gap between them.
        const gap = Number(
          await inbox.evaluate(
            "document.querySelector('[data-testid=hand-back]').getBoundingClientRect().top - document.querySelector('[data-testid=reply-send]').getBoundingClientRect().bottom",
          ),
        );
        expect(gap).toBeGreaterThanOrEqual(48);
        await shot(inbox, 'hH-inbox-thread-phone');

        const menusBefore = await chat
          .locator('[data-testid="message"][data-direction="out"]', { hasText: 'What would you like to do?' })
          .count();
        await inbox.getByTestId('hand-back').click();
        await expect
          .poll(() => inbox.getByTestId('thread-status').textContent(), WAIT)
          .toContain('Handed back by staff');
        await botSays(chat, "You're back with the automated assistant.");
        await say(chat, 'menu');
        await botSays(chat, 'What would you like to do?', menusBefore);
      });
    });
  }, 60_000);

  it('when a customer orders a delivery with a note in the simulator, then it appears live in the portal, is made ready in one click and the customer is told in Spanish', async () => {
    const waId = newWaId();
    const address = 'Calle Feria 12, 2º B, 41003 Sevilla';
    const note = 'Sin albahaca, por favor';
    await withPage(browser, 'portal-live-order', async (portal) => {
      await signIn(portal);
      await portal.goto(`${t.bot.url}/portal/b/${DEMO_PHONE_NUMBER_ID}/orders`);
      await expect
        .poll(() => portal.getByTestId('live-status').getAttribute('data-state'), WAIT)
        .toBe('live');
      // Set on this document: still there afterwards means the page was not loaded again.
      await portal.evaluate("document.body.setAttribute('data-loaded-once', 'yes')");

      await withPage(browser, 'portal-live-order-chat', async (chat) => {
        await openChat(chat, waId);
        await say(chat, 'hola');
        await botSays(chat, 'Te damos la bienvenida');
        await tap(chat, 'menu.order');
        await tap(chat, 'item:margherita');
        await tap(chat, 'qty:2');
        await tap(chat, 'cart:checkout');
        await tap(chat, 'order.delivery');
        await botSays(chat, '¿Dónde lo entregamos?');
        await say(chat, address);
        await botSays(chat, '¿Algo que debamos saber');
        await say(chat, note);
        await botSays(chat, `Nota: ${note}`);
        await tap(chat, 'order.confirm');
        await botSays(chat, 'Pedido');
        const placed = await chat
          .locator('[data-testid="message"][data-direction="out"]', { hasText: 'hecho' })
          .last()
          .textContent();
        const n = /Pedido (\d+) hecho/.exec(placed ?? '')?.[1];
        expect(n, placed ?? '').toBeDefined();

        // On the open orders page, without a reload: the items, the note and the delivery.
        const card = portal.getByTestId(`order-${n}`);
        await expect.poll(() => card.count(), WAIT).toBe(1);
        expect(await card.textContent()).toContain('2 × Margherita');
        expect(await portal.getByTestId(`order-${n}-note`).textContent()).toContain(note);
        expect(await card.textContent()).toContain('Delivery');
        expect(await portal.locator('body').getAttribute('data-loaded-once')).toBe('yes');
        await shot(portal, 'h15-order-live-desktop');

        // The address is on the order's own page (each view of a customer's details is recorded).
        await portal.getByTestId(`order-${n}-details`).click();
        await expect
          .poll(() => portal.getByTestId(`order-${n}-address`).textContent(), WAIT)
          .toContain(address);
        // "Mark ready" straight from placed: one click, no page in between, and the customer hears of ready.
        await portal.getByTestId(`order-${n}-to-ready`).click();
        await expect
          .poll(() => portal.getByTestId(`order-${n}-current`).textContent(), WAIT)
          .toMatch(/ready/i);
        await botSays(chat, `Tu pedido ${n} está listo y saldrá enseguida.`);
      });
    });
  }, 60_000);
});
