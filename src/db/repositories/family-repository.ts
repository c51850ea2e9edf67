import type pg from 'pg';
import type { County, FamilyRelation, Group } from '../../core/domain';
import type { PiiCipher } from '../../core/people/pii-crypto';
import type { FamilyMember, FamilyRepository } from '../../core/ports';
import type { Db } from '../prisma-client';
import { courseWithSessions, toCourseView } from './courses-repository';
import { idFacts } from './people-repository';
import { sqlRunner } from './sql-runner';

/** The audit action of a guardian's consent to a minor's sign-up. */
export const GUARDIAN_CONSENT_ACTION = 'enrolment.guardian_consent';

interface MemberRow {
  id: string;
  realName: string | null;
  phone: string | null;
  idNumberEnc: string | null;
  groups: string[];
  county?: string | null;
}

const MEMBER_SELECT = {
  id: true,
  realName: true,
  phone: true,
  idNumberEnc: true,
  groups: true,
  county: true,
} as const;

/** Whether any member linked to the proxy ($1) has a listed sign-up: most have none (see HAS_ACTIVE_SQL). */
const FAMILY_HAS_ACTIVE_SQL = `
  SELECT 1 FROM family_links f
  JOIN people p ON p.id = f.member_id AND p.deleted_at IS NULL
  JOIN enrolments e ON e.person_id = f.member_id AND e.status IN ('confirmed', 'waitlisted', 'attended')
  WHERE f.proxy_id = $1::uuid LIMIT 1`;

/**
 * Family members recorded by a proxy (the person chatting) and the link between them. A member has no chat
 * identity: the proxy is the one who sees their sign-ups, cancels them and is reminded. A proxy reaches only
 * members linked to them, whatever id is asked for.
 *
 * `pool` (the runtime's `pg` pool) carries the cheap checks a turn makes before a Prisma read, when given.
 */
export function createFamilyRepository(db: Db, cipher: PiiCipher, pool?: pg.Pool): FamilyRepository {
  const sql = sqlRunner(db, pool, new Map([[FAMILY_HAS_ACTIVE_SQL, 'jineng_family_has_active']]));
  const toMember = (p: MemberRow, relation: string): FamilyMember => ({
    id: p.id,
    relation: relation as FamilyRelation,
    realName: p.realName ?? undefined,
    phone: p.phone ?? undefined,
    hasIdNumber: Boolean(p.idNumberEnc),
    birthDate: idFacts(p.idNumberEnc ? cipher.decrypt(p.idNumberEnc) : undefined).birthDate,
    groups: p.groups as Group[],
    county: (p.county as County | null) ?? undefined,
  });

  const links = (proxyId: string) =>
    db.familyLink.findMany({
      where: { proxyId, member: { deletedAt: null } },
      include: { member: { select: MEMBER_SELECT } },
      orderBy: { createdAt: 'asc' },
    });

  return {
    async addMember(proxyId, relation, realName, locale, consentAt) {
      const member = await db.person.create({
        data: {
          locale,
          realName,
          consentProfileAt: consentAt,
          familyProxies: { create: { proxyId, relation } },
        },
        select: MEMBER_SELECT,
      });
      return toMember(member, relation);
    },

    async member(proxyId, memberId) {
      const link = await db.familyLink.findUnique({
        where: { proxyId_memberId: { proxyId, memberId } },
        include: { member: { select: { ...MEMBER_SELECT, deletedAt: true } } },
      });
      if (!link || link.member.deletedAt) return undefined;
      return toMember(link.member, link.relation);
    },

    async members(proxyId) {
      return (await links(proxyId)).map((l) => toMember(l.member, l.relation));
    },

    async recordGuardianConsent(proxyId, memberId, courseCode, at) {
      const link = await db.familyLink.findUnique({
        where: { proxyId_memberId: { proxyId, memberId } },
        select: { relation: true },
      });
      await db.auditLog.create({
        data: {
          actorId: proxyId,
          action: GUARDIAN_CONSENT_ACTION,
          target: courseCode,
          detail: { memberId, relation: link?.relation ?? null, consentAt: at.toISOString() },
        },
      });
    },

    async listEnrolments(proxyId, now) {
      if ((await sql.query(FAMILY_HAS_ACTIVE_SQL, [proxyId])).length === 0) return [];
      const rows = await db.enrolment.findMany({
        where: {
          status: { in: ['confirmed', 'waitlisted', 'attended'] },
          person: { deletedAt: null, familyProxies: { some: { proxyId } } },
        },
        include: {
          course: { include: courseWithSessions },
          person: {
            select: { realName: true, familyProxies: { where: { proxyId }, select: { relation: true } } },
          },
        },
        orderBy: { createdAt: 'asc' },
      });
      return Promise.all(
        rows.map(async (r) => ({
          course: toCourseView(r.course, now),
          status: r.status as 'confirmed' | 'waitlisted' | 'attended',
          position: r.waitlistPosition
            ? await db.enrolment.count({
                where: {
                  courseId: r.courseId,
                  status: 'waitlisted',
                  waitlistPosition: { lte: r.waitlistPosition },
                },
              })
            : undefined,
          member: {
            id: r.personId,
            realName: r.person.realName ?? undefined,
            relation: (r.person.familyProxies[0]?.relation ?? 'other') as FamilyRelation,
          },
        })),
      );
    },
  };
}
