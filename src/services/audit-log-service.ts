import type { CoordinatorAccess } from '../core/outreach-ports';
import { redactIdNumbers, redactIdNumbersDeep } from '../core/people/mask';
import type { Db } from '../db/prisma-client';

export interface AuditEntry {
  id: string;
  at: Date;
  /** Who did it, as staff know them: the console username, else the name on record; null for the system. */
  actor: string | null;
  action: string;
  target: string | null;
  /** The entry's detail object (ID numbers masked), for the sentence's numbers ("32 人"). */
  facts: Record<string, unknown>;
  /** The same, as masked JSON text (cut to 300 characters). */
  detail: string;
}

/** The audit log as the console shows it: admins see every entry, a coordinator their own; ID numbers masked. */
export function createAuditLog(db: Db) {
  return {
    async list(
      access: CoordinatorAccess,
      actorId: string,
      before?: bigint,
      limit = 100,
    ): Promise<AuditEntry[]> {
      const rows = await db.auditLog.findMany({
        where: {
          ...(access.role === 'admin' ? {} : { actorId }),
          ...(before ? { id: { lt: before } } : {}),
        },
        orderBy: { id: 'desc' },
        take: limit,
      });
      const ids = [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))];
      const [accounts, people] = await Promise.all([
        db.consoleAccount.findMany({
          where: { personId: { in: ids } },
          select: { personId: true, username: true },
        }),
        // Staff by name; anyone else (a trainee refused a coordinator command) only by a short id.
        db.person.findMany({
          where: { id: { in: ids }, coordinator: { isNot: null } },
          select: { id: true, realName: true },
        }),
      ]);
      const names = new Map(people.flatMap((p) => (p.realName ? [[p.id, p.realName] as const] : [])));
      for (const a of accounts) names.set(a.personId, a.username);
      return rows.map((r) => {
        const masked = r.detail === null ? null : redactIdNumbersDeep(r.detail);
        return {
          id: r.id.toString(),
          at: r.createdAt,
          actor: r.actorId ? (names.get(r.actorId) ?? r.actorId.slice(0, 8)) : null,
          action: r.action,
          // Free text (a consent's relation, a file name) may hold an ID number: masked before it is shown,
          // and before the detail is cut, so a cut never leaves part of one in the clear.
          target: r.target === null ? null : redactIdNumbers(r.target),
          facts:
            masked && typeof masked === 'object' && !Array.isArray(masked)
              ? (masked as Record<string, unknown>)
              : {},
          detail: masked === null ? '' : JSON.stringify(masked).slice(0, 300),
        };
      });
    },
  };
}

export type AuditLogReader = ReturnType<typeof createAuditLog>;
