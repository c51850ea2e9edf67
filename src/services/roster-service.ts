import type { CoordinatorAccess } from '../core/outreach-ports';
import { maskIdNumber } from '../core/people/mask';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { Db } from '../db/prisma-client';
import type { CoordinatorService } from './coordinator-service';

export interface RosterRow {
  /** For the page's per-person actions; never exported. */
  enrolmentId: string;
  /** The person deleted their data (the row stays, anonymous, for attendance counts). */
  deleted: boolean;
  name: string;
  phone: string;
  /** 5306**********123X; the number itself never leaves this function. */
  idNumber: string;
  /** The person typed an ID number someone else had registered first (person.id_clash): staff check it. */
  idToCheck?: boolean;
  status: string;
  waitlistPosition?: number;
  source: string;
  channel: string;
  enrolledAt: Date;
  /** The class sessions this person asked leave for ("周二来不了"), soonest first, with the reason given. */
  leave?: { startsAt: Date; reason?: string }[];
}

const ORDER: Record<string, number> = { confirmed: 0, attended: 1, waitlisted: 2, cancelled: 3 };

/** A course's sign-ups for its coordinators, with ID numbers masked; reading it is audited. */
export function createRoster(db: Db, cipher: PiiCipher, coordinators: CoordinatorService) {
  return {
    async forCourse(
      access: CoordinatorAccess,
      code: string,
      actorId: string,
      purpose: 'viewed' | 'exported',
    ) {
      const course = await db.course.findFirst({
        where: { AND: [coordinators.inScope(access), { code: code.toUpperCase() }] },
        include: {
          enrolments: {
            include: { person: { include: { identities: { select: { channel: true }, take: 1 } } } },
            orderBy: [{ createdAt: 'asc' }],
          },
        },
      });
      if (!course) return undefined;
      const leave = await leaveByEnrolment(
        db,
        course.enrolments.map((e) => e.id),
      );
      const rows: RosterRow[] = course.enrolments
        .map((e) => ({
          enrolmentId: e.id,
          deleted: Boolean(e.person.deletedAt),
          name: e.person.realName ?? '',
          phone: e.person.phone ?? '',
          idNumber: e.person.idNumberEnc ? maskIdNumber(cipher.decrypt(e.person.idNumberEnc)) : '',
          idToCheck: Boolean(e.person.idNumberEnc && !e.person.idNumberHash),
          status: e.status,
          waitlistPosition: e.waitlistPosition ?? undefined,
          source: e.source,
          channel: e.person.identities[0]?.channel ?? '',
          enrolledAt: e.createdAt,
          leave: leave.get(e.id) ?? [],
        }))
        .sort(
          (a, b) =>
            (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) ||
            (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0),
        );
      await coordinators.audit(actorId, `roster.${purpose}`, course.code, { rows: rows.length });
      return { course, rows };
    },
  };
}

export type Roster = ReturnType<typeof createRoster>;

/** The sessions each sign-up asked leave for (LeaveRequest), by enrolment id. */
async function leaveByEnrolment(
  db: Db,
  enrolmentIds: string[],
): Promise<Map<string, NonNullable<RosterRow['leave']>>> {
  const byEnrolment = new Map<string, NonNullable<RosterRow['leave']>>();
  if (!enrolmentIds.length) return byEnrolment;
  const requests = await db.leaveRequest.findMany({ where: { enrolmentId: { in: enrolmentIds } } });
  if (!requests.length) return byEnrolment;
  const sessions = await db.classSession.findMany({
    where: { id: { in: requests.map((r) => r.sessionId) } },
    select: { id: true, startsAt: true },
  });
  const startOf = new Map(sessions.map((s) => [s.id, s.startsAt]));
  for (const r of requests) {
    const start = startOf.get(r.sessionId);
    if (!start) continue;
    byEnrolment.set(r.enrolmentId, [
      ...(byEnrolment.get(r.enrolmentId) ?? []),
      { startsAt: start, reason: r.reason ?? undefined },
    ]);
  }
  for (const list of byEnrolment.values()) list.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return byEnrolment;
}
