import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { WechatOaChannel } from '../../src/channels/wechat-oa/wechat-oa-channel';
import { createWechatOaChannel, subscribePageUrls } from '../../src/channels/wechat-oa/wechat-oa-factory';
import { loadConfig } from '../../src/config';
import { createChannelActivity } from '../../src/db/repositories/channel-activity-repository';
import { httpRoutes } from '../../src/http/http-routes';
import { createHttpServer } from '../../src/http/server';
import { createTranslator } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser';
import { type FakeWechatOa, startFakeWechatOa } from '../support/fake-wechat-oa';
import { isolatedDb, testRedis, uniquePrefix } from '../support/test-env';

/**
 * The subscription-consent page on our own HTTP server: the <wx-open-subscribe> button for the configured
 * subscription templates, with a wx.config signature from the jsapi_ticket (fetched from the Official Account
 * fake, cached in Redis for every process), and what a person sees in a browser.
 */
const PUBLIC_BASE = 'https://rsj.example.gov.cn';
const REMINDER_SUBSCRIPTION = 'SUB-reminder-0123456789';
const SCHEDULE_SUBSCRIPTION = 'SUB-schedule-0123456789';

let fake: FakeWechatOa;
let runtime: Runtime;
let app: FastifyInstance;
let channel: WechatOaChannel;
let prefix: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeWechatOa();
  prefix = uniquePrefix('oasub');
  env = {
    DATABASE_URL: (await isolatedDb('wechat_oa_subscribe')).url,
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: prefix,
    SEED_SAMPLE_DATA: 'never',
    PII_ENCRYPTION_KEY: 'a'.repeat(64),
    PII_HASH_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'silent',
    WECHAT_OA_APPID: fake.appId,
    WECHAT_OA_APPSECRET: fake.appSecret,
    WECHAT_OA_TOKEN: 'jinengPushToken02',
    WECHAT_OA_API_BASE: fake.url,
    CHECKIN_LINK_BASE_URL: PUBLIC_BASE,
    WECHAT_OA_SUBSCRIBE_TEMPLATES: JSON.stringify({
      reminder: { templateId: REMINDER_SUBSCRIPTION, fields: { thing1: 'line1', time2: 'time' } },
      schedule_change: {
        templateId: SCHEDULE_SUBSCRIPTION,
        fields: { thing1: 'text', time2: 'time' },
        longTerm: true,
      },
    }),
  };
  const config = loadConfig(env);
  runtime = await createRuntime(config, createLogger('silent'));
  const oa = runtime.channels.get('wechat-oa');
  if (!(oa instanceof WechatOaChannel)) throw new Error('the wechat-oa channel was not configured');
  channel = oa;
  app = createHttpServer({ config, logger: createLogger('silent') });
  for (const route of httpRoutes(runtime)) await route(app);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await fake?.close();
});

const ticketCalls = () => fake.attempts.filter((a) => a.api === 'ticket');
const ticketKey = () => `${prefix}:wechat-oa:${fake.appId}:jsapi_ticket`;
const wxConfig = (body: string) => {
  const json = /<script id="wx-config" type="application\/json">(.*?)<\/script>/s.exec(body)?.[1];
  if (!json) throw new Error('no wx-config on the page');
  return JSON.parse(json) as {
    appId: string;
    timestamp: number;
    nonceStr: string;
    signature: string;
    url: string;
  };
};
/** The JS-SDK's documented algorithm, written out here independently of the code under test. */
const sha1Signature = (ticket: string, c: { nonceStr: string; timestamp: number }, url: string) =>
  createHash('sha1')
    .update(`jsapi_ticket=${ticket}&noncestr=${c.nonceStr}&timestamp=${c.timestamp}&url=${url}`)
    .digest('hex');

