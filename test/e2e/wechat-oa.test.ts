import { createDecipheriv, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { WechatOaChannel } from '../../src/channels/wechat-oa/wechat-oa-channel';
import { pushSignature } from '../../src/channels/wechat-oa/wechat-oa-crypto';
import { OaRouteClosedError } from '../../src/channels/wechat-oa/wechat-oa-errors';
import { createWechatOaChannel } from '../../src/channels/wechat-oa/wechat-oa-factory';
import { loadConfig } from '../../src/config';
import { ChannelSendError } from '../../src/core/channel';
import { createChannelActivity } from '../../src/db/repositories/channel-activity-repository';
import { httpRoutes } from '../../src/http/http-routes';
import { createHttpServer } from '../../src/http/server';
import { createTranslator } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';
import { type FakeWechatOa, platformPush, startFakeWechatOa } from '../support/fake-wechat-oa';
import { createCourse } from '../support/fixtures';
import { until } from '../support/outreach-runtime';
import { isolatedDb, testRedis, uniquePrefix } from '../support/test-env';

/**
 * The whole bot with the Service Account channel turned on by its settings (as in production), its push
 * endpoint on the real HTTP server, and the Official Account API played by a local fake.
 */
const TOKEN = 'jinengPushToken01';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const SUBSCRIBE_URL = 'https://rsj.example.gov.cn/wx/subscribe.html';
const REMINDER_TEMPLATE = 'TPL-reminder-0123456789';
const NOTICE_TEMPLATE = 'TPL-notice-0123456789';
const SCHEDULE_SUBSCRIPTION = 'SUB-schedule-0123456789';

let fake: FakeWechatOa;
let runtime: Runtime;
let app: FastifyInstance;
let channel: WechatOaChannel;
let env: Record<string, string>;
let platform: ReturnType<typeof platformPush>;

beforeAll(async () => {
  fake = await startFakeWechatOa();
  platform = platformPush({
    token: TOKEN,
    appId: fake.appId,
    encodingAesKey: AES_KEY,
    path: '/wechat-oa/push',
  });
  env = {
    DATABASE_URL: (await isolatedDb('wechat_oa')).url,
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: uniquePrefix('oa'),
    SEED_SAMPLE_DATA: 'never',
    PII_ENCRYPTION_KEY: 'a'.repeat(64),
    PII_HASH_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'silent',
    WECHAT_OA_APPID: fake.appId,
    WECHAT_OA_APPSECRET: fake.appSecret,
    WECHAT_OA_TOKEN: TOKEN,
    WECHAT_OA_ENCODING_AES_KEY: AES_KEY,
    WECHAT_OA_API_BASE: fake.url,
    WECHAT_OA_SUBSCRIBE_URL: SUBSCRIBE_URL,
    WECHAT_OA_TEMPLATES: JSON.stringify({
      reminder: {
        templateId: REMINDER_TEMPLATE,
        fields: { thing1: 'title', thing2: 'line1', time3: 'time' },
      },
      class_notice: { templateId: NOTICE_TEMPLATE, fields: { thing1: 'title', thing2: 'text' } },
    }),
    WECHAT_OA_SUBSCRIBE_TEMPLATES: JSON.stringify({
      schedule_change: { templateId: SCHEDULE_SUBSCRIPTION, fields: { thing1: 'text', time2: 'time' } },
    }),
    REMINDER_QUIET_HOURS: '',
  };
  const config = loadConfig(env);
  runtime = await createRuntime(config, createLogger('silent'));
  const oa = runtime.channels.get('wechat-oa');
  if (!(oa instanceof WechatOaChannel)) throw new Error('the wechat-oa channel was not configured');
  channel = oa;
  app = createHttpServer({ config, logger: createLogger('silent') });
  for (const route of httpRoutes(runtime)) await route(app);
  await runtime.startChannels();
  await runtime.startWorkers();
});

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await fake?.close();
});

const post = (body: string, url = platform.url(platform.query())) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'text/xml' }, payload: body });
const newOpenId = () => `o${randomUUID().replace(/-/g, '').slice(0, 27)}`;

