import { type ShownCode, shownCode } from '../core/attendance/checkin-code';
import {
  type AttendanceStatus,
  type CheckinRules,
  type CheckinWindow,
  checkinWindow,
  type EffectiveAttendance,
  effectiveAttendance,
  type WindowState,
  windowState,
} from '../core/attendance/checkin-rules';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import type { CoordinatorService } from './coordinator-service';

export interface CheckinConsoleDeps {
  db: Db;
  secret: string;
  rules: CheckinRules;
  coordinators: Pick<CoordinatorService, 'audit' | 'inScope'>;
}

const ACTIVE = ['confirmed', 'attended'];

export interface SessionSummary {
  id: string;
  number: number;
  startsAt: Date;
  endsAt: Date;
  venue: string;
  cancelled: boolean;
  state: WindowState;
  counts: Record<EffectiveAttendance, number>;
}

export interface AttendanceRow {
  enrolmentId: string;
  name: string;
  phoneTail: string;
  deleted: boolean;
  status: EffectiveAttendance;
  method?: string;
  checkedInAt?: Date;
  leaveReason?: string;
  /** Set when a coordinator marked it by hand. */
  marked: boolean;
}

const emptyCounts = (): Record<EffectiveAttendance, number> => ({
  present: 0,
  late: 0,
  absent: 0,
  excused: 0,
  open: 0,
  upcoming: 0,
  cancelled: 0,
});

