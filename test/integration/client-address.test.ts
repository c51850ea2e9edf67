import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { registerIpRateLimit } from '../../src/http/ip-rate-limit';
import { createHttpServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { testRedis, uniquePrefix } from '../support/test-env';

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/**
 * The server `npm start` builds, with the per-address limit at 2 a minute and one route under it, and a
 * sign-in route under the sign-in limit. `redis` defaults to the test Redis.
 */
async function server(trustProxy: string, redis: Redis = testRedis()) {
  const config = loadConfig({
    TRUST_PROXY: trustProxy,
    WEB_IP_RATE_PER_MINUTE: '2',
    QUEUE_PREFIX: uniquePrefix('ip'),
  });
  const app = createHttpServer({ config, logger: createLogger('silent') });
  await app.register(async (scope) => {
    await registerIpRateLimit(scope, { config, redis });
    scope.get('/api/ping', async (request) => ({ ip: request.ip }));
    scope.post('/sign-in', { config: { rateLimit: false } }, async (request, reply) =>
      reply.code((await scope.signInLimit(request)) ? 200 : 429).send(),
    );
  });
  closers.push(() => app.close());
  return app;
}

const hit = (app: Awaited<ReturnType<typeof server>>, remoteAddress: string, forwardedFor?: string) =>
  app.inject({
    url: '/api/ping',
    remoteAddress,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });

describe('the per-address rate limit', () => {
  it('gives a direct client that invents X-Forwarded-For no fresh bucket (TRUST_PROXY empty)', async () => {
    const app = await server('');
    expect((await hit(app, '203.0.113.7', '1.1.1.1')).statusCode).toBe(200);
    expect((await hit(app, '203.0.113.7', '2.2.2.2')).statusCode).toBe(200);
    expect((await hit(app, '203.0.113.7', '3.3.3.3')).statusCode).toBe(429);
  });

  it('behind one trusted proxy (by address), gives two clients two buckets and ignores what they wrote', async () => {
    const app = await server('10.0.0.5');
    // Each client forged an entry; the proxy appended the address it saw.
    const a = (forged: string) => hit(app, '10.0.0.5', `${forged}, 198.51.100.1`);
    const b = (forged: string) => hit(app, '10.0.0.5', `${forged}, 198.51.100.2`);
    expect((await a('9.9.9.1')).json()).toEqual({ ip: '198.51.100.1' });
    expect((await a('9.9.9.2')).statusCode).toBe(200);
    expect((await a('9.9.9.3')).statusCode).toBe(429);
    expect((await b('9.9.9.4')).statusCode).toBe(200);
    expect((await b('9.9.9.5')).json()).toEqual({ ip: '198.51.100.2' });
  });

  it('trusts a hop count as that many proxies, no more (TRUST_PROXY=1, and true means 1)', async () => {
    for (const setting of ['1', 'true']) {
      const app = await server(setting);
      const response = await hit(app, '10.0.0.5', '6.6.6.6, 198.51.100.9');
      expect(response.json()).toEqual({ ip: '198.51.100.9' });
    }
  });

  it('does not take X-Forwarded-For from an address that is not the configured proxy', async () => {
    const app = await server('10.0.0.5');
    expect((await hit(app, '203.0.113.8', '198.51.100.3')).json()).toEqual({ ip: '203.0.113.8' });
  });
});

describe('client-address buckets', () => {
  it('put every address of an IPv6 /64 in one bucket, and an IPv4-mapped address with its IPv4 one', async () => {
    const app = await server('');
    expect((await hit(app, '2001:db8:9:1::1')).statusCode).toBe(200);
    expect((await hit(app, '2001:db8:9:1:ffff:ffff:ffff:fffe')).statusCode).toBe(200);
    expect((await hit(app, '2001:db8:9:1::2')).statusCode).toBe(429);
    expect((await hit(app, '2001:db8:9:2::1')).statusCode).toBe(200);
    expect((await hit(app, '203.0.113.99')).statusCode).toBe(200);
    expect((await hit(app, '::ffff:203.0.113.99')).statusCode).toBe(200);
    expect((await hit(app, '203.0.113.99')).statusCode).toBe(429);
  });

  it('keep the sign-in limit while Redis is down, counting in memory', async () => {
    // A Redis that is not there: every command fails at once.
    const away = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    closers.push(async () => away.disconnect());
    const app = await server('', away);
    const post = (remoteAddress: string) => app.inject({ method: 'POST', url: '/sign-in', remoteAddress });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await post('2001:db8:a:b::' + (i + 1).toString(16))).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await post('198.51.100.77')).statusCode).toBe(200);
    // The general limit is skipped while Redis is away (the chat stays up).
    for (let i = 0; i < 3; i++) expect((await hit(app, '198.51.100.78')).statusCode).toBe(200);
  });
});

describe('a proxy in front while TRUST_PROXY is empty', () => {
  it("is said once in the log, naming the setting, since every visitor then shares the proxy's bucket", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({ QUEUE_PREFIX: uniquePrefix('ip') });
    const app = createHttpServer({ config, logger: createLogger('warn', sink) });
    closers.push(() => app.close());
    await app.inject({ url: '/healthz', remoteAddress: '10.0.0.5' });
    expect(lines).toEqual([]);
    for (const client of ['198.51.100.1', '198.51.100.2'])
      await app.inject({
        url: '/healthz',
        remoteAddress: '10.0.0.5',
        headers: { 'x-forwarded-for': client },
      });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('set TRUST_PROXY');
  });
});

describe('TRUST_PROXY', () => {
  it('accepts none, a hop count or proxy addresses and CIDRs, and names a bad one', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,::1' }).TRUST_PROXY).toEqual([
      '10.0.0.5',
      '172.16.0.0/12',
      '::1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'nginx.local' })).toThrow(/TRUST_PROXY=.*nginx\.local/);
  });
});
