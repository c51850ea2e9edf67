import { randomUUID } from 'node:crypto';
import { WechatOaChannel } from '../../src/channels/wechat-oa/wechat-oa-channel';
import { registerWechatOaPush } from '../../src/channels/wechat-oa/wechat-oa-push';
import { prismaOaStore } from '../../src/channels/wechat-oa/wechat-oa-store';
import { loadConfig } from '../../src/config';
import { createHttpServer } from '../../src/http/server';
import { createTranslator } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';
import { type ChannelHarness, channelConformance, type SeenMessage } from '../support/channel-conformance';
import { platformPush, startFakeWechatOa } from '../support/fake-wechat-oa';
import { until } from '../support/outreach-runtime';
import { testDb, testRedis, uniquePrefix } from '../support/test-env';

const TOKEN = 'conformanceToken1';
const CHOICE = /^回复 (\d+) (.+)$/;

/** How a person reads a customer-service message: the text, and the "回复 1 …" lines as choices. */
function seen(text: string): SeenMessage {
  const lines = text.split('\n');
  return {
    text: lines
      .filter((l) => !CHOICE.test(l))
      .join('\n')
      .trim(),
    choices: lines.flatMap((l) => CHOICE.exec(l)?.[2] ?? []),
  };
}

async function wechatOaHarness(): Promise<ChannelHarness> {
  const fake = await startFakeWechatOa();
  const logger = createLogger('silent');
  const channel = new WechatOaChannel({
    appId: fake.appId,
    appSecret: fake.appSecret,
    token: TOKEN,
    apiBase: fake.url,
    pushPath: '/wechat-oa/push',
    templates: {},
    subscribeTemplates: {},
    sendRatePerSecond: 20,
    redis: testRedis(),
    prefix: uniquePrefix('oac'),
    store: prismaOaStore(testDb()),
    // The harness's person has just written: inside the customer-service window.
    activity: { lastInboundAt: async () => new Date(), recordInbound: async () => undefined },
    translator: createTranslator(),
    defaultLocale: 'zh-CN',
    timezone: 'Asia/Shanghai',
    logger,
  });
  const app = createHttpServer({ config: loadConfig({ LOG_LEVEL: 'silent' }), logger });
  registerWechatOaPush(app, channel);
  const platform = platformPush({ token: TOKEN, appId: fake.appId, path: '/wechat-oa/push' });
  const openId = `o${randomUUID().replace(/-/g, '').slice(0, 27)}`;
  let taken = 0;

  const userSends = async (text: string) => {
    const answer = await app.inject({
      method: 'POST',
      url: platform.url(platform.query()),
      headers: { 'content-type': 'text/xml' },
      payload: platform.text(openId, text),
    });
    if (answer.body !== 'success') throw new Error(`push answered ${answer.statusCode} ${answer.body}`);
  };
  return {
    channel,
    userAddress: { channel: 'wechat-oa', chatId: openId },
    userSends,
    userChooses: (index) => userSends(String(index)),
    async received(count) {
      const got = await until(`${count} customer-service messages`, async () => {
        const all = fake.customTo(openId);
        return all.length >= taken + count ? all.slice(taken, taken + count) : undefined;
      });
      taken += count;
      return got.map(seen);
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
}

channelConformance('wechat-oa', wechatOaHarness);