/** A person writes; the push is answered at once and the replies arrive as customer-service messages. */
async function say(openId: string, text: string): Promise<string> {
  const before = fake.customTo(openId).length;
  const started = Date.now();
  const answer = await post(platform.text(openId, text));
  expect(answer.statusCode).toBe(200);
  expect(answer.body).toBe('success');
  expect(Date.now() - started).toBeLessThan(5_000);
  await channel.idle();
  return fake.customTo(openId).slice(before).join('\n');
}

const identity = (openId: string) =>
  runtime.db.channelIdentity.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'wechat-oa', externalId: openId } },
  });

describe('the message push endpoint', () => {
  it('answers the URL check only with the right signature', async () => {
    const good = await app.inject({
      method: 'GET',
      url: platform.url(platform.query({ echostr: 'echo-123' })),
    });
    expect(good.statusCode).toBe(200);
    expect(good.body).toBe('echo-123');
    const bad = await app.inject({
      method: 'GET',
      url: platform.url(platform.query({ echostr: 'echo-123' }, 'someOtherToken')),
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).not.toContain('echo-123');
  });

  it('refuses a push with a bad signature and handles nothing of it', async () => {
    const openId = newOpenId();
    const answer = await post(
      platform.text(openId, '你好'),
      platform.url(platform.query({}, 'someOtherToken')),
    );
    expect(answer.statusCode).toBe(401);
    await channel.idle();
    expect(fake.customTo(openId)).toEqual([]);
    expect(await post('<xml><nonsense/>')).toMatchObject({ statusCode: 400 });
    // A correctly signed query captured an hour ago is not accepted again (plain mode does not sign the body).
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const stale = platform.url({ timestamp: old, nonce: '1', signature: pushSignature(TOKEN, old, '1') });
    expect((await post(platform.text(openId, '你好'), stale)).statusCode).toBe(401);
  });

  it('opens an encrypted push, and refuses one sealed for another AppID or with a wrong msg_signature', async () => {
    const openId = newOpenId();
    const sealed = platform.encrypted(platform.text(openId, '培训要钱吗'));
    const answer = await post(sealed.body, sealed.url);
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe('success');
    await channel.idle();
    expect(fake.customTo(openId).join('\n')).toContain('依据');

    const other = newOpenId();
    const foreign = platform.encrypted(platform.text(other, '培训要钱吗'), 'wxsomeoneelse0001');
    expect((await post(foreign.body, foreign.url)).statusCode).toBe(401);
    const forged = platform.encrypted(platform.text(other, '培训要钱吗'));
    // One character of the signature changed (never to itself: a signature starting with 0 gets a 1).
    const wrongSignature = forged.url.replace(
      /msg_signature=(\w)/,
      (_, first: string) => `msg_signature=${first === '0' ? '1' : '0'}`,
    );
    expect(wrongSignature).not.toBe(forged.url);
    expect((await post(forged.body, wrongSignature)).statusCode).toBe(401);
    await channel.idle();
    expect(fake.customTo(other)).toEqual([]);
  });

  it('reads the encrypted envelope as the platform lays it out (AES-256-CBC, PKCS#7 to 32 bytes, AppID last)', () => {
    const xml = platform.text('oLayout', '你好');
    const { body } = platform.encrypted(xml);
    const ciphertext = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt>/.exec(body)![1]!;
    // Independently of the library: key = base64(EncodingAESKey + "="), IV = its first 16 bytes.
    const key = Buffer.from(`${AES_KEY}=`, 'base64');
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(ciphertext, 'base64'), decipher.final()]);
    expect(plain.length % 32).toBe(0);
    const pad = plain[plain.length - 1]!;
    expect(pad).toBeGreaterThanOrEqual(1);
    expect(pad).toBeLessThanOrEqual(32);
    const length = plain.readUInt32BE(16);
    expect(plain.subarray(20, 20 + length).toString('utf8')).toBe(xml);
    expect(plain.subarray(20 + length, plain.length - pad).toString('utf8')).toBe(fake.appId);
  });

  it('answers a 10,000-character paste and an emoji politely', async () => {
    const openId = newOpenId();
    const long = await say(openId, `建档立卡户培训要钱吗？${'我家里情况是这样的，'.repeat(1000)}`);
    expect(long).toContain('您的消息比较长，我只看了前面的部分');
    expect(long).toContain('依据');
    expect(await say(openId, '👍')).not.toBe('');
  });

  it('handles a push once however often the platform retries it', async () => {
    const openId = newOpenId();
    const xml = platform.text(openId, '培训要钱吗', '7000000000000000001');
    for (let i = 0; i < 3; i++) expect((await post(xml)).body).toBe('success');
    await channel.idle();
    expect(fake.customTo(openId).filter((t) => t.includes('依据'))).toHaveLength(1);
  });
});

