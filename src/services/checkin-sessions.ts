import type { CheckinSessionRef } from '../core/attendance/checkin-port';
import type { Db } from '../db/prisma-client';

/** A class session with what check-in needs of its course. */
export interface SessionRow {
  id: string;
  courseId: string;
  startsAt: Date;
  cancelled: boolean;
  course: { code: string; title: string; titleEn: string | null };
}

export const SESSION_SELECT = {
  id: true,
  courseId: true,
  startsAt: true,
  cancelled: true,
  course: { select: { code: true, title: true, titleEn: true } },
} as const;

/** The course's sessions in start order: a session's number is its place here (cancelled ones count too). */
export async function sessionOrder(db: Db, courseId: string): Promise<string[]> {
  const rows = await db.classSession.findMany({
    where: { courseId },
    select: { id: true },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => r.id);
}

export async function sessionRef(db: Db, session: SessionRow): Promise<CheckinSessionRef> {
  const order = await sessionOrder(db, session.courseId);
  return {
    courseCode: session.course.code,
    title: { 'zh-CN': session.course.title, en: session.course.titleEn ?? session.course.title },
    number: order.indexOf(session.id) + 1,
    startsAt: session.startsAt,
  };
}

/** The Nth session (1-based, start order) of a course, or undefined. */
export async function nthSession(db: Db, courseId: string, n: number): Promise<SessionRow | undefined> {
  const [row] = await db.classSession.findMany({
    where: { courseId },
    select: SESSION_SELECT,
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    skip: n - 1,
    take: 1,
  });
  return row;
}

/** The session check-in is open for now, else the next one whose check-in has not closed. */
export async function currentOrNextSession(
  db: Db,
  courseId: string,
  now: Date,
  closesAfterMinutes: number,
): Promise<SessionRow | undefined> {
  const row = await db.classSession.findFirst({
    where: {
      courseId,
      cancelled: false,
      startsAt: { gte: new Date(now.getTime() - closesAfterMinutes * 60_000) },
    },
    select: SESSION_SELECT,
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
  });
  return row ?? undefined;
}
