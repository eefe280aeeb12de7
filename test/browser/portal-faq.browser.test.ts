/**
 * The portal's FAQ page in a real browser on a 390 px phone screen: no sideways scrolling, a translation
 * opened and filled with the keyboard alone, and a removal that asks first.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PHONE_NUMBER_ID } from '../../src/businesses/demo.js';
import { startTestBot, TEST_ADMIN_TOKEN } from '../helpers/bot.js';
import type { TestBot } from '../helpers/bot.js';
import { launchBrowser, withPage } from '../helpers/browser.js';

const WAIT = { timeout: 10_000 };
/** How far the page scrolls sideways, in CSS pixels (0: it fits the screen). */
const SIDEWAYS = 'document.documentElement.scrollWidth - window.innerWidth';

let t: TestBot;
let browser: Browser;
beforeAll(async () => {
  t = await startTestBot('browser-portal-faq', { bot: { seedDemo: true } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('portal FAQ page in a browser', () => {
  it('when used on a 390 px screen with the keyboard, then nothing scrolls sideways, a translation is saved, and removal asks first', async () => {
    await withPage(browser, 'portal FAQ 390px', async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${t.bot.url}/portal/sign-in`);
      await page.getByLabel('Business API key or operator token').fill(TEST_ADMIN_TOKEN);
      await page.getByTestId('sign-in-submit').click();
      await page.getByTestId('sign-out').waitFor(WAIT);
      await page.goto(`${t.bot.url}/portal/b/${DEMO_PHONE_NUMBER_ID}/faq`);

      const overflow = await page.evaluate<number>(SIDEWAYS);
      expect(overflow).toBeLessThanOrEqual(0);

      // The new question, in Spanish, with its English translation: summary opened with the keyboard.
      await page.getByTestId('faq-new-language').selectOption('es');
      await page.getByTestId('faq-new-question').fill('¿Tienen terraza?');
      await page.getByTestId('faq-new-answer').fill('Sí, con 6 mesas.');
      await page.locator('[data-testid="faq-new-en"] > summary').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('faq-new-en-question').fill('Do you have a terrace?');
      await page.getByTestId('faq-new-en-answer').fill('Yes, with 6 tables.');
      await page.getByTestId('faq-save-new').press('Enter');
      await page.getByTestId('message').waitFor(WAIT);

      const demo = await t.bot.models.Business.findOne({ phoneNumberId: DEMO_PHONE_NUMBER_ID }).lean().exec();
      const added = demo?.faq.at(-1);
      expect(added).toMatchObject({
        language: 'es',
        question: '¿Tienen terraza?',
        translations: { en: { question: 'Do you have a terrace?', answer: 'Yes, with 6 tables.' } },
      });
      const index = (demo?.faq.length ?? 0) - 1;

      await page.getByTestId(`faq-remove-${index}`).click();
      await page.getByTestId('faq-remove-confirm').waitFor(WAIT);
      expect(await page.evaluate<number>(SIDEWAYS)).toBeLessThanOrEqual(0);
      await page.getByTestId('faq-remove-confirm').click();
      await page.getByTestId('message').waitFor(WAIT);
      const after = await t.bot.models.Business.findOne({ phoneNumberId: DEMO_PHONE_NUMBER_ID })
        .lean()
        .exec();
      expect(after?.faq.map((f) => f.question)).not.toContain('¿Tienen terraza?');
    });
  });
});
