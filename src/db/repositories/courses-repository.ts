import type { CourseForMatching } from '../../core/courses/course-types';
import type { County, CourseStatus, Group, Trade, TrainingType } from '../../core/domain';
import type { CourseCatalog, CourseView, SessionView } from '../../core/ports';
import type { ClassSession, Course } from '../../generated/prisma/client';
import type { Db } from '../prisma-client';

type CourseRow = Course & { sessions: ClassSession[] };

export function toSessionView(s: ClassSession): SessionView {
  return {
    id: s.id,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    venue: { 'zh-CN': s.venue, en: s.venueEn ?? s.venue },
  };
}

/** Maps a course row (with its class sessions, earliest first) to the view the dialog uses. */
export function toCourseView(row: CourseRow, now: Date): CourseView {
  const first = row.sessions[0];
  const next = row.sessions.find((s) => s.endsAt > now);
  const forMatching: CourseForMatching = {
    id: row.id,
    code: row.code,
    title: { 'zh-CN': row.title, en: row.titleEn ?? row.title },
    trade: row.trade as Trade,
    trainingType: row.trainingType as TrainingType,
    county: row.county as County,
    capacity: row.capacity,
    seatsTaken: row.seatsTaken,
    feeYuan: row.feeYuan,
    freeForGroups: row.freeForGroups as Group[],
    eligibleGroups: row.eligibleGroups as Group[],
    minAge: row.minAge ?? undefined,
    maxAge: row.maxAge ?? undefined,
    status: row.status as CourseStatus,
    firstSessionStart: first?.startsAt ?? null,
    venue: { 'zh-CN': row.venue, en: row.venueEn ?? row.venue },
  };
  return {
    ...forMatching,
    realNameRequired: row.realNameRequired,
    subsidyText: { 'zh-CN': row.subsidyText ?? '', en: row.subsidyTextEn ?? row.subsidyText ?? '' },
    description: { 'zh-CN': row.description ?? '', en: row.descriptionEn ?? row.description ?? '' },
    nextSession: next ? toSessionView(next) : undefined,
  };
}

const activeClassSessions = { where: { cancelled: false }, orderBy: { startsAt: 'asc' as const } } as const;

export const courseWithSessions = { sessions: activeClassSessions } as const;

export function createCourseCatalog(db: Db): CourseCatalog {
  return {
    async listOpen(now) {
      const rows = await db.course.findMany({
        where: { status: 'open' },
        include: { sessions: activeClassSessions },
        orderBy: { code: 'asc' },
      });
      // A course is only offered while its first class session is still ahead.
      return rows
        .filter((r) => r.sessions[0] && r.sessions[0].startsAt > now)
        .map((r) => toCourseView(r, now));
    },
    async findByCode(code, now) {
      const row = await db.course.findUnique({
        where: { code: code.toUpperCase() },
        include: { sessions: activeClassSessions },
      });
      return row ? toCourseView(row, now) : undefined;
    },
  };
}
