import type { AddressInfo } from 'node:net';
import { sign } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { loadConfig } from '../../src/config';
import { startHttp } from '../../src/http/start-http';
import { createLogger } from '../../src/logger';
import { consoleHttp, invite } from '../support/console';
import { createCourse } from '../support/fixtures';
import { chatter, enrolledPeople, until } from '../support/outreach-runtime';
import { RecordingChannel } from '../support/recording-channel';
import { type TcpProxy, tcpProxy } from '../support/tcp-proxy';
import { isolatedDb, uniquePrefix } from '../support/test-env';
import { webClient } from '../support/web-world';

/**
 * While Redis or PostgreSQL is down (a proxy in front of the real service, cut and restored), everything a
 * person or a coordinator does is answered within 3 s, and nothing they did is lost: a confirmed notice is
 * kept in PostgreSQL and delivered exactly once after Redis is back, a chat message is answered "busy, try
 * again" and answered normally when tried again.
 */

const LIMIT_MS = 3_000;
const BUSY_ZH = '系统繁忙，请稍后再试。';
const BUSY_EN = 'The system is busy, please try again later.';
const SECRET = 'outage-test-secret-for-web-cookies-0123456789';
const ADMIN = `outage-admin-${Date.now().toString(36)}`;

let pg: TcpProxy;
let redis: TcpProxy;
let runtime: Runtime;
let app: FastifyInstance;
let base: string;
const channel = new RecordingChannel();
const measured: Record<string, number> = {};

beforeAll(async () => {
  const { url } = await isolatedDb('outage');
  const db = new URL(url);
  const rd = new URL(inject('redisUrl'));
  pg = await tcpProxy(db.hostname, Number(db.port || 5432));
  redis = await tcpProxy(rd.hostname, Number(rd.port || 6379));
  const config = loadConfig({
    DATABASE_URL: pg.url(url),
    REDIS_URL: redis.url(inject('redisUrl')),
    QUEUE_PREFIX: uniquePrefix('outage'),
    SEED_SAMPLE_DATA: 'never',
    PII_ENCRYPTION_KEY: 'a'.repeat(64),
    PII_HASH_KEY: 'b'.repeat(64),
    WEB_SESSION_SECRET: SECRET,
    ADMIN_IDENTITIES: `test:${ADMIN}`,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    OUTBOUND_DEFAULT_RATE_PER_SECOND: '1000',
    OUTBOUND_BACKOFF_MS: '100',
  });
  runtime = await createRuntime(config, createLogger(config.LOG_LEVEL), { channels: [channel] });
  app = await startHttp(runtime);
  await runtime.startChannels();
  await runtime.startWorkers();
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await pg?.restore().catch(() => undefined);
  await redis?.restore().catch(() => undefined);
  await app?.close();
  await runtime?.close();
  await pg?.close();
  await redis?.close();
  console.info(`answers while a dependency was down (ms): ${JSON.stringify(measured)}`);
});

/** Runs `fn`, records how long it took under `name`, and checks it answered within LIMIT_MS. */
async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const began = performance.now();
  const result = await fn();
  measured[name] = Math.round(performance.now() - began);
  expect(measured[name], `${name} took ${measured[name]} ms`).toBeLessThan(LIMIT_MS);
  return result;
}

/** A course with `n` reachable people and an admin's draft notice to them (made while all is up). */
async function draftNotice(n: number) {
  const { db } = runtime;
  const course = await createCourse(db, { capacity: n });
  const people = await enrolledPeople(db, course.id, n);
  const author = await db.person.create({ data: { locale: 'en' } });
  await db.channelIdentity.create({
    data: { channel: 'test', externalId: author.id, chatId: author.id, personId: author.id },
  });
  const access = { role: 'admin' as const, courseCodes: [], counties: [] };
  const draft = await runtime.broadcasts.draft(
    author.id,
    access,
    course.code,
    'Class moves to room 201',
    new Date(),
  );
  if (draft.status !== 'ok') throw new Error(`draft failed: ${draft.status}`);
  return { course, people, author, broadcastId: draft.preview.broadcastId };
}

/** As if SETTLE_MS had passed: the sweep leaves rows younger than a minute to whoever is queueing them. */
async function ageDeliveries(broadcastId: string): Promise<void> {
  await runtime.db
    .$executeRaw`UPDATE deliveries SET created_at = now() - interval '5 minutes' WHERE broadcast_id = ${broadcastId}::uuid`;
}

const sentTo = (chatId: string) => channel.sent.filter((s) => s.chatId === chatId).length;