/** The console's attendance pages: per course, per session, the projector's code, and hand corrections (audited). */
export function createCheckinConsole(deps: CheckinConsoleDeps) {
  const { db, rules } = deps;

  async function course(access: CoordinatorAccess, code: string) {
    return db.course.findFirst({
      where: { AND: [deps.coordinators.inScope(access), { code: code.toUpperCase() }] },
      select: {
        id: true,
        code: true,
        title: true,
        titleEn: true,
        sessions: {
          select: { id: true, startsAt: true, endsAt: true, venue: true, cancelled: true },
          orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        },
      },
    });
  }
  type Course = NonNullable<Awaited<ReturnType<typeof course>>>;

  async function sessionOf(access: CoordinatorAccess, code: string, n: number) {
    const found = await course(access, code);
    const s = found?.sessions[n - 1];
    if (!found || !s) return undefined;
    return { course: found, session: { ...s, number: n } };
  }

  async function rowsFor(c: Course, sessionIds: string[]) {
    const enrolments = await db.enrolment.findMany({
      where: { courseId: c.id, status: { in: ACTIVE } },
      select: {
        id: true,
        person: {
          select: {
            realName: true,
            phone: true,
            deletedAt: true,
            identities: { select: { displayName: true }, take: 1 },
          },
        },
      },
      orderBy: { createdAt: 'asc' },
    });
    const ids = enrolments.map((e) => e.id);
    const [marks, leave] = await Promise.all([
      db.attendance.findMany({ where: { enrolmentId: { in: ids }, sessionId: { in: sessionIds } } }),
      db.leaveRequest.findMany({ where: { enrolmentId: { in: ids }, sessionId: { in: sessionIds } } }),
    ]);
    const key = (e: string, s: string) => `${e}|${s}`;
    return {
      enrolments,
      mark: new Map(marks.map((m) => [key(m.enrolmentId, m.sessionId), m])),
      leave: new Map(leave.map((l) => [key(l.enrolmentId, l.sessionId), l])),
      key,
    };
  }

  function effective(
    s: { id: string; startsAt: Date; cancelled: boolean },
    enrolmentId: string,
    data: Awaited<ReturnType<typeof rowsFor>>,
    now: Date,
  ) {
    const mark = data.mark.get(data.key(enrolmentId, s.id));
    const leave = data.leave.get(data.key(enrolmentId, s.id));
    const status = effectiveAttendance({
      recorded: mark?.status,
      leave: Boolean(leave),
      startsAt: s.startsAt,
      cancelled: s.cancelled,
      now,
      rules,
    });
    return { status, mark, leave };
  }

  return {
    rules,

    async overview(access: CoordinatorAccess, code: string, now: Date) {
      const c = await course(access, code);
      if (!c) return undefined;
      const data = await rowsFor(
        c,
        c.sessions.map((s) => s.id),
      );
      const sessions: SessionSummary[] = c.sessions.map((s, i) => {
        const counts = emptyCounts();
        for (const e of data.enrolments) counts[effective(s, e.id, data, now).status]++;
        return { ...s, number: i + 1, state: windowState(now, s.startsAt, rules), counts };
      });
      return { course: c, sessions, trainees: data.enrolments.length };
    },

    async session(access: CoordinatorAccess, code: string, n: number, now: Date) {
      const found = await sessionOf(access, code, n);
      if (!found) return undefined;
      const { session: s } = found;
      const data = await rowsFor(found.course, [s.id]);
      const rows: AttendanceRow[] = data.enrolments.map((e) => {
        const { status, mark, leave } = effective(s, e.id, data, now);
        const deleted = Boolean(e.person.deletedAt);
        return {
          enrolmentId: e.id,
          name: deleted ? '' : (e.person.realName ?? e.person.identities[0]?.displayName ?? ''),
          phoneTail: deleted ? '' : (e.person.phone?.slice(-4) ?? ''),
          deleted,
          status,
          method: mark?.method,
          checkedInAt: mark?.checkedInAt ?? undefined,
          leaveReason: leave?.reason ?? undefined,
          marked: mark?.method === 'manual',
        };
      });
      return {
        ...found,
        window: checkinWindow(s.startsAt, rules),
        state: windowState(now, s.startsAt, rules),
        rows,
      };
    },

    /** What the projector shows: the code while check-in is open, else when it opens or that it closed. */
    async projector(
      access: CoordinatorAccess,
      code: string,
      n: number,
      now: Date,
    ): Promise<
      | (NonNullable<Awaited<ReturnType<typeof sessionOf>>> & {
          window: CheckinWindow;
          state: WindowState;
          shown?: ShownCode;
        })
      | undefined
    > {
      const found = await sessionOf(access, code, n);
      if (!found) return undefined;
      const { session: s } = found;
      const state = s.cancelled ? 'closed' : windowState(now, s.startsAt, rules);
      return {
        ...found,
        window: checkinWindow(s.startsAt, rules),
        state,
        shown: state === 'open' ? shownCode(deps.secret, s.id, s.startsAt, now, rules) : undefined,
      };
    },

    /** A coordinator sets one trainee's attendance at one session by hand; audited with what it was before. */
    async mark(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      n: number,
      change: { enrolmentId: string; status: AttendanceStatus; note?: string },
      now: Date,
    ): Promise<'ok' | 'not_found'> {
      const found = await sessionOf(access, code, n);
      if (!found) return 'not_found';
      const { session: s } = found;
      const enrolment = await db.enrolment.findFirst({
        where: { id: change.enrolmentId, courseId: found.course.id, status: { in: ACTIVE } },
        select: { id: true },
      });
      if (!enrolment || s.cancelled) return 'not_found';
      const data = await rowsFor(found.course, [s.id]);
      const before = effective(s, enrolment.id, data, now);
      const where = { enrolmentId_sessionId: { enrolmentId: enrolment.id, sessionId: s.id } };
      await db.attendance.upsert({
        where,
        create: {
          enrolmentId: enrolment.id,
          sessionId: s.id,
          status: change.status,
          method: 'manual',
          markedBy: actorId,
        },
        update: { status: change.status, method: 'manual', markedBy: actorId },
      });
      await deps.coordinators.audit(actorId, 'attendance.corrected', `${found.course.code}#${n}`, {
        enrolmentId: enrolment.id,
        sessionId: s.id,
        from: before.status,
        fromMethod: before.mark?.method ?? null,
        to: change.status,
        ...(change.note ? { note: change.note } : {}),
      });
      return 'ok';
    },
  };
}

export type CheckinConsole = ReturnType<typeof createCheckinConsole>;
