/**
 * The web simulator in a real browser (Debian's Chromium, headless, through playwright-core): a customer
 * orders the demo pizzeria's food by tapping list rows and buttons, and erases their data with the button,
 * seeing the confirmation code. Every tap goes from the page through /sim/api and the real signed /webhook;
 * the bot's replies reach the page through the real WhatsApp client and the built-in Graph sink. A failing
 * test leaves a screenshot in test-results/screenshots/.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PHONE_NUMBER_ID } from '../../src/businesses/demo.js';
import type { Order } from '../../src/db/models/order.model.js';
import { startTestBot } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { launchBrowser, withPage } from '../helpers/browser.js';
import { newWaId } from '../helpers/payloads.js';

let t: TestBot;
let browser: Browser;

beforeAll(async () => {
  t = await startTestBot('browser-simulator', {
    env: { SIMULATOR: 'on' },
    bot: { seedDemo: true, simulatorStatusDelaysMs: [5, 15, 30] },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const WAIT = { timeout: 10_000 };

/** Opens the simulator as a new customer of the demo business. */
async function openChat(page: Page, waId: string, name: string): Promise<void> {
  await page.goto(`${t.bot.url}/`);
  await page.getByTestId('business').selectOption(DEMO_PHONE_NUMBER_ID);
  await page.getByTestId('name').fill(name);
  await page.getByTestId('phone').fill(waId);
  // The identity is read when a message is sent; a change re-renders the (empty) chat.
  await page.getByTestId('phone').dispatchEvent('change');
}

/** The bot's latest message (outbound), once there are at least `count` of them. */
async function botMessage(page: Page, count: number): Promise<Locator> {
  const replies = page.locator('[data-testid="message"][data-direction="out"]');
  await expect.poll(() => replies.count(), WAIT).toBeGreaterThanOrEqual(count);
  return replies.nth(count - 1);
}

async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('text').fill(text);
  await page.getByTestId('send').click();
}

async function tapButton(message: Locator, id: string): Promise<void> {
  await message.locator(`[data-testid="reply-button"][data-id="${id}"]`).click(WAIT);
}

/** Opens the message's list (the latest one is shown open already) and taps a row. */
async function tapRow(message: Locator, id: string): Promise<void> {
  const list = message.getByTestId('list');
  await list.waitFor(WAIT);
  if (!(await list.evaluate((details) => (details as unknown as { open: boolean }).open))) {
    await message.getByTestId('list-button').click(WAIT);
  }
  await message.locator(`[data-testid="list-row"][data-id="${id}"]`).click(WAIT);
}

/** Places a pickup order for two Margheritas by tapping, from "hi"; returns the "placed" message. */
async function orderByTaps(page: Page): Promise<Locator> {
  await say(page, 'hi');
  const greeting = await botMessage(page, 1);
  await expect.poll(() => greeting.textContent(), WAIT).toContain('Welcome to');
  await tapRow(greeting, 'menu.order');
  await tapRow(await botMessage(page, 2), 'item:margherita');
  await tapButton(await botMessage(page, 3), 'qty:2');
  await tapButton(await botMessage(page, 4), 'cart:checkout');
  await tapButton(await botMessage(page, 5), 'order.pickup');
  await tapButton(await botMessage(page, 6), 'order.nonote');
  const summary = await botMessage(page, 7);
  await expect.poll(() => summary.textContent(), WAIT).toContain('2 × Margherita');
  await tapButton(summary, 'order.confirm');
  const placed = await botMessage(page, 8);
  await expect.poll(() => placed.textContent(), WAIT).toMatch(/Order \d{4} placed/);
  return placed;
}

/** The page's overflow, as the browser laid it out: a page that fits scrolls neither way (the chat does). */
function overflow(page: Page): Promise<{ horizontal: number; vertical: number }> {
  return page.locator('html').evaluate((html) => {
    const root = html as unknown as {
      scrollWidth: number;
      clientWidth: number;
      scrollHeight: number;
      clientHeight: number;
    };
    return {
      horizontal: root.scrollWidth - root.clientWidth,
      vertical: root.scrollHeight - root.clientHeight,
    };
  });
}

