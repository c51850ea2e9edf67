import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { quoteIdent } from '../../src/db/database-url';
import { migrate } from '../../src/db/migrate';
import { createPrisma, type Db } from '../../src/db/prisma-client';

// Each test file runs in its own module context (pool: forks, isolated), so this state is per file.
let db: Db | undefined;
const clients: Db[] = [];
const redisClients: Redis[] = [];
const schemas: string[] = [];

// Registered while the importing file is collected, so it runs after that file's tests.
afterAll(async () => {
  db = undefined;
  await Promise.all(clients.splice(0).map((c) => c.$disconnect()));
  await Promise.all(redisClients.splice(0).map((r) => r.quit().catch(() => r.disconnect())));
  if (schemas.length === 0) return;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  try {
    for (const schema of schemas.splice(0))
      await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await admin.end();
  }
});

/** Prisma on this run's migrated database (made by test/support/global-setup.ts); one client per file. */
export function testDb(): Db {
  if (!db) {
    db = createPrisma(inject('databaseUrl'));
    clients.push(db);
  }
  return db;
}

/**
 * A newly migrated schema of the run's database, for tests that need the tables to themselves (seeding
 * fixed sample codes, counting rows). Dropped after the file's tests.
 */
export async function isolatedDb(tag: string): Promise<{ db: Db; url: string; schema: string }> {
  const schema = `t_${tag.replace(/\W/g, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  schemas.push(schema);
  const url = new URL(inject('databaseUrl'));
  url.searchParams.set('schema', schema);
  await migrate(url.toString());
  const client = createPrisma(url.toString(), 4);
  clients.push(client);
  return { db: client, url: url.toString(), schema };
}

/** A new ioredis client on the test Redis, closed after the file's tests. */
export function testRedis(): Redis {
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 3, connectTimeout: 5_000 });
  redisClients.push(redis);
  return redis;
}

/** A Redis key prefix under this run's prefix (deleted when the run ends), unique to the caller. */
export function uniquePrefix(tag = ''): string {
  return `${inject('queuePrefix')}:${tag}${randomBytes(3).toString('hex')}`;
}

/** The environment a spawned `jineng` command runs with in tests: the test database and Redis, fixed keys. */
export function cliEnv(tag: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: uniquePrefix(tag),
    PII_ENCRYPTION_KEY: 'c'.repeat(64),
    PII_HASH_KEY: 'd'.repeat(64),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}
