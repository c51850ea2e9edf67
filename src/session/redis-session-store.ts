import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SessionStore } from '../core/ports';

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface RedisSessionStoreOptions {
  prefix: string;
  ttlSeconds: number;
  /** How long a turn may hold a person's lock before it expires on its own (a crashed process). */
  lockMs?: number;
  /** How long a second message waits for the first to finish. */
  waitMs?: number;
}

/**
 * Dialog sessions as JSON strings with a TTL. A per-person lock (SET NX PX, released only by its owner)
 * makes two messages from one person run one after the other, across processes.
 */
export function createRedisSessionStore<S>(redis: Redis, options: RedisSessionStoreOptions): SessionStore<S> {
  const lockMs = options.lockMs ?? 15_000;
  const waitMs = options.waitMs ?? 10_000;
  const key = (k: string) => `${options.prefix}:session:${k}`;
  return {
    async load(k) {
      const raw = await redis.get(key(k));
      if (!raw) return undefined;
      try {
        return JSON.parse(raw) as S;
      } catch {
        return undefined;
      }
    },
    async save(k, session) {
      await redis.set(key(k), JSON.stringify(session), 'EX', options.ttlSeconds);
    },
    async withLock(k, fn) {
      const lockKey = `${options.prefix}:lock:${k}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      let delay = 5;
      while ((await redis.set(lockKey, token, 'PX', lockMs, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for the session lock of ${k}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 100);
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, lockKey, token).catch(() => undefined);
      }
    },
  };
}

/** A process-local store for `ask`, benchmarks of pure NLU, and tools that must run without Redis. */
export function createMemorySessionStore<S>(): SessionStore<S> {
  const data = new Map<string, string>();
  const chains = new Map<string, Promise<unknown>>();
  return {
    async load(k) {
      const raw = data.get(k);
      return raw ? (JSON.parse(raw) as S) : undefined;
    },
    async save(k, session) {
      data.set(k, JSON.stringify(session));
    },
    async withLock(k, fn) {
      const previous = chains.get(k) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      chains.set(
        k,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}
