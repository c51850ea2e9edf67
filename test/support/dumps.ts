import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { parseDatabaseUrl } from '../../src/db/database-url';

const run = promisify(execFile);

/** `pg_dump` of one schema (data and definitions), as an operator's backup would hold it. */
export async function pgDump(databaseUrl: string): Promise<string> {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  const { stdout } = await run('pg_dump', ['--dbname', connectionString, '--schema', schema, '--no-owner'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** Every key under a prefix with its value read as its type requires, one block per key. */
export async function redisDump(redis: Redis, prefix: string): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) out.push(`${key}\t${await readKey(redis, key)}`);
  } while (cursor !== '0');
  return out.join('\n');
}

async function readKey(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return '';
  }
}