describe('while Redis is down', () => {
  it('a chat turn gets "busy" in the person\'s language within 3 s, and an answer when they try again', async () => {
    const zh = chatter(runtime);
    const en = chatter(runtime);
    expect((await zh.say('你好')).intent).not.toBe('error');
    expect((await en.say('hello')).intent).not.toBe('error');
    const web = await webClient(base);
    expect((await web.say({ text: 'hello' })).status).toBe(200);

    await redis.cut();
    const down = await timed('redis: engine turn (zh)', () => zh.say('培训要钱吗'));
    expect(down.replies.map((r) => r.text)).toEqual([BUSY_ZH]);
    const downEn = await timed('redis: engine turn (en)', () => en.say('is the training free?'));
    expect(downEn.replies.map((r) => r.text)).toEqual([BUSY_EN]);
    const webDown = await timed('redis: web chat message', () => web.say({ text: 'is the training free?' }));
    expect(webDown.status).toBe(200);
    expect(webDown.body.replies.map((r) => r.text)).toEqual([BUSY_EN]);

    await redis.restore();
    const again = await until('the bot to answer normally', async () => {
      const reply = await zh.say('培训要钱吗');
      return reply.intent !== 'error' && reply;
    });
    expect(again.replies.map((r) => r.text).join('')).not.toContain(BUSY_ZH);
  });

  it('a confirmed notice is saved, not reported as sent, and delivered exactly once after Redis is back', async () => {
    const { people, author, broadcastId } = await draftNotice(3);

    await redis.cut();
    const outcome = await timed('redis: broadcast confirmation', () =>
      runtime.broadcasts.confirm(author.id, broadcastId, false),
    );
    expect(outcome).toMatchObject({ status: 'sending', deferred: true, recipients: 3 });
    const rows = await runtime.db.delivery.findMany({ where: { broadcastId } });
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    expect(people.map(sentTo)).toEqual([0, 0, 0]);

    await redis.restore();
    await ageDeliveries(broadcastId);
    await until('the sweep to queue the saved notice', async () => {
      const swept = await runtime.sweep().catch(() => undefined);
      return swept !== undefined && swept.requeued >= 0;
    });
    await until('every recipient to get the notice', async () => people.every((p) => sentTo(p) > 0));
    await until('the author to get the summary', async () => sentTo(author.id) > 0);
    // A second sweep (the scheduled one) finds nothing open: nobody gets it twice.
    await runtime.sweep();
    await new Promise((r) => setTimeout(r, 500));
    expect(people.map(sentTo)).toEqual([1, 1, 1]);
    expect(sentTo(author.id)).toBe(1);
  });

  it('a coordinator sending from the console is told it is saved and will go out; it goes out once', async () => {
    const { db } = runtime;
    const course = await createCourse(db, { capacity: 2 });
    const people = await enrolledPeople(db, course.id, 2);
    const coordinator = await consoleHttp(base, await invite(runtime, { courses: [course.code] }));
    const { personId } = await db.consoleAccount.findUniqueOrThrow({
      where: { username: coordinator.username },
    });
    const access = { role: 'coordinator' as const, courseCodes: [course.code], counties: [] };
    const draft = await runtime.broadcasts.draft(personId, access, course.code, '明天停课', new Date());
    if (draft.status !== 'ok') throw new Error(draft.status);
    const csrf = coordinator.tokenOf((await coordinator.get('/console/courses')).text);

    await redis.cut();
    const sent = await timed('redis: console "send"', () =>
      coordinator.post(
        `/console/broadcasts/${draft.preview.broadcastId}/send`,
        new URLSearchParams({ _csrf: csrf }),
      ),
    );
    expect(sent.status).toBe(303);
    const location = sent.headers.get('location') ?? '';
    expect(location).toBe(`/console/broadcasts/${draft.preview.broadcastId}?queued=later`);
    const page = await timed('redis: console report page', () =>
      coordinator.get(`${location}`).then((r) => r),
    );
    expect(page.text).toContain('已保存，但消息队列现在很慢或没有响应');
    expect(people.map(sentTo)).toEqual([0, 0]);

    await redis.restore();
    await ageDeliveries(draft.preview.broadcastId);
    await until('the sweep to run', async () => (await runtime.sweep().catch(() => undefined)) !== undefined);
    await until('both recipients to get it', async () => people.every((p) => sentTo(p) > 0));
    await runtime.sweep();
    await new Promise((r) => setTimeout(r, 500));
    expect(people.map(sentTo)).toEqual([1, 1]);
  });

  it('a coordinator confirming in the chat is told to retry within 3 s; the retry sends it once', async () => {
    const { db } = runtime;
    const course = await createCourse(db, { capacity: 2 });
    const people = await enrolledPeople(db, course.id, 2);
    const admin = chatter(runtime, ADMIN);
    await admin.say('你好');
    const preview = await admin.say(`/broadcast ${course.code} 明天停课一天`);
    expect(preview.replies[0]!.choices?.[0]).toBe('发送');

    await redis.cut();
    const busy = await timed('redis: coordinator "send" in the chat', () => admin.say('1'));
    expect(busy.replies.map((r) => r.text)).toEqual([BUSY_ZH]);
    expect(await db.broadcast.count({ where: { courseId: course.id, status: 'draft' } })).toBe(1);

    await redis.restore();
    const sending = await until('the retried "send"', async () => {
      const reply = await admin.say('1');
      return reply.intent !== 'error' && reply;
    });
    expect(sending.events).toEqual([
      { type: 'broadcast_sent', course: course.code, recipients: 2, groups: 0 },
    ]);
    await until('both recipients to get it', async () => people.every((p) => sentTo(p) > 0));
    expect(people.map(sentTo)).toEqual([1, 1]);
  });
});

