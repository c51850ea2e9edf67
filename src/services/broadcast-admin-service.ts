import type { CoordinatorAccess, Undelivered } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import { tallyDeliveries } from '../delivery/delivery-tally';
import { undeliveredOf } from './broadcast-undelivered';
import type { CoordinatorService } from './coordinator-service';

export interface DeliveryReport {
  id: string;
  course: { code: string; title: string; titleEn: string | null };
  text: string;
  status: string;
  author: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
  completedAt: Date | null;
  recipients: number;
  sent: number;
  pending: number;
  failed: { reason: string; count: number }[];
  /** Sent after a crash left it unknown whether an earlier attempt arrived: may have been received twice. */
  inDoubt: number;
  /** Who it did not reach, masked, with the reason (the first CONSOLE_LISTED), and how many in all. */
  undelivered: Undelivered[];
  undeliveredTotal: number;
}

/** People listed by name on the console's report page. */
const CONSOLE_LISTED = 200;

/** Broadcasts of the courses in a coordinator's scope, and the delivery report of one, from the ledger. */
export function createBroadcastAdmin(db: Db, coordinators: CoordinatorService) {
  const authors = async (ids: string[]) => {
    const rows = await db.consoleAccount.findMany({
      where: { personId: { in: ids } },
      select: { personId: true, username: true },
    });
    return new Map(rows.map((r) => [r.personId, r.username]));
  };

  return {
    async list(access: CoordinatorAccess, courseCode?: string) {
      const rows = await db.broadcast.findMany({
        where: {
          course: { AND: [coordinators.inScope(access), courseCode ? { code: courseCode } : {}] },
          status: { in: ['sending', 'completed'] },
        },
        include: { course: { select: { code: true, title: true, titleEn: true } } },
        orderBy: { createdAt: 'desc' },
        take: 100,
      });
      const names = await authors([...new Set(rows.map((r) => r.authorId))]);
      return rows.map((r) => ({ ...r, author: names.get(r.authorId) ?? null }));
    },

    /** Whether the broadcast is of a course in the coordinator's scope (before anything is done with it). */
    async inScope(access: CoordinatorAccess, id: string): Promise<boolean> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
      return (await db.broadcast.count({ where: { id, course: coordinators.inScope(access) } })) > 0;
    },

    /** A read of counts (no personal data), refreshed while sending: not written to the audit log. */
    async report(access: CoordinatorAccess, id: string): Promise<DeliveryReport | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const b = await db.broadcast.findFirst({
        where: { id, course: coordinators.inScope(access) },
        include: { course: { select: { code: true, title: true, titleEn: true } } },
      });
      if (!b) return undefined;
      const tally = await tallyDeliveries(db, id);
      return {
        id: b.id,
        course: b.course,
        text: b.text,
        status: b.status,
        author: (await authors([b.authorId])).get(b.authorId) ?? null,
        createdAt: b.createdAt,
        confirmedAt: b.confirmedAt,
        completedAt: b.completedAt,
        recipients: b.recipients,
        sent: tally.sent,
        pending: tally.pending,
        failed: tally.failed,
        inDoubt: tally.inDoubt,
        ...(tally.failed.length
          ? await undeliveredOf(db, id, CONSOLE_LISTED)
          : { undelivered: [], undeliveredTotal: 0 }),
      };
    },
  };
}

export type BroadcastAdmin = ReturnType<typeof createBroadcastAdmin>;
