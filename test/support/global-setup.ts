import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { quoteIdent } from '../../src/db/database-url';
import { migrate } from '../../src/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database made for this run, migrated; dropped when the run ends. */
    databaseUrl: string;
    redisUrl: string;
    /** Unique per run: every BullMQ queue and Redis key a test makes goes under it. */
    queuePrefix: string;
  }
}

// The one place tests read the environment; test files get these values through inject().
const ADMIN_URL = process.env.TEST_PG_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Tests need PostgreSQL at TEST_PG_ADMIN_URL=${ADMIN_URL} (${(error as Error).message}). ` +
        'Start it, or point TEST_PG_ADMIN_URL at a server where this user may CREATE DATABASE.',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await admin(async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  });
}

export async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const suffix = randomBytes(4).toString('hex');
  const database = `jineng_test_${Date.now()}_${suffix}`;
  const queuePrefix = `jt_${suffix}`;
  await admin((client) => client.query(`CREATE DATABASE ${quoteIdent(database)}`));
  const databaseUrl = withDatabase(ADMIN_URL, database);
  try {
    await migrate(databaseUrl);
  } catch (error) {
    await dropDatabase(database);
    throw error;
  }
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', REDIS_URL);
  project.provide('queuePrefix', queuePrefix);

  return async () => {
    // Both clean-ups run even if one fails, so a Redis hiccup never leaves a database behind.
    const results = await Promise.allSettled([dropDatabase(database), deleteKeys(REDIS_URL, queuePrefix)]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0)
      throw new AggregateError(
        failed.map((r) => r.reason),
        'Test teardown failed',
      );
  };
}