describe('a worker on the Service Account', () => {
  it('follows, asks, signs up by replying numbers, is offered subscription notices and accepts', async () => {
    const openId = newOpenId();
    expect((await post(platform.event(openId, 'subscribe'))).body).toBe('success');
    await channel.idle();
    expect(fake.customTo(openId)[0]).toContain('感谢关注');

    expect(await say(openId, '建档立卡户参加培训免费吗')).toContain('依据：《');
    const course = await createCourse(runtime.db, { startsInHours: 72 });
    expect(await say(openId, '我在镇雄，想学电商')).toContain('您今年多大');
    const list = await say(openId, '35岁 建档立卡户');
    expect(list).toMatch(new RegExp(`回复 1 .*${course.code}`));
    expect(await say(openId, '1')).toContain(course.code);
    expect(await say(openId, '1')).toContain('手机号');
    const done = await say(openId, '13912345678');
    expect(done).toContain('报名成功');
    // The consent step: a link to the subscribe button, since no consent is recorded yet.
    expect(done).toContain(SUBSCRIBE_URL);

    const popup = platform.event(openId, 'subscribe_msg_popup_event', {});
    const withList = popup.replace(
      '</xml>',
      `<SubscribeMsgPopupEvent><List><TemplateId>${SCHEDULE_SUBSCRIPTION}</TemplateId><SubscribeStatusString>accept</SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent></xml>`,
    );
    expect((await post(withList)).body).toBe('success');
    await channel.idle();
    expect(
      await runtime.db.wechatOaConsent.findUniqueOrThrow({
        where: { openId_templateId: { openId, templateId: SCHEDULE_SUBSCRIPTION } },
      }),
    ).toMatchObject({ status: 'accept', remaining: 1 });

    // Two days later, outside the window: a schedule change goes as the subscription notice they agreed to.
    const who = await identity(openId);
    await runtime.db.channelIdentity.update({
      where: { id: who.id },
      data: { lastInboundAt: new Date(Date.now() - 50 * 3_600_000) },
    });
    const key = `schedule:${randomUUID()}`;
    await runtime.delivery.outbox.enqueue([
      {
        key,
        kind: 'schedule_change',
        personId: who.personId,
        address: { channel: 'wechat-oa', chatId: openId },
        message: { text: `【${course.code}】周三的课改到周四上午9点` },
      },
    ]);
    await until(
      'the notice to be sent',
      async () => (await runtime.db.delivery.findUnique({ where: { key } }))?.status === 'sent',
    );
    const notice = fake.calls.findLast((c) => c.api === 'subscribe' && c.body.touser === openId)!;
    expect(notice.body).toMatchObject({ template_id: SCHEDULE_SUBSCRIPTION });
    expect((notice.body.data as Record<string, { value: string }>).thing1!.value).toHaveLength(20);
    // One-time consent: used up by that notice.
    expect((await runtime.db.wechatOaConsent.findFirstOrThrow({ where: { openId } })).remaining).toBe(0);

    // "删除我的信息": the consent and the record of notices go with the person's identity.
    await say(openId, '删除我的信息');
    expect(await say(openId, '确定删除')).toContain('您的个人信息已删除');
    expect(await runtime.db.wechatOaConsent.count({ where: { openId } })).toBe(0);
    expect(await runtime.db.wechatOaSend.count({ where: { openId } })).toBe(0);
  });
});

