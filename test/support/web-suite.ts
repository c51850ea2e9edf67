import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { type WebWorld, webWorld } from './web-world';

/**
 * A test file's web world (HTTP server, runtime) and, when asked, a real Chromium: started before its tests,
 * closed after them. Read `suite.world` / `suite.browser` inside tests.
 */
export function webSuite(
  options: Parameters<typeof webWorld>[0] = {},
  { browser = false }: { browser?: boolean } = {},
): { world: WebWorld; browser: Browser } {
  const suite = {} as { world: WebWorld; browser: Browser };
  beforeAll(async () => {
    suite.world = await webWorld(options);
    if (browser) suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.world?.close();
  });
  return suite;
}
