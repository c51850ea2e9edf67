import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/app/metrics';
import { loadConfig } from '../../src/config';
import { createPrisma } from '../../src/db/prisma-client';
import { opsRoutes } from '../../src/http/ops/ops-routes';
import { createRedis } from '../../src/jobs/redis-connection';
import { testDb, testRedis } from '../support/test-env';
import { type WebWorld, webClient, webWorld } from '../support/web-world';

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function opsApp(
  deps: { db: ReturnType<typeof testDb>; redis: ReturnType<typeof testRedis> },
  env: Record<string, string> = {},
) {
  const app = Fastify();
  await app.register(opsRoutes, {
    runtime: { ...deps, metrics: createMetrics(), config: loadConfig(env) },
    queues: [],
  });
  closers.push(() => app.close());
  return app;
}

describe('GET /readyz', () => {
  it('is 200 when PostgreSQL and Redis answer', async () => {
    const app = await opsApp({ db: testDb(), redis: testRedis() });
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ready: true, postgres: { ok: true }, redis: { ok: true } });
  });

  it('is 503 naming Redis when Redis does not answer', async () => {
    const redis = createRedis('redis://127.0.0.1:1');
    redis.on('error', () => undefined);
    closers.push(async () => redis.disconnect());
    const app = await opsApp({ db: testDb(), redis });
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ ready: false, postgres: { ok: true }, redis: { ok: false } });
  });

  it('is 503 naming PostgreSQL when the database does not answer', async () => {
    const db = createPrisma('postgresql://postgres@127.0.0.1:1/nowhere');
    closers.push(() => db.$disconnect());
    const app = await opsApp({ db, redis: testRedis() });
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ ready: false, postgres: { ok: false }, redis: { ok: true } });
  });
});

describe('GET /metrics', () => {
  let world: WebWorld;
  it('counts turns per channel, their latency, queue depths and deliveries', async () => {
    world = await webWorld({ env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
    closers.push(() => world.close());
    const client = await webClient(world.url);
    await client.say({ text: '你好' });
    await client.say({ text: '培训要钱吗' });
    expect((await fetch(`${world.url}/metrics`)).status).toBe(401);
    const response = await fetch(`${world.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('jineng_messages_in_total{channel="web"} 2');
    expect(text).toMatch(/jineng_messages_out_total\{channel="web"\} [2-9]/);
    expect(text).toContain('jineng_turn_duration_seconds_count{channel="web",outcome="ok"} 2');
    expect(text).toContain('jineng_queue_jobs{queue="outbound-web",state="waiting"} 0');
    expect(text).toContain('# TYPE jineng_deliveries gauge');
    expect(text).toContain('jineng_process_cpu_seconds_total');
  });
});

describe('who may read /metrics', () => {
  const scrape = (app: Awaited<ReturnType<typeof opsApp>>, remoteAddress: string, headers = {}) =>
    app.inject({ url: '/metrics', remoteAddress, headers }).then((r) => r.statusCode);

  it('without METRICS_TOKEN, answers only a client on this machine that came straight in', async () => {
    const app = await opsApp({ db: testDb(), redis: testRedis() });
    expect(await scrape(app, '127.0.0.1')).toBe(200);
    expect(await scrape(app, '::1')).toBe(200);
    expect(await scrape(app, '203.0.113.5')).toBe(403);
    expect(await scrape(app, '10.0.0.7')).toBe(403);
    // A reverse proxy on the same machine passing on someone else's request.
    expect(await scrape(app, '127.0.0.1', { 'x-forwarded-for': '203.0.113.5' })).toBe(403);
  });

  it('with METRICS_TOKEN, wants the bearer token from everyone, local or not', async () => {
    const app = await opsApp(
      { db: testDb(), redis: testRedis() },
      { METRICS_TOKEN: 'metrics-token-0123456789' },
    );
    expect(await scrape(app, '127.0.0.1')).toBe(401);
    expect(await scrape(app, '203.0.113.5', { authorization: 'Bearer wrong-token-0123456789xx' })).toBe(401);
    expect(await scrape(app, '203.0.113.5', { authorization: 'Bearer metrics-token-0123456789' })).toBe(200);
  });
});

describe('the cost of a scrape', () => {
  it('reads the deliveries ledger at most once per METRICS_REFRESH_SECONDS, however often it is scraped', async () => {
    const db = testDb();
    let ledgerReads = 0;
    const counting = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== '$queryRaw') return Reflect.get(target, property, receiver);
        return (strings: TemplateStringsArray, ...values: unknown[]) => {
          if (strings.join('?').includes('FROM deliveries')) ledgerReads += 1;
          return target.$queryRaw(strings, ...values);
        };
      },
    });
    const app = await opsApp({ db: counting, redis: testRedis() }, { METRICS_REFRESH_SECONDS: '1' });
    const scrapes = await Promise.all(
      Array.from({ length: 5 }, () => app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })),
    );
    for (let i = 0; i < 5; i += 1)
      scrapes.push(await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' }));
    expect(scrapes.every((r) => r.statusCode === 200)).toBe(true);
    expect(scrapes.at(-1)!.body).toContain('# TYPE jineng_deliveries gauge');
    expect(ledgerReads).toBe(1);
    await new Promise((r) => setTimeout(r, 1_100));
    await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(ledgerReads).toBe(2);
  });
});
