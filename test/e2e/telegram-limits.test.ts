import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/core/channel';
import type { InboundMessage } from '../../src/core/message';
import { repliesOnly } from '../support/echo-result';
import { startTelegramEmulator, type TelegramEmulator, telegramChannel } from '../support/telegram';

const tooMany = (seconds: number) => ({
  status: 429,
  body: {
    ok: false,
    error_code: 429,
    description: `Too Many Requests: retry after ${seconds}`,
    parameters: { retry_after: seconds },
  },
});
const refused = (status: number, description: string) => ({
  status,
  body: { ok: false, error_code: status, description },
});

async function sendError(promise: Promise<unknown>): Promise<ChannelSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelSendError);
  return error as ChannelSendError;
}

describe('telegram limits and errors', () => {
  let emulator: TelegramEmulator;
  let bot: ReturnType<typeof telegramChannel>;
  let inbound: InboundMessage[];

  beforeEach(async () => {
    emulator = await startTelegramEmulator();
    bot = telegramChannel(emulator);
    inbound = [];
    await bot.channel.start(async (m) => {
      inbound.push(m);
      return repliesOnly([{ text: `echo: ${m.text}` }]);
    });
  });
  afterEach(async () => {
    await bot.channel.stop();
    await emulator.close();
  });

  const sendsOf = (chatId: number) =>
    emulator.calls.filter(
      (c) => c.method === 'sendMessage' && String(c.payload['chat_id']) === String(chatId),
    );

  it('a direct reply that meets 429 waits retry_after and is delivered once', async () => {
    const user = emulator.user({ token: bot.token, userId: 7001 });
    emulator.failNext('sendMessage', tooMany(1));
    await user.send('你好');
    const replies = await user.received(1);
    expect(replies.map((r) => r.text)).toEqual(['echo: 你好']);
    expect(sendsOf(7001)).toHaveLength(2); // the refused attempt, then the retry
    expect(await user.quiet(200)).toEqual([]);
  });

  it('a queued send that meets 429 is handed back with retry_after for the delivery job', async () => {
    emulator.failNext('sendMessage', tooMany(7));
    const error = await sendError(bot.channel.send({ channel: 'telegram', chatId: '7002' }, { text: 'x' }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(7000);
    // The job's retry goes through.
    const user = emulator.user({ token: bot.token, userId: 7002 });
    await bot.channel.send({ channel: 'telegram', chatId: '7002' }, { text: '通知' });
    expect((await user.received(1))[0]!.text).toBe('通知');
  });

  it.each([
    [refused(403, 'Forbidden: bot was blocked by the user'), 'blocked'],
    [refused(403, 'Forbidden: user is deactivated'), 'blocked'],
    [refused(400, 'Bad Request: chat not found'), 'blocked'],
    [refused(400, 'Bad Request: message text is empty'), 'invalid'],
    [refused(500, 'Internal Server Error'), 'network'],
  ] as const)('classifies %j as %s', async (fault, kind) => {
    emulator.failNext('sendMessage', fault);
    const error = await sendError(bot.channel.send({ channel: 'telegram', chatId: '7003' }, { text: 'x' }));
    expect(error.kind).toBe(kind);
  });

  it('classifies an unreachable Bot API server as a network error', async () => {
    const offline = telegramChannel(emulator, { apiRoot: 'http://127.0.0.1:9' });
    const error = await sendError(
      offline.channel.send({ channel: 'telegram', chatId: '7004' }, { text: 'x' }),
    );
    expect(error.kind).toBe('network');
  });

  it('keeps a group within 20 messages a minute and says when the next one may go', async () => {
    const group = { channel: 'telegram' as const, chatId: '-100777' };
    for (let i = 1; i <= 20; i++) await bot.channel.send(group, { text: `通知 ${i}` });
    const error = await sendError(bot.channel.send(group, { text: '通知 21' }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(sendsOf(-100777)).toHaveLength(20);
  });

  it('survives a user who blocked the bot between message and reply', async () => {
    const user = emulator.user({ token: bot.token, userId: 7005 });
    emulator.failNext('sendMessage', refused(403, 'Forbidden: bot was blocked by the user'));
    await user.send('第一条');
    await user.quiet(300);
    await user.send('第二条');
    expect((await user.received(1))[0]!.text).toBe('echo: 第二条');
    expect(inbound.map((m) => m.text)).toEqual(['第一条', '第二条']);
  });
});
