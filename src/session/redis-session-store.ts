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

/** What a turn holding a person's lock has read and written, kept until the lock is released. */
interface Held {
  value: string | undefined;
  dirty: boolean;
}

/**
 * Chat sessions in Redis as JSON strings with a TTL (reading, migrating and repairing them is core's, see
 * src/core/dialog/chat-session-store.ts). A per-person lock (SET NX PX, released only by its owner) makes two
 * messages from one person run one after the other, across processes. A turn costs two round trips: taking
 * the lock fetches the session in the same pipeline, and releasing it writes the session back in the same
 * pipeline (a failed write still fails the turn).
 */
export function createRedisSessionStore(redis: Redis, options: RedisSessionStoreOptions): ChatSessionStore {
  const lockMs = options.lockMs ?? 15_000;
  const waitMs = options.waitMs ?? 10_000;
  const key = (k: string) => `${options.prefix}:session:${k}`;
  const held = new Map<string, Held>();
  const write = (k: string, value: string) => redis.set(key(k), value, 'EX', options.ttlSeconds);
  return createChatSessionStore({
    async get(k) {
      const mine = held.get(k);
      if (mine) return mine.value;
      return (await redis.get(key(k))) ?? undefined;
    },
    async set(k, value) {
      const mine = held.get(k);
      if (!mine) {
        await write(k, value);
        return;
      }
      mine.value = value;
      mine.dirty = true;
    },
    async withLock(k, fn) {
      const lockKey = `${options.prefix}:lock:${k}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      let delay = 5;
      for (;;) {
        const [taken, current] = await execPipeline(
          redis.pipeline().set(lockKey, token, 'PX', lockMs, 'NX').get(key(k)),
        );
        if (taken === 'OK') {
          held.set(k, { value: (current as string | null) ?? undefined, dirty: false });
          break;
        }
        if (Date.now() > deadline) throw new Error(`Timed out waiting for the session lock of ${k}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 100);
      }
      let outcome: { ok: true; value: Awaited<ReturnType<typeof fn>> } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await fn() };
      } catch (error) {
        outcome = { ok: false, error };
      }
      const mine = held.get(k);
      held.delete(k);
      const release = redis.pipeline();
      const saving = Boolean(mine?.dirty && mine.value !== undefined);
      if (saving) release.set(key(k), mine!.value!, 'EX', options.ttlSeconds);
      release.eval(RELEASE, 1, lockKey, token);
      const results = await release.exec().catch((error: unknown) => [[error, null]] as [unknown, unknown][]);
      if (!outcome.ok) throw outcome.error;
      // The session write failing fails the turn; a release that failed expires on its own.
      const saveError = saving ? results?.[0]?.[0] : undefined;
      if (saveError) throw saveError;
      return outcome.value;
    },
  });
}

/** A pipeline's replies, or its first error. */
async function execPipeline(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
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