describe('web simulator in Chromium', () => {
  it('when a customer orders by tapping rows and buttons, then the order is placed and shown with its number', async () => {
    const waId = newWaId();
    await withPage(browser, 'simulator-order-by-taps', async (page) => {
      await openChat(page, waId, 'Browser Ana');
      await say(page, 'hi');
      const greeting = await botMessage(page, 1);
      await expect.poll(() => greeting.textContent(), WAIT).toContain('Welcome to');

      await tapRow(greeting, 'menu.order');
      await tapRow(await botMessage(page, 2), 'item:margherita');
      await tapButton(await botMessage(page, 3), 'qty:2');
      await tapButton(await botMessage(page, 4), 'cart:checkout');
      await tapButton(await botMessage(page, 5), 'order.pickup');
      await tapButton(await botMessage(page, 6), 'order.nonote');
      const summary = await botMessage(page, 7);
      await expect.poll(() => summary.textContent(), WAIT).toContain('2 × Margherita');
      await tapButton(summary, 'order.confirm');

      const placed = await botMessage(page, 8);
      await expect.poll(() => placed.textContent(), WAIT).toMatch(/Order \d{4} placed/);
      // WhatsApp formatting: the order number is bold, not shown with asterisks.
      expect(await placed.locator('strong, b').first().textContent()).toMatch(/^\d{4}$/);
      // The customer's own taps turned blue: the bot marked them read (its mark-as-read calls reach the sink).
      await expect
        .poll(
          () => page.locator('[data-direction="in"] [data-testid="ticks"][data-status="read"]').count(),
          WAIT,
        )
        .toBeGreaterThan(0);
    });
    const orders = await t.bot.models.Order.find({ phoneNumberId: DEMO_PHONE_NUMBER_ID })
      .lean<Order[]>()
      .exec();
    const mine = orders.filter((o) => o.items.some((i) => i.itemId === 'margherita' && i.quantity === 2));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.fulfilment).toBe('pickup');
  });

  it('when a customer confirms "delete my data" with the button, then the confirmation code is shown and their data is gone', async () => {
    const waId = newWaId();
    await withPage(browser, 'simulator-delete-my-data', async (page) => {
      await openChat(page, waId, 'Browser Bea');
      await say(page, 'delete my data');
      const offer = await botMessage(page, 1);
      const confirm = offer.locator('[data-testid="reply-button"][data-id^="pv.erase.yes:"]');
      await confirm.waitFor(WAIT);
      await confirm.click();

      const done = page.locator('[data-testid="message"][data-direction="out"]', {
        hasText: 'Your data has been deleted',
      });
      await done.waitFor(WAIT);
      expect(await done.textContent()).toMatch(/Confirmation code: DSR[0-9A-Z]{10}/);
    });
    expect(await t.bot.models.Customer.countDocuments({ waId }).exec()).toBe(0);
  });
  it('when a customer sends a catalogue order from the attach menu, then the cart shows it, and a reaction shows under the bot message', async () => {
    const waId = newWaId();
    await withPage(browser, 'simulator-attach-order', async (page) => {
      await openChat(page, waId, 'Browser Cai');
      await say(page, 'hi');
      await botMessage(page, 1);

      await page.getByTestId('attach').click();
      await page.getByTestId('attach-order').click();
      await page.getByTestId('order-quantity').first().fill('2');
      await page.getByTestId('send-order').click();
      const cart = await botMessage(page, 2);
      await expect.poll(() => cart.textContent(), WAIT).toContain('2 × Margherita');
      expect(await page.getByTestId('order-form').isHidden()).toBe(true);

      await page.getByTestId('attach').click();
      await page.getByTestId('attach-reaction').click();
      await page.getByRole('button', { name: 'Thumbs up' }).click();
      await cart.getByTestId('reaction').waitFor(WAIT);

      // Screenshots for a person to look at, only when asked for (the desktop and a 390 px phone).
      const dir = process.env.SCREENSHOTS_DIR;
      if (dir) {
        await page.getByTestId('attach').click();
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.screenshot({ path: `${dir}/h16d-simulator-desktop.png` });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: `${dir}/h16d-simulator-phone.png` });
      }
    });
  });

  it('when a customer orders on a 390 px phone and on a desktop, then nothing overflows, only their own messages carry ticks and the last one turns blue', async () => {
    const waId = newWaId();
    await withPage(browser, 'simulator-phone-and-desktop', async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      const favicon = page.waitForResponse((res) => res.url().endsWith('/favicon.svg'));
      await openChat(page, waId, 'Browser Dan');
      expect((await favicon).status()).toBe(200);
      // The empty chat says how to begin.
      await page.getByTestId('empty-hint').waitFor(WAIT);
      expect(await page.getByTestId('empty-hint').textContent()).toContain('Say hi');

      await orderByTaps(page);
      expect(await page.getByTestId('empty-hint').count()).toBe(0);
      const mine = page.locator('[data-testid="message"][data-direction="in"]');
      // The customer's last message (the "Confirm" tap) shows blue ticks once the bot has read it.
      await expect
        .poll(() => mine.last().getByTestId('ticks').getAttribute('data-status'), WAIT)
        .toBe('read');
      expect(await mine.getByTestId('ticks').count()).toBe(await mine.count());
      // The bot's messages carry none, as on WhatsApp.
      expect(await page.locator('[data-direction="out"] [data-testid="ticks"]').count()).toBe(0);
      // The state line names the conversation's language.
      await expect.poll(() => page.getByTestId('language').textContent(), WAIT).toBe('en');

      // Delivered again: the bot says it already had the message, and no second answer appears.
      const answers = await page.locator('[data-direction="out"]').count();
      await page.getByTestId('again').click();
      await expect
        .poll(() => page.getByTestId('toast').textContent(), WAIT)
        .toContain('does not answer twice');
      await t.settled();
      expect(await page.locator('[data-direction="out"]').count()).toBe(answers);

      const dir = process.env.SCREENSHOTS_DIR;
      for (const [label, size] of [
        ['phone', { width: 390, height: 844 }],
        ['desktop', { width: 1280, height: 800 }],
      ] as const) {
        await page.setViewportSize(size);
        expect(await overflow(page), label).toEqual({ horizontal: 0, vertical: 0 });
        // The compose bar stays on screen: the chat scrolls, not the page.
        const compose = await page.getByTestId('compose').boundingBox();
        expect(compose && compose.y + compose.height, label).toBeLessThanOrEqual(size.height);
        if (dir) await page.screenshot({ path: `${dir}/h19-simulator-${label}.png` });
      }
    });
  });
});
