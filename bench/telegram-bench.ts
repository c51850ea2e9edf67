import { performance } from 'node:perf_hooks';
import { Bot } from 'grammy';
import type { Runtime } from '../src/app/compose';
import { createTelegramChannel } from '../src/channels/telegram/telegram-factory';
import { createChatLinkRepository } from '../src/db/repositories/chat-links-repository';
import { createTranslator } from '../src/i18n/i18n';
import { startTelegramEmulator, type TelegramEmulator } from './telegram-emulator';
import { BENCH_QUESTIONS, BENCH_USERS, timedDialog, type VersusEchoResult, versusEcho } from './versus-echo';

export interface TelegramBenchResult extends VersusEchoResult {
  suite: 'telegram';
}

/**
 * Round trip (the user's message posted to the emulator → the bot's reply stored by it) for our bot with the
 * full runtime (dialog, Redis sessions, PostgreSQL) and for a bare grammY echo bot, one message at a time, on
 * the same telegram-test-api behind the same long-polling proxy. The reply is noticed through the emulator's
 * own event rather than its client's getUpdates, which polls every 100 ms and would swamp both figures.
 * Messages are offered a little slower than TELEGRAM_RATE_PER_SECOND (our bot keeps to Telegram's global
 * limit, grammY's echo bot does not): back to back, the figure would be our pacer's wait, not latency.
 */
export async function benchTelegram(runtime: Runtime, count: number): Promise<TelegramBenchResult> {
  const emulator = await startTelegramEmulator();
  const echoToken = '100001:BENCH-echo-bot-token-000000000000';
  const echo = new Bot(echoToken, { client: { apiRoot: emulator.apiRoot } });
  echo.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  const oursToken = '100002:BENCH-our-bot-token-0000000000000';
  // Built by the production factory: Redis menu store, group links, pacing at TELEGRAM_RATE_PER_SECOND.
  const ours = createTelegramChannel({
    logger: runtime.logger,
    redis: runtime.redis,
    translator: createTranslator(),
    links: createChatLinkRepository(runtime.db, runtime.coordinators.access),
    config: { ...runtime.config, TELEGRAM_BOT_TOKEN: oursToken, TELEGRAM_API_ROOT: emulator.apiRoot },
  });
  if (!ours) throw new Error('the Telegram channel did not build');
  let polling: Promise<void> | undefined;
  try {
    await echo.init();
    polling = echo.start();
    const dialogMs: number[] = [];
    await ours.start(timedDialog(runtime.engine, dialogMs));
    const { oursMs: _ours, ...result } = await versusEcho({
      count,
      echoTrip: roundTrip(emulator, echoToken),
      oursTrip: roundTrip(emulator, oursToken),
      dialogMs,
      spacingMs: (1000 / runtime.config.TELEGRAM_RATE_PER_SECOND) * 1.25,
    });
    return { suite: 'telegram', ...result };
  } finally {
    await ours.stop();
    if (echo.isRunning()) await echo.stop();
    await polling;
    await emulator.close();
  }
}

/** One message from the i-th user (cycling) to the bot with `token`, timed until its reply is stored. */
function roundTrip(emulator: TelegramEmulator, token: string) {
  const base = 700_000 + Math.floor(Math.random() * 100_000);
  const users = Array.from({ length: BENCH_USERS }, (_, i) => emulator.user({ token, userId: base + i }));
  return async (i: number): Promise<number> => {
    const user = users[i % BENCH_USERS]!;
    const replied = emulator.nextBotMessage(user.chatId);
    const started = performance.now();
    await user.send(BENCH_QUESTIONS[i % BENCH_QUESTIONS.length]!);
    await replied;
    return performance.now() - started;
  };
}
