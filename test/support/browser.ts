import { mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

/** Debian's Chromium, headless (see docs: `npx playwright install` cannot download browsers here). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One screenshot per page under test/artifacts/ (git-ignored), named after the page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Let a smooth scroll to the newest message finish, so the picture shows it.
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** Script errors on a page fail the test that collects them. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