describe('the subscribe page over HTTP', () => {
  it('is where WECHAT_OA_SUBSCRIBE_URL points by default, once a public address is set', () => {
    expect(channel.options.subscribeUrl).toBe(`${PUBLIC_BASE}/wechat-oa/subscribe`);
    expect(
      subscribePageUrls({ CHECKIN_LINK_BASE_URL: undefined, WECHAT_OA_SUBSCRIBE_URL: undefined }),
    ).toEqual({
      publicBaseUrl: undefined,
      subscribeUrl: undefined,
    });
    // A page of the bureau's stays the bureau's.
    expect(
      subscribePageUrls({
        CHECKIN_LINK_BASE_URL: PUBLIC_BASE,
        WECHAT_OA_SUBSCRIBE_URL: 'https://rsj.example.gov.cn/wx/subscribe.html',
      }).subscribeUrl,
    ).toBe('https://rsj.example.gov.cn/wx/subscribe.html');
  });

  it('renders the button for the configured templates with a signature recomputable from the ticket, fetched once', async () => {
    const page = await app.inject({ method: 'GET', url: '/wechat-oa/subscribe?from=singlemessage' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(
      `<wx-open-subscribe id="subscribe-button" template="${REMINDER_SUBSCRIPTION},${SCHEDULE_SUBSCRIPTION}">`,
    );
    expect(page.body).toContain('订阅培训通知');
    expect(page.body).toContain('<li data-kind="reminder">上课提醒</li>');
    expect(page.body).toContain('长期订阅的通知点一次“允许”后一直有效');
    const config = wxConfig(page.body);
    expect(config.appId).toBe(fake.appId);
    // Signed for the address the person's browser shows (the public one), query included.
    expect(config.url).toBe(`${PUBLIC_BASE}/wechat-oa/subscribe?from=singlemessage`);
    expect(Math.abs(config.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(fake.jsapiTickets).toHaveLength(1);
    expect(config.signature).toBe(sha1Signature(fake.jsapiTickets[0]!, config, config.url));
    expect(ticketCalls()).toHaveLength(1);

    // A second load, and another process on the same Redis: the cached ticket, no second getticket.
    const second = await app.inject({ method: 'GET', url: '/wechat-oa/subscribe?kind=schedule_change' });
    expect(second.body).toContain(`template="${SCHEDULE_SUBSCRIPTION}"`);
    const again = wxConfig(second.body);
    expect(again.nonceStr).not.toBe(config.nonceStr);
    expect(again.signature).toBe(
      sha1Signature(fake.jsapiTickets[0]!, again, `${PUBLIC_BASE}/wechat-oa/subscribe?kind=schedule_change`),
    );
    const config2 = loadConfig(env);
    const otherProcess = createWechatOaChannel({
      config: config2,
      logger: createLogger('silent'),
      translator: createTranslator(),
      db: runtime.db,
      redis: testRedis(),
      activity: createChannelActivity(runtime.db),
    });
    expect(await otherProcess?.jsapiTickets.get()).toBe(fake.jsapiTickets[0]);
    expect(ticketCalls()).toHaveLength(1);
    expect(await testRedis().ttl(ticketKey())).toBeGreaterThan(6_000);
  });

  it('refreshes the access token when getticket says it is expired, then signs with the new ticket', async () => {
    await testRedis().del(ticketKey());
    fake.expireToken();
    const tokensBefore = fake.tokenFetches;
    const page = await app.inject({ method: 'GET', url: '/wechat-oa/subscribe' });
    expect(page.statusCode).toBe(200);
    expect(
      ticketCalls()
        .slice(-2)
        .map((a) => a.errcode),
    ).toEqual([42001, 0]);
    expect(fake.tokenFetches).toBe(tokensBefore + 1);
    const config = wxConfig(page.body);
    expect(config.signature).toBe(sha1Signature(fake.jsapiTickets.at(-1)!, config, config.url));
  });

  it('says so politely when the ticket cannot be had, and takes odd input in its stride', async () => {
    await testRedis().del(ticketKey());
    fake.fail('ticket', 40164);
    const down = await app.inject({ method: 'GET', url: '/wechat-oa/subscribe' });
    expect(down.statusCode).toBe(503);
    expect(down.body).toContain('订阅按钮暂时不能使用');
    expect(down.body).not.toContain('id="wx-config"');

    const odd = await app.inject({
      method: 'GET',
      url: '/wechat-oa/subscribe?kind=%3Cscript%3Ealert(1)%3C/script%3E&lang=xx',
    });
    expect(odd.statusCode).toBe(200);
    expect(odd.body).not.toContain('<script>alert');
    expect(odd.body).toContain(`template="${REMINDER_SUBSCRIPTION},${SCHEDULE_SUBSCRIPTION}"`);
    const english = await app.inject({ method: 'GET', url: '/wechat-oa/subscribe?lang=en' });
    expect(english.body).toContain('Subscribe to training notices');
    const js = await app.inject({ method: 'GET', url: '/wechat-oa/assets/jweixin-1.6.0.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toContain('openTagList');
    expect((await app.inject({ method: 'GET', url: '/wechat-oa/assets/nope.js' })).statusCode).toBe(404);
  });
});

describe('the subscribe page in Chromium', () => {
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    browser = await launchChromium();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the explanation in Chinese and, outside WeChat, says to open it in WeChat, without script errors', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(`${base}/wechat-oa/subscribe`);
    await expect.poll(() => page.locator('#status').isVisible()).toBe(true);
    expect(await page.locator('h1').textContent()).toBe('订阅培训通知');
    expect(await page.locator('#status').textContent()).toContain('请在微信里打开这个页面');
    expect(await page.locator('.kinds li').allTextContents()).toEqual(['上课提醒', '课程变动通知']);
    expect(await page.locator('wx-open-subscribe').getAttribute('template')).toBe(
      `${REMINDER_SUBSCRIPTION},${SCHEDULE_SUBSCRIPTION}`,
    );
    // The JS-SDK served from our origin ran and set window.wx.
    expect(await page.evaluate('typeof (window.wx && window.wx.config)')).toBe('function');
    await screenshot(page, 'wechat-oa-subscribe');
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('inside WeChat (its user agent, no WeixinJSBridge here) configures the JS-SDK without script errors', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      userAgent:
        'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240301 MicroMessenger/8.0.49.2600(0x2800313D) WeChat/arm64 NetType/WIFI Language/zh_CN',
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${base}/wechat-oa/subscribe`);
    await page.waitForLoadState('load');
    // Nothing to report until WeChat's runtime answers wx.config: no error shown, the button waits for it.
    expect(await page.locator('#status').isHidden()).toBe(true);
    expect(await page.locator('wx-open-subscribe script[type="text/wxtag-template"]').count()).toBe(2);
    // What WeChat's runtime does after the person taps 允许: the open tag fires `success` with the choices.
    await page.evaluate(
      `document.getElementById('subscribe-button').dispatchEvent(new CustomEvent('success', { detail: {
        subscribeDetails: JSON.stringify({ '${REMINDER_SUBSCRIPTION}': JSON.stringify({ status: 'accept' }) }) } }))`,
    );
    expect(await page.locator('#status').textContent()).toContain('订阅成功');
    expect(errors).toEqual([]);
    await context.close();
  });
});
