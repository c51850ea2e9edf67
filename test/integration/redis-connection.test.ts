import { describe, expect, inject, it } from 'vitest';
import { checkRedis, createRedis, probeRedis } from '../../src/jobs/redis-connection';
import { redactUrl } from '../../src/redact-url';
import { testRedis, uniquePrefix } from '../support/test-env';

const url = inject('redisUrl');

describe('Redis connection', () => {
  it('accepts the test Redis, which keeps every key (noeviction)', async () => {
    await expect(probeRedis(url)).resolves.toEqual({ maxmemoryPolicy: 'noeviction' });
    const redis = createRedis(url, { connectionName: 'jineng-test' });
    try {
      await expect(checkRedis(redis, url)).resolves.toEqual({ maxmemoryPolicy: 'noeviction' });
      const key = uniquePrefix('conn:');
      await redis.set(key, 'x', 'EX', 60);
      expect(await redis.get(key)).toBe('x');
    } finally {
      redis.disconnect();
    }
  });

  it('makes connections BullMQ workers accept', () => {
    const forWorker = createRedis(url, { forBullMQ: true });
    const plain = createRedis(url);
    try {
      expect(forWorker.options.maxRetriesPerRequest).toBeNull();
      expect(plain.options.maxRetriesPerRequest).not.toBeNull();
    } finally {
      forWorker.disconnect();
      plain.disconnect();
    }
  });

  it('refuses a Redis that may evict queued jobs, saying how to fix it', async () => {
    const admin = testRedis();
    const [, previous] = (await admin.config('GET', 'maxmemory-policy')) as [string, string];
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const error = await probeRedis(url).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(`REDIS_URL=${url}`);
      expect((error as Error).message).toContain('"allkeys-lru"');
      expect((error as Error).message).toContain('config set maxmemory-policy noeviction');
    } finally {
      await admin.config('SET', 'maxmemory-policy', previous);
    }
    expect(await admin.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', previous]);
  });

  it('fails fast, naming REDIS_URL, when Redis cannot be reached', async () => {
    const unreachable = 'redis://127.0.0.1:1';
    await expect(probeRedis(unreachable, 2_000)).rejects.toThrow(
      /REDIS_URL=redis:\/\/127\.0\.0\.1:1.*ECONNREFUSED/,
    );

    // A long-lived connection retries for ever; the check still gives up after its time limit.
    const retrying = createRedis(unreachable);
    try {
      await expect(checkRedis(retrying, unreachable, 1_000)).rejects.toThrow(
        /Cannot reach Redis at REDIS_URL=/,
      );
    } finally {
      retrying.disconnect();
    }
  });

  it('only warns when CONFIG is not allowed, as on managed Redis', async () => {
    const admin = testRedis();
    const user = `${uniquePrefix('user:')}`;
    const password = 'managed-redis-test';
    // An ACL user that may not run CONFIG, like the users managed Redis services hand out.
    await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '+@all', '-config');
    try {
      const managed = new URL(url);
      managed.username = user;
      managed.password = password;
      const result = await probeRedis(managed.toString());
      expect(result.maxmemoryPolicy).toBeNull();
      expect(result.warning).toContain('REDIS_URL=');
      expect(result.warning).toContain('noeviction');
      expect(result.warning).not.toContain(password);
    } finally {
      await admin.call('ACL', 'DELUSER', user);
    }
  });

  it('never shows a password', () => {
    expect(redactUrl('redis://bot:s3cret@redis.example:6380/2')).toBe('redis://bot:***@redis.example:6380/2');
  });
});
