import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/prisma-client';

/** 32 random bytes, base64url: what the server issues, and the only shape it accepts back. */
export const WEB_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;
/** A visit refreshes the expiry at most this often, so a chatty page does not write on every message. */
const TOUCH_EVERY_MS = 3_600_000;

export interface WebSession {
  /** The chat id (channel identity) of the session; never shown to the browser. */
  id: string;
}

export const hashWebToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Web chat sessions in PostgreSQL: the token lives only in the browser (or the calling tool), the table keeps
 * its hash, so neither a database dump nor the chat id can be turned into access to someone's chat.
 */
export function createWebSessionStore(db: Db, ttlDays: number) {
  const expiry = (now: Date) => new Date(now.getTime() + ttlDays * DAY_MS);
  return {
    async create(now = new Date()): Promise<WebSession & { token: string }> {
      const token = randomBytes(32).toString('base64url');
      const row = await db.webSession.create({
        data: { tokenHash: hashWebToken(token), expiresAt: expiry(now), lastSeenAt: now },
      });
      return { id: row.id, token };
    },

    /** The session a token belongs to, or undefined for a malformed, unknown or expired one. */
    async resolve(token: string, now = new Date()): Promise<WebSession | undefined> {
      if (!WEB_TOKEN_PATTERN.test(token)) return undefined;
      const row = await db.webSession.findUnique({ where: { tokenHash: hashWebToken(token) } });
      if (!row || row.expiresAt <= now) return undefined;
      if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await db.webSession.update({
          where: { id: row.id },
          data: { lastSeenAt: now, expiresAt: expiry(now) },
        });
      }
      return { id: row.id };
    },

    /** Whether proactive messages can still reach this chat id. */
    async isActive(id: string, now = new Date()): Promise<boolean> {
      const row = await db.webSession.findUnique({ where: { id }, select: { expiresAt: true } });
      return Boolean(row && row.expiresAt > now);
    },

    async purgeExpired(now = new Date()): Promise<number> {
      return (await db.webSession.deleteMany({ where: { expiresAt: { lte: now } } })).count;
    },
  };
}

export type WebSessionStore = ReturnType<typeof createWebSessionStore>;
