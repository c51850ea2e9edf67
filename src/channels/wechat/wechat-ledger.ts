import type { Redis } from 'ioredis';

/**
 * What the WeChat channel must remember beyond one message: which message ids it has already taken (so a
 * puppet replaying history after a re-login is not answered twice), how many proactive messages went
 * out today (the daily cap) and how far a long message split into parts got (so a retry sends the rest). Redis keeps both across restarts; the in-memory one is for a single process.
 */
export interface WechatLedger {
  /** True the first time a message id is seen. */
  firstSight(messageId: string): Promise<boolean>;
  /** Counts one proactive send against `day` and returns the day's new total. */
  addSent(day: string): Promise<number>;
  /** Takes back a count that was refused or failed. */
  removeSent(day: string): Promise<void>;
  sentOn(day: string): Promise<number>;
  /** How many parts of a split message (`key`: the chat and the parts) already went out on an earlier try. */
  partsSent(key: string): Promise<number>;
  /** Records `n` parts sent; `n = 0` forgets the message (all of it went out). */
  setPartsSent(key: string, n: number): Promise<void>;
}

const SEEN_TTL_SECONDS = 7 * 86_400;
const DAY_TTL_SECONDS = 3 * 86_400;
const MEMORY_SEEN_LIMIT = 10_000;
/** A message retried after this long starts again from its first part. */
const PARTS_TTL_SECONDS = 2 * 86_400;

export function memoryLedger(): WechatLedger {
  const seen = new Set<string>();
  const sent = new Map<string, number>();
  const parts = new Map<string, number>();
  return {
    async firstSight(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      if (seen.size > MEMORY_SEEN_LIMIT) seen.delete(seen.values().next().value as string);
      return true;
    },
    async addSent(day) {
      const n = (sent.get(day) ?? 0) + 1;
      sent.set(day, n);
      return n;
    },
    async removeSent(day) {
      sent.set(day, Math.max(0, (sent.get(day) ?? 0) - 1));
    },
    async sentOn(day) {
      return sent.get(day) ?? 0;
    },
    async partsSent(key) {
      return parts.get(key) ?? 0;
    },
    async setPartsSent(key, n) {
      if (n > 0) parts.set(key, n);
      else parts.delete(key);
      if (parts.size > MEMORY_SEEN_LIMIT) parts.delete(parts.keys().next().value as string);
    },
  };
}

export function redisLedger(redis: Redis, prefix: string): WechatLedger {
  const dayKey = (day: string) => `${prefix}:wechat:sent:${day}`;
  return {
    async firstSight(id) {
      return (await redis.set(`${prefix}:wechat:seen:${id}`, '1', 'EX', SEEN_TTL_SECONDS, 'NX')) === 'OK';
    },
    async addSent(day) {
      const [[, n]] = (await redis.multi().incr(dayKey(day)).expire(dayKey(day), DAY_TTL_SECONDS).exec()) as [
        [Error | null, number],
        unknown,
      ];
      return n;
    },
    async removeSent(day) {
      await redis.decr(dayKey(day));
    },
    async sentOn(day) {
      return Number((await redis.get(dayKey(day))) ?? 0);
    },
    async partsSent(key) {
      return Number((await redis.get(`${prefix}:wechat:parts:${key}`)) ?? 0);
    },
    async setPartsSent(key, n) {
      if (n > 0) await redis.set(`${prefix}:wechat:parts:${key}`, String(n), 'EX', PARTS_TTL_SECONDS);
      else await redis.del(`${prefix}:wechat:parts:${key}`);
    },
  };
}