describe('while Redis hangs (accepts, never answers: packets dropped)', () => {
  it('chat turns, the web chat and a notice confirmation still answer within 3 s; the notice goes out once', async () => {
    const en = chatter(runtime);
    expect((await en.say('hello')).intent).not.toBe('error');
    const web = await webClient(base);
    expect((await web.say({ text: 'hello' })).status).toBe(200);
    const { people, author, broadcastId } = await draftNotice(2);

    redis.stall();
    const down = await timed('hung redis: engine turn', () => en.say('is the training free?'));
    expect(down.replies.map((r) => r.text)).toEqual([BUSY_EN]);
    // Two rate limits (skipped on error) and the session lock: three commands that each give up.
    const webDown = await timed('hung redis: web chat message', () =>
      web.say({ text: 'is the training free?' }),
    );
    expect(webDown.body.replies.map((r) => r.text)).toEqual([BUSY_EN]);
    const outcome = await timed('hung redis: broadcast confirmation', () =>
      runtime.broadcasts.confirm(author.id, broadcastId, false),
    );
    expect(outcome).toMatchObject({ status: 'sending', deferred: true, recipients: 2 });

    redis.unstall();
    await ageDeliveries(broadcastId);
    await until('the sweep to run once Redis answers', async () => {
      const swept = await runtime.sweep().catch(() => undefined);
      return swept !== undefined;
    });
    await until('both recipients to get the notice', async () => people.every((p) => sentTo(p) > 0));
    await runtime.sweep();
    await new Promise((r) => setTimeout(r, 500));
    expect(people.map(sentTo)).toEqual([1, 1]);
    await until('the bot to answer normally', async () => {
      const reply = await en.say('is the training free?');
      return reply.intent !== 'error' && reply;
    });
  });
});

describe('while PostgreSQL is down', () => {
  it('chat turns get "busy", the web chat a 503 to retry, the console a clear page, all within 3 s', async () => {
    const zh = chatter(runtime);
    const en = chatter(runtime);
    expect((await zh.say('你好')).intent).not.toBe('error');
    expect((await en.say('hello')).intent).not.toBe('error');
    const web = await webClient(base);

    await pg.cut();
    const down = await timed('postgres: engine turn (zh)', () => zh.say('培训要钱吗'));
    expect(down.replies.map((r) => r.text)).toEqual([BUSY_ZH]);
    const downEn = await timed('postgres: engine turn (en)', () => en.say('is the training free?'));
    expect(downEn.replies.map((r) => r.text)).toEqual([BUSY_EN]);

    // The page shows "Your message was not sent. Please try again in a moment." in the person's language.
    const webDown = await timed('postgres: web chat message', () =>
      web.say({ text: 'is the training free?' }),
    );
    expect(webDown.status).toBe(503);
    expect(webDown.body).toMatchObject({ error: 'unavailable' });

    // A signed console cookie (a session token's shape): looking it up needs the database.
    const cookie = `jineng_console=${encodeURIComponent(sign('x'.repeat(43), SECRET))}; jineng_lang=en`;
    const page = await timed('postgres: console page', () =>
      fetch(`${base}/console/courses`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' }),
    );
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('The database or the message queue is not answering right now.');
    expect(html).not.toMatch(/\bat .*\.ts:\d+|Error:/);

    await pg.restore();
    const again = await until('the bot to answer normally', async () => {
      const reply = await en.say('is the training free?');
      return reply.intent !== 'error' && reply;
    });
    expect(again.replies.map((r) => r.text).join('')).not.toContain(BUSY_EN);
    const webAgain = await until('the web chat to answer', async () => {
      const reply = await web.say({ text: 'is the training free?' });
      return reply.status === 200 && reply;
    });
    expect(webAgain.body.replies.length).toBeGreaterThan(0);
  });
});
