import type { Redis } from 'ioredis';
import type { MenuRecord } from './telegram-callback';

/**
 * The last menu offered per chat (or per person in a group), so a press can be told current from stale.
 * In Redis when the bot runs as several processes behind one webhook; in memory otherwise.
 */
export interface MenuStore {
  get(key: string): Promise<MenuRecord | undefined>;
  set(key: string, menu: MenuRecord): Promise<void>;
  clear(key: string): Promise<void>;
}

/** A bounded in-process store (oldest entries go first): for tests and a single polling process. */
export function memoryMenuStore(max = 10_000): MenuStore {
  const menus = new Map<string, MenuRecord>();
  return {
    async get(key) {
      return menus.get(key);
    },
    async set(key, menu) {
      menus.delete(key);
      menus.set(key, menu);
      if (menus.size > max) menus.delete(menus.keys().next().value!);
    },
    async clear(key) {
      menus.delete(key);
    },
  };
}

/** Menus in Redis under `<prefix>:<key>` as "hash:count", living as long as a chat session. */
export function redisMenuStore(redis: Redis, prefix: string, ttlSeconds: number): MenuStore {
  return {
    async get(key) {
      const value = await redis.get(`${prefix}:${key}`);
      const m = value ? /^([\w-]+):(\d+)$/.exec(value) : null;
      return m ? { hash: m[1]!, count: Number(m[2]) } : undefined;
    },
    async set(key, menu) {
      await redis.set(`${prefix}:${key}`, `${menu.hash}:${menu.count}`, 'EX', ttlSeconds);
    },
    async clear(key) {
      await redis.del(`${prefix}:${key}`);
    },
  };
}
