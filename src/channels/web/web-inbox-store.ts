import type { Db } from '../../db/prisma-client';

/** One proactive message part waiting for, or already shown on, a web chat page. */
export interface InboxItem {
  /** Increasing per database: the SSE event id, and the order pages show messages in. */
  id: string;
  text: string;
  choices: string[];
}

const toItem = (r: { id: bigint; text: string; choices: string[] }): InboxItem => ({
  id: r.id.toString(),
  text: r.text,
  choices: r.choices,
});

/** Proactive messages for web chats, kept in PostgreSQL until a page has been sent them (or they expire). */
export function createWebInboxStore(db: Db, keepDays: number) {
  return {
    /** Stores the parts of one message, in order. */
    async add(loginId: string, parts: { text: string; choices: string[] }[]): Promise<InboxItem[]> {
      const rows = await db.$transaction(
        parts.map((p) => db.webInboxMessage.create({ data: { loginId, text: p.text, choices: p.choices } })),
      );
      return rows.map(toItem);
    },

    /**
     * Stores the parts of one delivery once, however often it is sent (an in-doubt resend after a crash):
     * `stored` are the parts this call wrote, `waiting` those no page has been sent yet, new or not.
     */
    async addOnce(
      loginId: string,
      deliveryKey: string,
      parts: { text: string; choices: string[] }[],
    ): Promise<{ stored: number; waiting: InboxItem[] }> {
      const keys = parts.map((_, i) => `${deliveryKey}#${i + 1}`);
      const { count } = await db.webInboxMessage.createMany({
        data: parts.map((p, i) => ({ loginId, text: p.text, choices: p.choices, deliveryKey: keys[i] })),
        skipDuplicates: true,
      });
      const rows = await db.webInboxMessage.findMany({
        where: { loginId, deliveryKey: { in: keys }, deliveredAt: null },
        orderBy: { id: 'asc' },
      });
      return { stored: count, waiting: rows.map(toItem) };
    },

    async undelivered(loginId: string): Promise<InboxItem[]> {
      const rows = await db.webInboxMessage.findMany({
        where: { loginId, deliveredAt: null },
        orderBy: { id: 'asc' },
        take: 200,
      });
      return rows.map(toItem);
    },

    async markDelivered(ids: readonly string[], now = new Date()): Promise<void> {
      if (!ids.length) return;
      await db.webInboxMessage.updateMany({
        where: { id: { in: ids.map((id) => BigInt(id)) }, deliveredAt: null },
        data: { deliveredAt: now },
      });
    },

    async purgeOld(now = new Date()): Promise<number> {
      const before = new Date(now.getTime() - keepDays * 86_400_000);
      return (await db.webInboxMessage.deleteMany({ where: { createdAt: { lt: before } } })).count;
    },
  };
}

export type WebInboxStore = ReturnType<typeof createWebInboxStore>;
