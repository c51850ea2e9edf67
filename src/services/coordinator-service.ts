import { randomInt } from 'node:crypto';
import { courseInScope } from '../core/access-scope';
import type { BroadcastTarget } from '../core/broadcast/broadcast-request';
import { COUNTIES, type County, type Trade } from '../core/domain';
import type { CoordinatorAccess, CoordinatorRole, IdentityKey, RedeemOutcome } from '../core/outreach-ports';
import { redactIdNumbers, redactIdNumbersDeep } from '../core/people/mask';
import type { Db } from '../db/prisma-client';
import type { Prisma } from '../generated/prisma/client';
import { courseScopeWhere } from './access-scope';

/** No 0/O, 1/I/L: codes are read aloud and typed on phones. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

export interface InviteRequest {
  role: CoordinatorRole;
  courseCodes: string[];
  counties: County[];
  expiresDays: number;
  createdBy: string;
}

export function newInviteCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** Coordinator rights: invites, redemption, scope, and the audit log every coordinator action writes to. */
export function createCoordinatorService(db: Db, adminIdentities: readonly string[]) {
  const admins = new Set(adminIdentities);

  async function audit(
    actorId: string | null,
    action: string,
    target?: string,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    // Free text in an entry (a consent note, a file name) never keeps an ID number in the clear.
    await db.auditLog.create({
      data: {
        actorId,
        action,
        target: target === undefined ? undefined : redactIdNumbers(target),
        detail: detail === undefined ? undefined : (redactIdNumbersDeep(detail) as Prisma.InputJsonValue),
      },
    });
  }

  /** The courses a coordinator may see and change, as a filter (the rule itself: core/access-scope.ts). */
  const inScope = courseScopeWhere;

  return {
    audit,
    inScope,

    async access(
      personId: string | undefined,
      identity: IdentityKey,
    ): Promise<CoordinatorAccess | undefined> {
      if (admins.has(`${identity.channel}:${identity.externalId}`)) {
        return { role: 'admin', courseCodes: [], counties: [] };
      }
      if (personId === undefined) return undefined;
      const row = await db.coordinator.findUnique({ where: { personId } });
      if (!row) return undefined;
      return {
        role: row.role === 'admin' ? 'admin' : 'coordinator',
        courseCodes: row.courseScope,
        counties: row.countyScope,
        subsidyOfficer: row.subsidyOfficer,
      };
    },

    async createInvite(request: InviteRequest): Promise<{ code: string; expiresAt: Date }> {
      const expiresAt = new Date(Date.now() + request.expiresDays * 86_400_000);
      const code = newInviteCode();
      await db.coordinatorInvite.create({
        data: {
          code,
          role: request.role,
          courseScope: request.courseCodes,
          countyScope: request.counties,
          createdBy: request.createdBy,
          expiresAt,
        },
      });
      await audit(null, 'invite.created', code, {
        role: request.role,
        courses: request.courseCodes,
        counties: request.counties,
        createdBy: request.createdBy,
        expiresAt: expiresAt.toISOString(),
      });
      return { code, expiresAt };
    },

    /** One use per code, before it expires; the answer to a wrong, used or expired code is the same. */
    async redeemInvite(personId: string, code: string, now: Date): Promise<RedeemOutcome> {
      const outcome = await db.$transaction(async (tx) => {
        const used = await tx.coordinatorInvite.updateMany({
          where: { code: code.toUpperCase(), usedAt: null, expiresAt: { gt: now } },
          data: { usedAt: now, usedBy: personId },
        });
        if (used.count !== 1) return undefined;
        const invite = await tx.coordinatorInvite.findUniqueOrThrow({ where: { code: code.toUpperCase() } });
        const existing = await tx.coordinator.findUnique({ where: { personId } });
        const merged = {
          role: invite.role === 'admin' || existing?.role === 'admin' ? 'admin' : 'coordinator',
          courseScope: [...new Set([...(existing?.courseScope ?? []), ...invite.courseScope])],
          countyScope: [...new Set([...(existing?.countyScope ?? []), ...invite.countyScope])],
        };
        await tx.coordinator.upsert({ where: { personId }, create: { personId, ...merged }, update: merged });
        return merged;
      });
      if (!outcome) {
        await audit(personId, 'invite.rejected', code.slice(0, 16));
        return { status: 'invalid' };
      }
      await audit(personId, 'invite.redeemed', code, outcome);
      return {
        status: 'ok',
        access: {
          role: outcome.role as CoordinatorRole,
          courseCodes: outcome.courseScope,
          counties: outcome.countyScope,
        },
      };
    },

    /** Classes the coordinator may notify: courses in scope that are open or running (not drafts or cancelled). */
    async targets(access: CoordinatorAccess, _now: Date): Promise<BroadcastTarget[]> {
      const rows = await db.course.findMany({
        where: { ...inScope(access), status: { in: ['open', 'closed'] } },
        select: { code: true, title: true, titleEn: true, trade: true, county: true },
        orderBy: { code: 'asc' },
      });
      return rows.map((r) => ({
        code: r.code,
        title: { 'zh-CN': r.title, en: r.titleEn ?? r.title },
        trade: r.trade as Trade,
        county: r.county as County,
      }));
    },

    /**
     * Coordinators (not admins) responsible for one course: those whose scope holds it. The query narrows
     * the rows; core/access-scope.ts decides, as everywhere else.
     */
    async responsibleFor(course: { code: string; county: string }): Promise<string[]> {
      const rows = await db.coordinator.findMany({
        where: {
          role: 'coordinator',
          OR: [{ courseScope: { has: course.code } }, { countyScope: { has: course.county } }],
        },
        select: { personId: true, courseScope: true, countyScope: true },
      });
      return rows
        .filter((r) =>
          courseInScope({ role: 'coordinator', courseCodes: r.courseScope, counties: r.countyScope }, course),
        )
        .map((r) => r.personId);
    },
  };
}

export type CoordinatorService = ReturnType<typeof createCoordinatorService>;

/** "镇雄县", "镇雄", "zhenxiong" → zhenxiong. */
export function parseCounty(input: string, names: Record<string, string>): County | undefined {
  const wanted = input.trim().toLowerCase();
  if ((COUNTIES as readonly string[]).includes(wanted)) return wanted as County;
  const found = Object.entries(names).find(
    ([, name]) => name === input.trim() || name.replace(/[县区市]$/, '') === input.trim(),
  );
  return found?.[0] as County | undefined;
}
