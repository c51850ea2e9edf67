import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/prisma-client';

/** 32 random bytes, base64url: what the server issues, and the only shape it accepts back. */
export const WEB_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;
/** A visit refreshes the expiry at most this often, so a chatty page does not write on every message. */
const TOUCH_EVERY_MS = 3_600_000;

export interface WebLogin {
  /** The chat id (channel identity) of the login; never shown to the browser. */
  id: string;
}

export const hashWebToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Web chat logins in PostgreSQL: the token lives only in the browser (or the calling tool), the table keeps
 * its hash, so neither a database dump nor the chat id can be turned into access to someone's chat.
 */
export function createWebLoginStore(db: Db, ttlDays: number) {
  const expiry = (now: Date) => new Date(now.getTime() + ttlDays * DAY_MS);
  return {
    async create(now = new Date()): Promise<WebLogin & { token: string }> {
      const token = randomBytes(32).toString('base64url');
      const row = await db.webLogin.create({
        data: { tokenHash: hashWebToken(token), expiresAt: expiry(now), lastSeenAt: now },
      });
      return { id: row.id, token };
    },

    /** The login a token belongs to, or undefined for a malformed, unknown or expired one. */
    async resolve(token: string, now = new Date()): Promise<WebLogin | undefined> {
      if (!WEB_TOKEN_PATTERN.test(token)) return undefined;
      const row = await db.webLogin.findUnique({ where: { tokenHash: hashWebToken(token) } });
      if (!row || row.expiresAt <= now) return undefined;
      if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await db.webLogin.update({
          where: { id: row.id },
          data: { lastSeenAt: now, expiresAt: expiry(now) },
        });
      }
      return { id: row.id };
    },

    /** Whether proactive messages can still reach this chat id. */
    async isActive(id: string, now = new Date()): Promise<boolean> {
      const row = await db.webLogin.findUnique({ where: { id }, select: { expiresAt: true } });
      return Boolean(row && row.expiresAt > now);
    },

    async purgeExpired(now = new Date()): Promise<number> {
      return (await db.webLogin.deleteMany({ where: { expiresAt: { lte: now } } })).count;
    },
  };
}

export type WebLoginStore = ReturnType<typeof createWebLoginStore>;
