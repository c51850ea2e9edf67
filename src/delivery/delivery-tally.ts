import type { Db } from '../db/prisma-client';

/** Where a broadcast's messages stand, counted from its delivery rows. */
export interface DeliveryTally {
  sent: number;
  /** Not yet sent: waiting in the queue, held back by a daily cap, or being sent. */
  pending: number;
  /** Failed messages by reason (the error's first word: blocked, no_reachable_channel, network…). */
  failed: { reason: string; count: number }[];
  /** Sent after a crash left it unknown whether an earlier attempt arrived: may have been received twice. */
  inDoubt: number;
  /** The linked group chats among the rows (keys broadcast:<id>:group:…), and how many of them got it. */
  groups: { total: number; sent: number };
}

/** One tally for the chat report, the console and the coordinator's "done" message. */
export async function tallyDeliveries(db: Db, broadcastId: string): Promise<DeliveryTally> {
  const [rows, groupRows] = await Promise.all([
    db.delivery.groupBy({ by: ['status', 'error', 'inDoubt'], where: { broadcastId }, _count: true }),
    db.delivery.groupBy({
      by: ['status'],
      where: { broadcastId, key: { contains: ':group:' } },
      _count: true,
    }),
  ]);
  const count = (statuses: string[]) =>
    rows.filter((g) => statuses.includes(g.status)).reduce((n, g) => n + g._count, 0);
  const failed = new Map<string, number>();
  for (const g of rows.filter((x) => x.status === 'failed')) {
    const reason = (g.error ?? 'other').split(':')[0]!;
    failed.set(reason, (failed.get(reason) ?? 0) + g._count);
  }
  return {
    sent: count(['sent']),
    pending: count(['pending', 'sending']),
    failed: [...failed].map(([reason, n]) => ({ reason, count: n })),
    inDoubt: rows.filter((g) => g.inDoubt && g.status === 'sent').reduce((n, g) => n + g._count, 0),
    groups: {
      total: groupRows.reduce((n, g) => n + g._count, 0),
      sent: groupRows.find((g) => g.status === 'sent')?._count ?? 0,
    },
  };
}
