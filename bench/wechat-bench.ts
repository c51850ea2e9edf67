import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import type { mock } from 'wechaty-puppet-mock';
import type { Runtime } from '../src/app/compose';
import { WechatChannel } from '../src/channels/wechat/wechat-channel';
import { createTranslator } from '../src/i18n/i18n';
import { latencySummary } from './stats';
import { BENCH_QUESTIONS, BENCH_USERS, timedDialog, type VersusEchoResult, versusEcho } from './versus-echo';

export interface WechatBenchResult extends VersusEchoResult {
  suite: 'wechat';
  /** Of ours, per message: the round trip minus its dialog turn, i.e. what the WeChat adapter adds. */
  adapter_p50_ms: number;
  adapter_p99_ms: number;
}

type Contact = ReturnType<mock.Mocker['createContact']>;

/**
 * Round trip (a contact's message → the bot's first reply in that chat) on wechaty-puppet-mock, one message at
 * a time, for our bot (WechatChannel + the full dialog: Redis sessions, PostgreSQL) and for a bare Wechaty
 * bot that echoes, each on its own mock account. Our pacing is off (WECHAT_MIN_INTERVAL_MS and JITTER 0): the
 * deliberate 3–5 s between messages of a personal account is policy, not overhead, and is not measured here.
 * The mock puppet is in-process, so the echo bot's round trip is a fraction of a millisecond and the ratio
 * mostly says how long a dialog turn takes; `adapter_*` is the figure for the channel itself.
 */
export async function benchWechat(runtime: Runtime, count: number): Promise<WechatBenchResult> {
  // Loaded here, not at the top: every `jineng` command would otherwise pay for importing Wechaty.
  const { WechatyBuilder } = await import('wechaty');
  const puppetMock = await import('wechaty-puppet-mock');
  const oursWorld = mockAccount(puppetMock, '技能助手');
  const echoWorld = mockAccount(puppetMock, '回声');
  const ours = new WechatChannel({
    puppet: oursWorld.puppet,
    settings: {
      ...runtime.config,
      WECHAT_MIN_INTERVAL_MS: 0,
      WECHAT_JITTER_MS: 0,
      WECHAT_REPEAT_WINDOW_MS: 0,
    },
    translator: createTranslator(),
    logger: runtime.logger,
    qrOutput: new PassThrough(),
  });
  const echo = WechatyBuilder.build({ puppet: echoWorld.puppet });
  echo.on('message', async (message) => {
    if (message.self() || message.room()) return;
    await message.say(message.text());
  });
  try {
    const dialogMs: number[] = [];
    await ours.start(timedDialog(runtime.engine, dialogMs));
    oursWorld.mocker.login(oursWorld.bot);
    await ours.whenLoggedIn();
    await echo.start();
    echoWorld.mocker.login(echoWorld.bot);
    await new Promise<void>((resolve) => (echo.isLoggedIn ? resolve() : echo.once('login', () => resolve())));

    const { oursMs, ...result } = await versusEcho({
      count,
      echoTrip: roundTrip(echoWorld),
      oursTrip: roundTrip(oursWorld),
      dialogMs,
    });
    const adapter = latencySummary(oursMs.map((ms, i) => ms - (dialogMs[i] ?? 0)));
    return { suite: 'wechat', ...result, adapter_p50_ms: adapter.p50_ms, adapter_p99_ms: adapter.p99_ms };
  } finally {
    await ours.stop();
    await echo.stop();
  }
}

/** A mock WeChat account (its own mocker) and the people who write to it. */
function mockAccount(lib: typeof import('wechaty-puppet-mock'), name: string) {
  const mocker = new lib.mock.Mocker();
  // No heartbeats in the mock: keep the puppet's watchdog from restarting it during the run.
  const puppet = new lib.PuppetMock({ mocker, timeoutSeconds: 3600 });
  const bot = mocker.createContact({ name });
  const users = Array.from({ length: BENCH_USERS }, (_, i) => mocker.createContact({ name: `用户${i}` }));
  return { mocker, puppet, bot, users };
}

/** One message from the i-th user (cycling) to the account's bot, timed until the bot's reply reaches them. */
function roundTrip(account: ReturnType<typeof mockAccount>) {
  return (i: number): Promise<number> => {
    const user: Contact = account.users[i % BENCH_USERS]!;
    return new Promise((resolve) => {
      const started = performance.now();
      const onMessage = (msg: { payload: { talkerId: string; roomId?: string } }) => {
        if (msg.payload.talkerId !== account.bot.id || msg.payload.roomId) return;
        user.off('message', onMessage as never);
        resolve(performance.now() - started);
      };
      user.on('message', onMessage as never);
      user.say(BENCH_QUESTIONS[i % BENCH_QUESTIONS.length]!).to(account.bot);
    });
  };
}
