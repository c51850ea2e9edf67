import type { BroadcastTarget } from '../core/broadcast/broadcast-request';
import type { County, Trade } from '../core/domain';
import type { ChatRoster, CoordinatorAccess, LeaveListEntry } from '../core/outreach-ports';
import { maskIdNumber, maskName, maskPhone } from '../core/people/mask';
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
  /**
   * 5306**********123X; the number itself leaves this function only for a subsidy officer's full export
   * (`purpose: 'exported_full'`), which is audited.
   */
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

/** Rows of a roster shown in chat; the rest are counted, and the console has them all. */
const CHAT_ROWS = 30;
/** Leave requests listed in chat at most. */
const CHAT_LEAVE = 30;

/** What a roster is read for: every one is audited under `roster.<purpose>`. */
export type RosterPurpose = 'viewed' | 'exported' | 'exported_full';

/**
 * A course's sign-ups for its coordinators, with ID numbers masked; reading it is audited. Only a subsidy
 * officer's full export carries the ID numbers in full (subsidy claims need them), and only for a course in
 * their scope; everyone else asking for it gets the masked one.
 */
export function createRoster(db: Db, cipher: PiiCipher, coordinators: CoordinatorService) {
  const toTarget = (c: {
    code: string;
    title: string;
    titleEn: string | null;
    trade: string;
    county: string;
  }): BroadcastTarget => ({
    code: c.code,
    title: { 'zh-CN': c.title, en: c.titleEn ?? c.title },
    trade: c.trade as Trade,
    county: c.county as County,
  });

  const roster = {
    /** Whether this access may have the ID numbers in full. */
    mayExportFull: (access: CoordinatorAccess) => access.subsidyOfficer === true,

    async forCourse(access: CoordinatorAccess, code: string, actorId: string, asked: RosterPurpose) {
      const purpose: RosterPurpose =
        asked === 'exported_full' && access.subsidyOfficer !== true ? 'exported' : asked;
      const full = purpose === 'exported_full';
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
          idNumber: e.person.idNumberEnc
            ? full
              ? cipher.decrypt(e.person.idNumberEnc)
              : maskIdNumber(cipher.decrypt(e.person.idNumberEnc))
            : '',
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
      const onLeave = rows.filter((r) => r.leave?.length).length;
      await coordinators.audit(actorId, `roster.${purpose}`, course.code, {
        rows: rows.length,
        ...(full ? { idNumbers: rows.filter((r) => r.idNumber).length } : {}),
        ...(onLeave ? { onLeave } : {}),
      });
      return { course, rows, full };
    },

    /** The roster as a coordinator reads it in chat: names and phones masked, no ID numbers; audited. */
    async forChat(
      personId: string,
      access: CoordinatorAccess,
      code: string,
    ): Promise<ChatRoster | undefined> {
      const found = await roster.forCourse(access, code, personId, 'viewed');
      if (!found) return undefined;
      const live = found.rows.filter(
        (r) =>
          !r.deleted && (r.status === 'confirmed' || r.status === 'attended' || r.status === 'waitlisted'),
      );
      return {
        course: toTarget(found.course),
        rows: live.slice(0, CHAT_ROWS).map((r) => ({
          name: r.name ? maskName(r.name) : undefined,
          phone: r.phone ? maskPhone(r.phone) : undefined,
          status: r.status,
          waitlistPosition: r.waitlistPosition,
          leave: (r.leave ?? []).map((l) => l.startsAt),
        })),
        total: live.length,
        confirmed: live.filter((r) => r.status !== 'waitlisted').length,
        waitlisted: live.filter((r) => r.status === 'waitlisted').length,
      };
    },

    /** Leave requests for class sessions still to come, of the courses in scope (or one); audited. */
    async leaveList(
      personId: string,
      access: CoordinatorAccess,
      code: string | undefined,
      now: Date,
    ): Promise<LeaveListEntry[]> {
      const courses = await db.course.findMany({
        where: { AND: [coordinators.inScope(access), code ? { code: code.toUpperCase() } : {}] },
        select: { id: true, code: true, title: true, titleEn: true },
      });
      const byId = new Map(courses.map((c) => [c.id, c]));
      const sessions = await db.classSession.findMany({
        where: { courseId: { in: [...byId.keys()] }, startsAt: { gte: now }, cancelled: false },
        select: { id: true, courseId: true, startsAt: true },
      });
      const sessionById = new Map(sessions.map((s) => [s.id, s]));
      const requests = sessions.length
        ? await db.leaveRequest.findMany({ where: { sessionId: { in: [...sessionById.keys()] } } })
        : [];
      const enrolments = requests.length
        ? await db.enrolment.findMany({
            where: { id: { in: requests.map((r) => r.enrolmentId) } },
            select: {
              id: true,
              status: true,
              person: { select: { realName: true, phone: true, deletedAt: true } },
            },
          })
        : [];
      const enrolmentById = new Map(enrolments.map((e) => [e.id, e]));
      const entries: LeaveListEntry[] = [];
      for (const r of requests) {
        const session = sessionById.get(r.sessionId);
        const enrolment = enrolmentById.get(r.enrolmentId);
        const course = session && byId.get(session.courseId);
        if (
          !session ||
          !course ||
          !enrolment ||
          enrolment.status === 'cancelled' ||
          enrolment.person.deletedAt
        )
          continue;
        entries.push({
          course: { code: course.code, title: { 'zh-CN': course.title, en: course.titleEn ?? course.title } },
          startsAt: session.startsAt,
          name: enrolment.person.realName ? maskName(enrolment.person.realName) : undefined,
          phone: enrolment.person.phone ? maskPhone(enrolment.person.phone) : undefined,
          reason: r.reason ?? undefined,
        });
      }
      entries.sort(
        (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.course.code.localeCompare(b.course.code),
      );
      await coordinators.audit(personId, 'roster.leave_viewed', code?.toUpperCase(), {
        rows: entries.length,
      });
      return entries.slice(0, CHAT_LEAVE);
    },
  };
  return roster;
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
