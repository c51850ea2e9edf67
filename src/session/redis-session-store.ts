import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type ChatSessionStore, createChatSessionStore } from '../core/dialog/chat-session-store';

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
 * Chat sessions in Redis as JSON strings with a TTL (reading, migrating and repairing them is core's, see
 * src/core/dialog/chat-session-store.ts). A per-person lock (SET NX PX, released only by its owner) makes two
 * messages from one person run one after the other, across processes.
 */
export function createRedisSessionStore(redis: Redis, options: RedisSessionStoreOptions): ChatSessionStore {
  const lockMs = options.lockMs ?? 15_000;
  const waitMs = options.waitMs ?? 10_000;
  const key = (k: string) => `${options.prefix}:session:${k}`;
  return createChatSessionStore({
    async get(k) {
      return (await redis.get(key(k))) ?? undefined;
    },
    async set(k, value) {
      await redis.set(key(k), value, 'EX', options.ttlSeconds);
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
  });
}

/** A process-local store for `ask`, benchmarks of pure NLU, and tools that must run without Redis. */
export function createMemorySessionStore(): ChatSessionStore {
  const data = new Map<string, string>();
  const chains = new Map<string, Promise<unknown>>();
  return createChatSessionStore({
    async get(k) {
      return data.get(k);
    },
    async set(k, value) {
      data.set(k, value);
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
  });
}
