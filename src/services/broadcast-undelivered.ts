import type { Undelivered } from '../core/outreach-ports';
import { maskName, maskPhone } from '../core/people/mask';
import type { Db } from '../db/prisma-client';

/** People listed by name in a report; the counts by reason cover the rest. */
export const UNDELIVERED_LISTED = 20;

/**
 * Who a notice did not reach (failed delivery rows of people, not of group chats), masked as on every other
 * screen, with the reason's code (the error's first word, as the tally counts it); people without a name on
 * record are listed by masked phone, or as "a trainee". The first `limit`, and how many there are.
 */
export async function undeliveredOf(
  db: Db,
  broadcastId: string,
  limit = UNDELIVERED_LISTED,
): Promise<{ undelivered: Undelivered[]; undeliveredTotal: number }> {
  const where = {
    broadcastId,
    status: 'failed',
    personId: { not: null },
    NOT: { key: { contains: ':group:' } },
  };
  const [rows, undeliveredTotal] = await Promise.all([
    db.delivery.findMany({
      where,
      select: { error: true, person: { select: { realName: true, phone: true, deletedAt: true } } },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    }),
    db.delivery.count({ where }),
  ]);
  const undelivered = rows.map((r) => {
    const person = r.person && !r.person.deletedAt ? r.person : undefined;
    return {
      name: person?.realName ? maskName(person.realName) : undefined,
      phone: person?.phone ? maskPhone(person.phone) : undefined,
      reason: (r.error ?? 'other').split(':')[0]!,
    };
  });
  return { undelivered, undeliveredTotal };
}
