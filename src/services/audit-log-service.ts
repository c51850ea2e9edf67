import type { CoordinatorAccess } from '../core/outreach-ports';
import { redactIdNumbers, redactIdNumbersDeep } from '../core/people/mask';
import type { Db } from '../db/prisma-client';

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
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
      const accounts = await db.consoleAccount.findMany({
        where: { personId: { in: ids } },
        select: { personId: true, username: true },
      });
      const names = new Map(accounts.map((a) => [a.personId, a.username]));
      return rows.map((r) => ({
        id: r.id.toString(),
        at: r.createdAt,
        actor: r.actorId ? (names.get(r.actorId) ?? r.actorId.slice(0, 8)) : '—',
        action: r.action,
        // Free text (a consent's relation, a file name) may hold an ID number: masked before it is shown,
        // and before the detail is cut, so a cut never leaves part of one in the clear.
        target: r.target === null ? null : redactIdNumbers(r.target),
        detail: r.detail === null ? '' : JSON.stringify(redactIdNumbersDeep(r.detail)).slice(0, 300),
      }));
    },
  };
}

export type AuditLogReader = ReturnType<typeof createAuditLog>;
