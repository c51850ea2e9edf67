import { Redis, type RedisOptions } from 'ioredis';
import { withDeadline } from '../core/deadline';
import { redactUrl } from '../redact-url';

/**
 * What a connection is for. `worker`: BullMQ workers block on Redis and must never give up a command
 * (maxRetriesPerRequest null). `producer`: queues that requests add jobs to; while Redis is away a command
 * fails at once instead of waiting in the offline queue. `request`: sessions, locks, rate limits; fails at
 * once too, and a command Redis does not answer gives up after REQUEST_COMMAND_TIMEOUT_MS.
 */
export type RedisRole = 'worker' | 'producer' | 'request';

export interface CreateRedisOptions {
  /** Default `request`. */
  role?: RedisRole;
  /** The same as role `worker`. */
  forBullMQ?: boolean;
  /** Shown by CLIENT LIST; helps to tell the bot's connections apart. */
  connectionName?: string;
}

/** A request path's Redis command gives up after this long (Redis answers in well under 1 ms). */
export const REQUEST_COMMAND_TIMEOUT_MS = 700;

function roleOptions(role: RedisRole): RedisOptions {
  if (role === 'worker') return { maxRetriesPerRequest: null };
  // Commands issued while disconnected fail at once ("Stream isn't writeable…"); they are never sent late,
  // so a lock taken after its caller gave up cannot block the person's next message.
  const failFast: RedisOptions = { maxRetriesPerRequest: 0, enableOfflineQueue: false };
  // Not for producers: a 10,000-job addBulk may take longer than a second to be answered.
  return role === 'request' ? { ...failFast, commandTimeout: REQUEST_COMMAND_TIMEOUT_MS } : failFast;
}

/** The one place ioredis connections are made, so every part of the bot connects the same way. */
export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const redisOptions: RedisOptions = {
    connectTimeout: 10_000,
    // Reconnect for ever, but no faster than every 2 s: a Redis restart must not need a bot restart.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...roleOptions(options.forBullMQ ? 'worker' : (options.role ?? 'request')),
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

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  withDeadline(promise, ms, () => new Error(`${what}: no answer within ${Number((ms / 1000).toFixed(1))} s`));

/** Resolves once the connection is ready (connecting it if lazy); commands cannot wait offline on it. */
function whenReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status === 'wait') return redis.connect();
  if (redis.status === 'end') return Promise.reject(new Error('Connection is closed.'));
  return new Promise<void>((resolve) => redis.once('ready', () => resolve()));
}

/**
 * Checks at start-up that Redis answers and keeps BullMQ's data: with any eviction policy but `noeviction`
 * Redis may silently drop queued jobs under memory pressure. Gives up after `timeoutMs` instead of waiting
 * for reconnection attempts, so a wrong REDIS_URL stops start-up quickly with a message saying what to do.
 */
export async function checkRedis(redis: Redis, url: string, timeoutMs = 5_000): Promise<RedisCheckResult> {
  const shown = redactUrl(url);
  let lastError: Error | undefined;
  const remember = (error: Error) => {
    lastError = error;
  };
  redis.on('error', remember);
  try {
    try {
      // A lazy connection (see probeRedis) is opened here so that its failure gets the same message.
      await withTimeout(whenReady(redis), timeoutMs, 'Connecting');
      await withTimeout(redis.ping(), timeoutMs, 'PING');
    } catch (error) {
      // A refused connection says so; a server that never answers says how long it was given.
      const timedOut = (error as Error).message.includes('no answer within');
      const cause = timedOut || !lastError ? (error as Error) : lastError;
      const refused = timedOut && lastError?.message.includes('ECONNREFUSED') ? lastError : undefined;
      throw new RedisCheckError(
        `Cannot reach Redis at REDIS_URL=${shown} (${(refused ?? cause).message}). Start Redis, e.g. ` +
          '`redis-server --appendonly yes --maxmemory-policy noeviction`, or set REDIS_URL to a reachable server.',
        { cause: refused ?? cause },
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
