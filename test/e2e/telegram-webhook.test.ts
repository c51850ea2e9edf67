import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerTelegramWebhook } from '../../src/channels/telegram/telegram-webhook';
import { loadConfig } from '../../src/config';
import type { InboundMessage } from '../../src/core/message';
import { httpRoutes } from '../../src/http/http-routes';
import { createHttpServer } from '../../src/http/server';
import { createTranslator } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';
import { repliesOnly } from '../support/echo-result';
import { startTelegramEmulator, type TelegramEmulator, telegramChannel } from '../support/telegram';

const SECRET = 'webhook-secret-0123456789';
const URL_ = 'https://bot.example.org/telegram/hook';
const zh = createTranslator().forLocale('zh-CN');

const message = (updateId: number, text: string, chatId = 9001) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: 'private', first_name: 'Wang' },
    from: { id: chatId, is_bot: false, first_name: 'Wang', language_code: 'zh-hans' },
    text,
  },
});

describe('telegram webhook', () => {
  let emulator: TelegramEmulator;
  let bot: ReturnType<typeof telegramChannel>;
  let app: FastifyInstance;
  let inbound: InboundMessage[];

  beforeEach(async () => {
    emulator = await startTelegramEmulator();
    bot = telegramChannel(emulator, { webhook: { url: URL_, secret: SECRET } });
    app = createHttpServer({ config: loadConfig({}), logger: createLogger('silent') });
    registerTelegramWebhook(app, bot.channel);
    inbound = [];
  });
  afterEach(async () => {
    await bot.channel.stop();
    await app.close();
    await emulator.close();
  });

  const post = (update: object, secret: string | null = SECRET) =>
    app.inject({
      method: 'POST',
      url: '/telegram/hook',
      headers: secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret },
      payload: update,
    });
  const start = () =>
    bot.channel.start(async (m) => {
      inbound.push(m);
      return repliesOnly([{ text: `echo: ${m.text}` }]);
    });

  it('is mounted only for a webhook channel, next to the health check', async () => {
    expect(httpRoutes({ channels: new Map([['telegram', bot.channel]]) })).toHaveLength(1);
    const polling = telegramChannel(emulator).channel;
    expect(httpRoutes({ channels: new Map([['telegram', polling]]) })).toHaveLength(0);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ ok: true });
  });

  it('tells Telegram the URL and secret, and refuses requests without the secret', async () => {
    expect((await post(message(1, '早'))).statusCode).toBe(503); // not started yet: Telegram retries later
    await start();
    const set = emulator.calls.find((c) => c.method === 'setWebhook')!;
    expect(set.payload).toMatchObject({ url: URL_, secret_token: SECRET });
    expect((await post(message(2, '你好'), null)).statusCode).toBe(401);
    expect((await post(message(3, '你好'), 'wrong-secret-0123456789')).statusCode).toBe(401);
    expect((await post({ message: 'no update id' })).statusCode).toBe(400);
    expect(inbound).toEqual([]);
  });

  it('handles an update once however often Telegram delivers it', async () => {
    await start();
    const user = emulator.user({ token: bot.token, userId: 9001 });
    expect((await post(message(10, '培训要钱吗'))).statusCode).toBe(200);
    expect((await post(message(10, '培训要钱吗'))).statusCode).toBe(200);
    expect((await user.received(1))[0]!.text).toBe('echo: 培训要钱吗');
    expect(await user.quiet(200)).toEqual([]);
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({
      id: '9001:10',
      senderId: '9001',
      localeHint: 'zh-hans',
      isGroup: false,
    });
  });

  it('ignores edits and channel posts, and introduces itself when added to a group', async () => {
    await start();
    const chat = { id: -100900, type: 'supergroup', title: 'Class' };
    const edited = {
      ...message(20, '改过的'),
      message: undefined,
      edited_message: message(20, '改过的').message,
    };
    const post_ = {
      update_id: 21,
      channel_post: {
        message_id: 1,
        date: 1,
        chat: { id: -100901, type: 'channel', title: 'News' },
        text: 'hi',
      },
    };
    const added = {
      update_id: 22,
      my_chat_member: {
        chat,
        from: { id: 9002, is_bot: false, first_name: 'Li', language_code: 'zh' },
        date: 1,
        old_chat_member: { status: 'left', user: { id: 666, is_bot: true, first_name: 'Bot' } },
        new_chat_member: { status: 'member', user: { id: 666, is_bot: true, first_name: 'Bot' } },
      },
    };
    for (const update of [edited, post_, added]) expect((await post(update)).statusCode).toBe(200);
    expect(inbound).toEqual([]);
    const observer = emulator.user({
      token: bot.token,
      userId: 9002,
      chatId: chat.id,
      chatType: 'supergroup',
    });
    expect((await observer.received(1))[0]!.text).toBe(zh('telegram:notice.groupAdded'));
  });
});
