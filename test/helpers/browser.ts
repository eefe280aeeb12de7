/**
 * Real-browser tests: Debian's Chromium (headless) driven by playwright-core, which downloads nothing.
 * `.ci/run` installs the `chromium` package when it is missing; CHROMIUM_PATH overrides the binary. A test
 * that fails leaves a screenshot in test-results/screenshots/ (git-ignored) to show what the page looked like.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve('test-results', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install the Debian package (apt-get install chromium)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Runs `fn` with a fresh page; on failure saves a full-page screenshot named after the test, then rethrows. */
export async function withPage<T>(
  browser: Browser,
  name: string,
  fn: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    return await fn(page);
  } catch (err) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw err;
  } finally {
    await context.close();
  }
}