describe('proactive messages', () => {
  async function person(lastInboundHoursAgo: number) {
    const openId = newOpenId();
    await say(openId, '你好');
    const who = await identity(openId);
    await runtime.db.channelIdentity.update({
      where: { id: who.id },
      data: { lastInboundAt: new Date(Date.now() - lastInboundHoursAgo * 3_600_000) },
    });
    return { openId, personId: who.personId };
  }
  async function deliver(p: { openId: string; personId: string }, key: string, text: string) {
    await runtime.delivery.outbox.enqueue([
      {
        key,
        kind: key.split(':')[0]!,
        personId: p.personId,
        address: { channel: 'wechat-oa', chatId: p.openId },
        message: { text },
      },
    ]);
    return until('the delivery to settle', async () => {
      const row = await runtime.db.delivery.findUnique({ where: { key } });
      return row && (row.status === 'sent' || row.status === 'failed') ? row : undefined;
    });
  }

  it('inside the window: a reminder goes as a customer-service message', async () => {
    const p = await person(1);
    const row = await deliver(
      p,
      `reminder:${randomUUID()}`,
      '上课提醒：明天上午9点 电商班\n地点：镇雄县职业技术学校',
    );
    expect(row.status).toBe('sent');
    expect(fake.customTo(p.openId).at(-1)).toContain('上课提醒：明天上午9点');
  });

  it('outside the window: a reminder goes as the configured template, and its result is recorded', async () => {
    const p = await person(49);
    const key = `reminder:${randomUUID()}`;
    const row = await deliver(
      p,
      key,
      '上课提醒：明天上午9点 电商班课程在镇雄县职业技术学校201教室\n请带身份证',
    );
    expect(row.status).toBe('sent');
    expect(fake.customTo(p.openId).join('\n')).not.toContain('上课提醒');
    const sent = fake.calls.findLast((c) => c.api === 'template' && c.body.touser === p.openId)!;
    expect(sent.body.template_id).toBe(REMINDER_TEMPLATE);
    const data = sent.body.data as Record<string, { value: string }>;
    expect(data.thing1!.value).toBe('上课提醒');
    expect([...data.thing2!.value]).toHaveLength(20); // clipped to the field's 20 characters
    expect(data.time3!.value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    const record = await runtime.db.wechatOaSend.findFirstOrThrow({ where: { deliveryKey: key } });
    expect(record).toMatchObject({ route: 'template', status: 'sent', templateId: REMINDER_TEMPLATE });
    const finished = platform.event('oSystem', 'TEMPLATESENDJOBFINISH', {
      MsgID: record.msgId,
      Status: 'success',
    });
    expect((await post(finished)).body).toBe('success');
    await channel.idle();
    expect(await runtime.db.wechatOaSend.findUniqueOrThrow({ where: { msgId: record.msgId } })).toMatchObject(
      {
        status: 'success',
      },
    );
  });

  it('a window the platform says is closed (45015) falls back to the template; no template: route closed', async () => {
    const p = await person(1);
    fake.fail('custom', 45015, { openId: p.openId });
    const row = await deliver(p, `broadcast:${randomUUID()}`, '通知：明天停课一天');
    expect(row.status).toBe('sent');
    expect(fake.calls.findLast((c) => c.body.touser === p.openId)!.body.template_id).toBe(NOTICE_TEMPLATE);

    // No template for this kind: "not reachable on this route now", for the delivery module to fall back on.
    fake.fail('custom', 45047, { openId: p.openId });
    const closed = await channel
      .send(
        { channel: 'wechat-oa', chatId: p.openId },
        { text: '请为这次答复打分', deliveryKey: `inbox:${randomUUID()}:rating` },
      )
      .catch((e) => e);
    expect(closed).toBeInstanceOf(OaRouteClosedError);
    expect(closed).toMatchObject({ kind: 'route_unreachable', route: 'template', reason: 'no_template' });
  });
});

describe('access token', () => {
  it('expires mid-run: refreshed once, the call retried once, and shared by two channels through Redis', async () => {
    const p = { openId: newOpenId() };
    await say(p.openId, '你好');
    // A second process: its own channel object on the same Redis and settings.
    const second = createWechatOaChannel({
      config: loadConfig(env),
      logger: createLogger('silent'),
      translator: createTranslator(),
      db: runtime.db,
      redis: testRedis(),
      activity: createChannelActivity(runtime.db),
    })!;
    const fetchesBefore = fake.tokenFetches;
    await second.send({ channel: 'wechat-oa', chatId: p.openId }, { text: '第二个进程的消息' });
    expect(fake.tokenFetches).toBe(fetchesBefore); // the cached token, not a new one

    fake.expireToken();
    const attemptsBefore = fake.attempts.length;
    await Promise.all([
      channel.send({ channel: 'wechat-oa', chatId: p.openId }, { text: '令牌过期后的第一条' }),
      second.send({ channel: 'wechat-oa', chatId: p.openId }, { text: '令牌过期后的第二条' }),
    ]);
    expect(fake.tokenFetches).toBe(fetchesBefore + 1);
    const after = fake.attempts.slice(attemptsBefore);
    expect(after.filter((a) => a.errcode === 42001).length).toBeGreaterThanOrEqual(1);
    expect(fake.customTo(p.openId)).toEqual(
      expect.arrayContaining(['令牌过期后的第一条', '令牌过期后的第二条']),
    );

    // A token that keeps failing is retried once only, then reported as the account's problem.
    fake.fail('custom', 40001, { times: 5, openId: p.openId });
    const error = await channel
      .send({ channel: 'wechat-oa', chatId: p.openId }, { text: 'x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error.kind).toBe('unavailable');
    expect(fake.attempts.filter((a) => a.body.touser === p.openId && a.errcode === 40001)).toHaveLength(2);
  });
});

describe('errors the delivery module decides on', () => {
  it('classifies 43101 (refused), 45009 (quota) and 43004 (unfollowed)', async () => {
    const openId = newOpenId();
    await say(openId, '你好');
    await runtime.db.channelIdentity.updateMany({
      where: { channel: 'wechat-oa', externalId: openId },
      data: { lastInboundAt: new Date(Date.now() - 72 * 3_600_000) },
    });
    await runtime.db.wechatOaConsent.create({
      data: { openId, templateId: SCHEDULE_SUBSCRIPTION, status: 'accept', remaining: 1 },
    });
    fake.fail('subscribe', 43101, { openId });
    const refused = await channel
      .send(
        { channel: 'wechat-oa', chatId: openId },
        { text: '课程改期', deliveryKey: `schedule:${randomUUID()}` },
      )
      .catch((e) => e);
    expect(refused).toBeInstanceOf(OaRouteClosedError);
    expect(refused).toMatchObject({ kind: 'route_unreachable', route: 'subscribe', reason: 'refused' });
    expect(await runtime.db.wechatOaConsent.findFirstOrThrow({ where: { openId } })).toMatchObject({
      status: 'reject',
    });

    // A direct message outside the window has no other route.
    const closed = await channel
      .send({ channel: 'wechat-oa', chatId: openId }, { text: '你好' })
      .catch((e) => e);
    expect(closed).toMatchObject({ kind: 'route_unreachable', route: 'custom', reason: 'outside_window' });

    fake.fail('template', 45009, { openId });
    const quota = await channel
      .send(
        { channel: 'wechat-oa', chatId: openId },
        { text: '提醒', deliveryKey: `reminder:${randomUUID()}` },
      )
      .catch((e) => e);
    expect(quota).toMatchObject({ kind: 'rate_limited' });
    expect(quota.retryAfterMs).toBeGreaterThan(0);

    fake.fail('template', 43004, { openId });
    const gone = await channel
      .send(
        { channel: 'wechat-oa', chatId: openId },
        { text: '提醒', deliveryKey: `reminder:${randomUUID()}` },
      )
      .catch((e) => e);
    expect(gone).toMatchObject({ kind: 'blocked' });
  });

  it('an unfollow marks the identity unreachable; following again clears it', async () => {
    const openId = newOpenId();
    await say(openId, '你好');
    await post(platform.event(openId, 'unsubscribe'));
    await channel.idle();
    expect((await identity(openId)).unreachableAt).toBeInstanceOf(Date);
    await post(platform.event(openId, 'subscribe'));
    await channel.idle();
    expect((await identity(openId)).unreachableAt).toBeNull();
  });
});
