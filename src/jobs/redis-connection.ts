import { Redis, type RedisOptions } from 'ioredis';

export interface CreateRedisOptions {
  /** BullMQ workers block on Redis and must never give up a command: maxRetriesPerRequest null. */
  forBullMQ?: boolean;
  /** Shown by CLIENT LIST; helps to tell the bot's connections apart. */
  connectionName?: string;
}

/** The one place ioredis connections are made, so every part of the bot connects the same way. */
export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: options.forBullMQ ? null : 3,
    connectTimeout: 10_000,
    // Reconnect for ever, but no faster than every 2 s: a Redis restart must not need a bot restart.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
  return new Redis(url, redisOptions);
}

export class RedisCheckError extends Error {
  override name = 'RedisCheckError';
}

export interface RedisCheckResult {
  /** null when CONFIG is not allowed (managed Redis) and the policy could not be read. */
  maxmemoryPolicy: string | null;
  /** Something to log at warn level; start-up may go on. */
  warning?: string;
}

/** The URL without its password, fit for logs and error messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Checks at start-up that Redis answers and keeps BullMQ's data: with any eviction policy but `noeviction`
 * Redis may silently drop queued jobs under memory pressure. Gives up after `timeoutMs` instead of waiting
 * for reconnection attempts, so a wrong REDIS_URL stops start-up quickly with a message saying what to do.
 */
export async function checkRedis(redis: Redis, url: string, timeoutMs = 5_000): Promise<RedisCheckResult> {
  const shown = redactRedisUrl(url);
  let lastError: Error | undefined;
  const remember = (error: Error) => {
    lastError = error;
  };
  redis.on('error', remember);
  try {
    try {
      // A lazy connection (see probeRedis) is opened here so that its failure gets the same message.
      if (redis.status === 'wait') await withTimeout(redis.connect(), timeoutMs, 'Connecting');
      await withTimeout(redis.ping(), timeoutMs, 'PING');
    } catch (error) {
      const cause = lastError ?? (error as Error);
      throw new RedisCheckError(
        `Cannot reach Redis at REDIS_URL=${shown} (${cause.message}). Start Redis, e.g. ` +
          '`redis-server --appendonly yes --maxmemory-policy noeviction`, or set REDIS_URL to a reachable server.',
        { cause },
      );
    }
    let policy: string | null;
    try {
      const reply = (await withTimeout(
        redis.config('GET', 'maxmemory-policy'),
        timeoutMs,
        'CONFIG GET',
      )) as string[];
      policy = reply[1] ?? null;
    } catch (error) {
      // Managed Redis often disables CONFIG; the policy is then set in the provider's console.
      return {
        maxmemoryPolicy: null,
        warning:
          `Could not read maxmemory-policy of Redis at REDIS_URL=${shown} (${(error as Error).message}). ` +
          'BullMQ needs maxmemory-policy noeviction: check it in your Redis provider settings.',
      };
    }
    if (policy !== 'noeviction') {
      throw new RedisCheckError(
        `Redis at REDIS_URL=${shown} has maxmemory-policy ${JSON.stringify(policy)}, but BullMQ needs "noeviction" ` +
          '(otherwise Redis may silently drop queued reminders and broadcasts). Fix it with ' +
          '`redis-cli config set maxmemory-policy noeviction` (and `maxmemory-policy noeviction` in redis.conf ' +
          'to keep it), or start redis-server with `--maxmemory-policy noeviction`.',
      );
    }
    return { maxmemoryPolicy: policy };
  } finally {
    redis.off('error', remember);
  }
}

/**
 * checkRedis on a short-lived connection that tries once: the start-up check, before any long-lived
 * connection (which would retry for ever) is made.
 */
export async function probeRedis(url: string, timeoutMs = 5_000): Promise<RedisCheckResult> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  try {
    return await checkRedis(redis, url, timeoutMs);
  } finally {
    redis.disconnect();
  }
}
