import { afterAll, beforeAll } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { testRuntime } from './converse';
import { startTelegramEmulator, type TelegramEmulator, testToken } from './telegram';
import { isolatedDb } from './test-env';

export interface TelegramSuite {
  emulator: TelegramEmulator;
  runtime: Runtime;
  token: string;
}

/**
 * A test file's whole bot behind the Telegram channel on the emulator (fresh token), started before its tests
 * and closed after them: optionally its outbound workers, and a database schema of its own (`isolated`, a tag)
 * when a test must see only its own courses. Read `suite.runtime` etc. inside tests.
 */
export function telegramSuite(
  options: { env?: Record<string, string>; workers?: boolean; isolated?: string } = {},
): TelegramSuite {
  const suite = {} as TelegramSuite;
  beforeAll(async () => {
    suite.emulator = await startTelegramEmulator();
    suite.token = testToken();
    suite.runtime = await testRuntime({
      ...(options.isolated ? { DATABASE_URL: (await isolatedDb(options.isolated)).url } : {}),
      TELEGRAM_BOT_TOKEN: suite.token,
      TELEGRAM_API_ROOT: suite.emulator.apiRoot,
      ...options.env,
    });
    await suite.runtime.startChannels();
    if (options.workers) await suite.runtime.startWorkers();
  });
  afterAll(async () => {
    await suite.runtime?.close();
    await suite.emulator?.close();
  });
  return suite;
}
