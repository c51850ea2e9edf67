import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import type { mock } from 'wechaty-puppet-mock';
import type { Runtime } from '../app/runtime';
import { WechatChannel } from '../channels/wechat/wechat.channel';
import { createTranslator } from '../i18n/i18n';
import { latencySummary, round } from './stats';

export interface WechatBenchResult {
  suite: 'wechat';
  messages: number;
  ours_p50_ms: number;
  ours_p99_ms: number;
  echo_p50_ms: number;
  echo_p99_ms: number;
  ratio_p50: number;
  ratio_p99: number;
  /** Of ours: the dialog turn alone (engine.handle), for attribution. */
  dialog_p50_ms: number;
  /** Of ours, per message: the round trip minus its dialog turn, i.e. what the WeChat adapter adds. */
  adapter_p50_ms: number;
  adapter_p99_ms: number;
}

const USERS = 20;
const QUESTIONS = ['培训要钱吗', '学徒制企业补贴多少', '我能拿什么补贴', 'is the training free?'];

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
    await ours.start(async (m) => {
      const started = performance.now();
      const { replies } = await runtime.engine.handle(m);
      dialogMs.push(performance.now() - started);
      return replies;
    });
    oursWorld.mocker.login(oursWorld.bot);
    await ours.whenLoggedIn();
    await echo.start();
    echoWorld.mocker.login(echoWorld.bot);
    await new Promise<void>((resolve) => (echo.isLoggedIn ? resolve() : echo.once('login', () => resolve())));

    const oursTrip = roundTrip(oursWorld);
    const echoTrip = roundTrip(echoWorld);
    // Warm-up: each user's first message (a new person for our bot), JIT, connections.
    for (let i = 0; i < USERS; i++) {
      await echoTrip(i);
      await oursTrip(i);
    }
    const echoMs: number[] = [];
    const oursMs: number[] = [];
    dialogMs.length = 0;
    for (let i = 0; i < count; i++) {
      echoMs.push(await echoTrip(i));
      oursMs.push(await oursTrip(i));
    }
    const a = latencySummary(oursMs);
    const b = latencySummary(echoMs);
    const adapter = latencySummary(oursMs.map((ms, i) => ms - (dialogMs[i] ?? 0)));
    return {
      suite: 'wechat',
      messages: count,
      ours_p50_ms: a.p50_ms,
      ours_p99_ms: a.p99_ms,
      echo_p50_ms: b.p50_ms,
      echo_p99_ms: b.p99_ms,
      ratio_p50: round(a.p50_ms / b.p50_ms),
      ratio_p99: round(a.p99_ms / b.p99_ms),
      dialog_p50_ms: latencySummary(dialogMs).p50_ms,
      adapter_p50_ms: adapter.p50_ms,
      adapter_p99_ms: adapter.p99_ms,
    };
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
  const users = Array.from({ length: USERS }, (_, i) => mocker.createContact({ name: `用户${i}` }));
  return { mocker, puppet, bot, users };
}

/** One message from the i-th user (cycling) to the account's bot, timed until the bot's reply reaches them. */
function roundTrip(account: ReturnType<typeof mockAccount>) {
  return (i: number): Promise<number> => {
    const user: Contact = account.users[i % USERS]!;
    return new Promise((resolve) => {
      const started = performance.now();
      const onMessage = (msg: { payload: { talkerId: string; roomId?: string } }) => {
        if (msg.payload.talkerId !== account.bot.id || msg.payload.roomId) return;
        user.off('message', onMessage as never);
        resolve(performance.now() - started);
      };
      user.on('message', onMessage as never);
      user.say(QUESTIONS[i % QUESTIONS.length]!).to(account.bot);
    });
  };
}
