import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import type { TurnResult } from '../../src/core/dialog/engine';
import { opsRoutes } from '../../src/http/ops/ops-routes';
import { createHttpServer } from '../../src/http/server';
import { person, testRuntime } from '../support/converse';
import { until } from '../support/outreach-runtime';
import { type TcpProxy, tcpProxy } from '../support/tcp-proxy';

/**
 * PostgreSQL or Redis going away and coming back, through proxies in front of the real services that this
 * test cuts and restores: the bot says "busy, try later" in the user's language, /readyz names the missing
 * service, and both recover with no restart.
 */

const BUSY_ZH = '系统繁忙，请稍后再试。';
const BUSY_EN = 'The system is busy, please try again later.';

let pg: TcpProxy;
let redis: TcpProxy;
let runtime: Runtime;
let app: FastifyInstance;

beforeAll(async () => {
  const db = new URL(inject('databaseUrl'));
  const rd = new URL(inject('redisUrl'));
  pg = await tcpProxy(db.hostname, Number(db.port || 5432));
  redis = await tcpProxy(rd.hostname, Number(rd.port || 6379));
  runtime = await testRuntime({
    DATABASE_URL: pg.url(inject('databaseUrl')),
    REDIS_URL: redis.url(inject('redisUrl')),
  });
  app = createHttpServer(runtime);
  await app.register(opsRoutes, { runtime, queues: [] });
  await app.ready();
});
afterAll(async () => {
  await pg?.restore().catch(() => undefined);
  await redis?.restore().catch(() => undefined);
  await app?.close();
  await runtime?.close();
  await pg?.close();
  await redis?.close();
});

const readiness = async () => {
  const response = await app.inject({ url: '/readyz' });
  return { status: response.statusCode, body: response.json() as Record<string, { ok: boolean }> };
};

/** Says `text` until the bot answers normally again (it must recover by itself; this only waits). */
const recovered = (say: (text: string) => Promise<TurnResult>, text: string) =>
  until(
    'the bot to answer normally again',
    async () => {
      const reply = await say(text);
      return reply.intent !== 'error' ? reply : undefined;
    },
    30_000,
  );

describe('a dependency that fails and comes back', () => {
  it('answers "busy" in the user language while PostgreSQL is down, reports it, and recovers by itself', async () => {
    const zh = person(runtime, 'pg-zh');
    const en = person(runtime, 'pg-en');
    expect((await zh.say('你好')).intent).not.toBe('error');
    expect((await en.say('hello, what training is there?')).intent).not.toBe('error');
    expect((await readiness()).status).toBe(200);

    await pg.cut();
    const down = await zh.say('培训要钱吗');
    expect(down.intent).toBe('error');
    expect(down.replies.map((r) => r.text)).toEqual([BUSY_ZH]);
    const downEn = await en.say('is the training free?');
    expect(downEn.replies.map((r) => r.text)).toEqual([BUSY_EN]);
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.body.postgres?.ok).toBe(false);
    expect(ready.body.redis?.ok).toBe(true);

    await pg.restore();
    const back = await recovered(zh.say, '培训要钱吗');
    expect(back.replies.map((r) => r.text).join('')).not.toContain(BUSY_ZH);
    expect((await readiness()).status).toBe(200);
  }, 60_000);

  it('answers "busy" while Redis is down, reports it, and recovers by itself', async () => {
    const zh = person(runtime, 'redis-zh');
    const en = person(runtime, 'redis-en');
    expect((await zh.say('你好')).intent).not.toBe('error');
    expect((await en.say('hello')).intent).not.toBe('error');

    await redis.cut();
    const down = await zh.say('我想学电商');
    expect(down.intent).toBe('error');
    expect(down.replies.map((r) => r.text)).toEqual([BUSY_ZH]);
    const downEn = await en.say('I want to learn welding');
    expect(downEn.replies.map((r) => r.text)).toEqual([BUSY_EN]);
    const ready = await readiness();
    expect(ready.status).toBe(503);
    expect(ready.body.redis?.ok).toBe(false);
    expect(ready.body.postgres?.ok).toBe(true);

    await redis.restore();
    await recovered(zh.say, '我想学电商');
    await until('/readyz to say ready', async () => (await readiness()).status === 200, 30_000);
  }, 60_000);
});
