import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Bot } from 'grammy';
import type { Runtime } from '../app/runtime';
import { createTelegramChannel } from '../channels/telegram/telegram.factory';
import { latencySummary, round } from './stats';
import { startTelegramEmulator, type TelegramEmulator } from './telegram-emulator';

export interface TelegramBenchResult {
  suite: 'telegram';
  messages: number;
  ours_p50_ms: number;
  ours_p99_ms: number;
  echo_p50_ms: number;
  echo_p99_ms: number;
  ratio_p50: number;
  ratio_p99: number;
  /** Of ours: the dialog turn alone (engine.handle: Redis session, PostgreSQL, NLU), for attribution. */
  dialog_p50_ms: number;
}

const USERS = 20;
const QUESTIONS = ['培训要钱吗', '学徒制企业补贴多少', '我能拿什么补贴', 'is the training free?'];

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
    ...runtime,
    config: { ...runtime.config, TELEGRAM_BOT_TOKEN: oursToken, TELEGRAM_API_ROOT: emulator.apiRoot },
  });
  if (!ours) throw new Error('the Telegram channel did not build');
  let polling: Promise<void> | undefined;
  try {
    await echo.init();
    polling = echo.start();
    const dialogMs: number[] = [];
    await ours.start(async (m) => {
      const started = performance.now();
      const { replies } = await runtime.engine.handle(m);
      dialogMs.push(performance.now() - started);
      return replies;
    });
    const echoTrip = roundTrip(emulator, echoToken);
    const oursTrip = roundTrip(emulator, oursToken);
    // Warm-up: each user's first message (a new person for our bot), JIT, connections.
    for (let i = 0; i < USERS; i++) await Promise.all([echoTrip(i), oursTrip(i)]);
    // Alternating, so both meet the same machine load.
    const echoMs: number[] = [];
    const oursMs: number[] = [];
    dialogMs.length = 0;
    const spacingMs = (1000 / runtime.config.TELEGRAM_RATE_PER_SECOND) * 1.25;
    for (let i = 0; i < count; i++) {
      const cycle = performance.now();
      echoMs.push(await echoTrip(i));
      oursMs.push(await oursTrip(i));
      const rest = spacingMs - (performance.now() - cycle);
      if (rest > 0) await sleep(rest);
    }
    const a = latencySummary(oursMs);
    const b = latencySummary(echoMs);
    return {
      suite: 'telegram',
      messages: count,
      ours_p50_ms: a.p50_ms,
      ours_p99_ms: a.p99_ms,
      echo_p50_ms: b.p50_ms,
      echo_p99_ms: b.p99_ms,
      ratio_p50: round(a.p50_ms / b.p50_ms),
      ratio_p99: round(a.p99_ms / b.p99_ms),
      dialog_p50_ms: latencySummary(dialogMs).p50_ms,
    };
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
  const users = Array.from({ length: USERS }, (_, i) => emulator.user({ token, userId: base + i }));
  return async (i: number): Promise<number> => {
    const user = users[i % USERS]!;
    const replied = emulator.nextBotMessage(user.chatId);
    const started = performance.now();
    await user.send(QUESTIONS[i % QUESTIONS.length]!);
    await replied;
    return performance.now() - started;
  };
}
