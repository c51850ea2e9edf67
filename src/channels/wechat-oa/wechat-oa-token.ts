import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/** Fetches a new token from the platform: the token and how many seconds it lives. */
export type TokenFetcher = () => Promise<{ token: string; expiresIn: number }>;

/** Refresh this long before the platform's expiry, so no call goes out with a token about to die. */
const EARLY_SECONDS = 300;
const LOCK_MS = 15_000;
const POLL_MS = 50;

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const DROP_IF = `local v = redis.call('get', KEYS[1])
if v and cjson.decode(v).token == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The access token, shared by every process on one Redis. Fetching a new token (cgi-bin/token) invalidates
 * the previous one for everybody, so only the holder of a Redis lock fetches; the others wait for its result.
 * A call that meets 40001/42001 drops the token it used (only if it is still the cached one: another process
 * may have refreshed it already) and asks again.
 * The JS-SDK's jsapi_ticket (cgi-bin/ticket/getticket, also 7200 s, and with a small daily quota of fetches) is
 * kept the same way under its own key (`kind` 'jsapi_ticket').
 */
export class OaTokenCache {
  private readonly key: string;
  private readonly lockKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    appId: string,
    private readonly fetchToken: TokenFetcher,
    private readonly kind: 'token' | 'jsapi_ticket' = 'token',
  ) {
    this.key = `${prefix}:wechat-oa:${appId}:${kind}`;
    this.lockKey = `${this.key}:lock`;
  }

  async get(): Promise<string> {
    const deadline = Date.now() + LOCK_MS * 2;
    while (Date.now() < deadline) {
      const cached = await this.cached();
      if (cached) return cached;
      const owner = randomUUID();
      if ((await this.redis.set(this.lockKey, owner, 'PX', LOCK_MS, 'NX')) === 'OK') {
        try {
          // Someone may have stored a token between our read and our lock.
          const again = await this.cached();
          if (again) return again;
          const { token, expiresIn } = await this.fetchToken();
          const ttl = Math.max(60, expiresIn - EARLY_SECONDS);
          await this.redis.set(this.key, JSON.stringify({ token }), 'EX', ttl);
          return token;
        } finally {
          await this.redis.eval(RELEASE, 1, this.lockKey, owner);
        }
      }
      await sleep(POLL_MS);
    }
    throw new Error(`timed out waiting for another process to refresh the Official Account ${this.kind}`);
  }

  /** The platform said `token` is no good: forget it unless it was already replaced. */
  async invalidate(token: string): Promise<void> {
    await this.redis.eval(DROP_IF, 1, this.key, token);
  }

  private async cached(): Promise<string | undefined> {
    const raw = await this.redis.get(this.key);
    if (!raw) return undefined;
    try {
      return (JSON.parse(raw) as { token?: string }).token;
    } catch {
      return undefined;
    }
  }
}
