import type pg from 'pg';
import { courseFactsFromColumns } from '../../core/courses/course-facts';
import type { CourseForMatching } from '../../core/courses/course-types';
import type { County, CourseStatus, Group, Trade, TrainingType } from '../../core/domain';
import type { CourseCatalog, CourseView, SessionView } from '../../core/ports';
import type { ClassSession, Course } from '../../generated/prisma/client';
import type { Db } from '../prisma-client';
import { sqlRunner } from './sql-runner';

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
    eligibleCounties: (row.eligibleCounties ?? []) as County[],
    prerequisiteCourseCodes: row.prerequisiteCourseCodes ?? [],
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
    facts: courseFactsFromColumns(row),
    prerequisiteNote: row.prerequisiteNote ?? undefined,
  };
}

const activeClassSessions = { where: { cancelled: false }, orderBy: { startsAt: 'asc' as const } } as const;

export const courseWithSessions = { sessions: activeClassSessions } as const;

/**
 * The open courses whose first class session is still ahead, each with that first session (which is also the
 * next one), in one statement: a course search runs it on every suggestion, where reading every session of
 * every course through Prisma cost more than the rest of the turn. $1 now.
 */
const LIST_OPEN_SQL = `
  SELECT c.id, c.code, c.title, c.title_en AS "titleEn", c.description, c.description_en AS "descriptionEn",
    c.trade, c.training_type AS "trainingType", c.county, c.venue, c.venue_en AS "venueEn", c.capacity,
    c.seats_taken AS "seatsTaken", c.fee_yuan AS "feeYuan", c.subsidy_text AS "subsidyText",
    c.subsidy_text_en AS "subsidyTextEn", c.free_for_groups AS "freeForGroups",
    c.eligible_groups AS "eligibleGroups", c.min_age AS "minAge", c.max_age AS "maxAge",
    c.eligible_counties AS "eligibleCounties", c.prerequisite_course_codes AS "prerequisiteCourseCodes",
    c.prerequisite_note AS "prerequisiteNote",
    c.real_name_required AS "realNameRequired", c.status,
    f.id AS "sessionId", f.starts_at AS "startsAt", f.ends_at AS "endsAt", f.venue AS "sessionVenue",
    f.venue_en AS "sessionVenueEn", c.xmin::text AS "rowVersion", f.xmin::text AS "sessionVersion"
  FROM courses c
  JOIN LATERAL (
    SELECT s.id, s.starts_at, s.ends_at, s.venue, s.venue_en, s.xmin FROM class_sessions s
    WHERE s.course_id = c.id AND NOT s.cancelled ORDER BY s.starts_at LIMIT 1
  ) f ON true
  WHERE c.status = 'open' AND f.starts_at > $1
  ORDER BY c.code`;

/**
 * The same courses and first sessions as LIST_OPEN_SQL, but only which rows and which version of each: what a
 * turn reads when the mapped views are cached. `xmin` is PostgreSQL's row version (the id of the transaction
 * that wrote that version of the row): any UPDATE of a course (a seat taken or freed, an edit) or of its first
 * session gives it a new one, in every process, with no trigger, column or migration. $1 now.
 */
const LIST_OPEN_VERSIONS_SQL = `
  SELECT c.id, c.xmin::text AS "rowVersion", f.id AS "sessionId", f.xmin::text AS "sessionVersion"
  FROM courses c
  JOIN LATERAL (
    SELECT s.id, s.starts_at, s.xmin FROM class_sessions s
    WHERE s.course_id = c.id AND NOT s.cancelled ORDER BY s.starts_at LIMIT 1
  ) f ON true
  WHERE c.status = 'open' AND f.starts_at > $1
  ORDER BY c.code`;

interface OpenCourseVersion {
  id: string;
  rowVersion: string;
  sessionId: string;
  sessionVersion: string;
}

/**
 * A mapped open course and the row versions it was mapped from. Its first session starts after `now` whenever
 * it is listed, so that session stays its next one (`nextSession`) as long as the versions match.
 */
interface CachedOpenCourse extends OpenCourseVersion {
  view: CourseView;
}

type OpenCourseRow = Omit<CourseRow, 'sessions'> & {
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
  sessionVenue: string;
  sessionVenueEn: string | null;
  rowVersion: string;
  sessionVersion: string;
};

/**
 * Courses as the dialog sees them. `pool` (the runtime's `pg` pool) carries the course search's statement
 * when given.
 */
export function createCourseCatalog(db: Db, pool?: pg.Pool): CourseCatalog {
  const sql = sqlRunner(
    db,
    pool,
    new Map([
      [LIST_OPEN_SQL, 'jineng_courses_open'],
      [LIST_OPEN_VERSIONS_SQL, 'jineng_courses_open_versions'],
    ]),
  );
  /**
   * Open courses as last mapped, by id. A course search used to read and map every open course on every turn
   * (~8 % of a turn's allocation, plus parsing 30 columns a row); now a turn reads only ids and row versions
   * and reuses the mapped views. Seats are never stale: a seat taken or freed in any process writes the
   * course row, so its version no longer matches and the whole list is read afresh, as before. Holds at most
   * the courses open at the last full read.
   */
  let cache = new Map<string, CachedOpenCourse>();

  function fresh(entry: CachedOpenCourse | undefined, v: OpenCourseVersion): entry is CachedOpenCourse {
    return (
      entry !== undefined &&
      entry.rowVersion === v.rowVersion &&
      entry.sessionId === v.sessionId &&
      entry.sessionVersion === v.sessionVersion
    );
  }

  async function readAll(now: Date): Promise<CourseView[]> {
    const rows = await sql.query<OpenCourseRow>(LIST_OPEN_SQL, [now]);
    const next = new Map<string, CachedOpenCourse>();
    const views = rows.map(
      ({
        sessionId,
        startsAt,
        endsAt,
        sessionVenue,
        sessionVenueEn,
        rowVersion,
        sessionVersion,
        ...course
      }) => {
        const view = toCourseView(
          {
            ...(course as Omit<CourseRow, 'sessions'>),
            sessions: [
              {
                id: sessionId,
                courseId: course.id,
                startsAt,
                endsAt,
                venue: sessionVenue,
                venueEn: sessionVenueEn,
                cancelled: false,
              },
            ],
          },
          now,
        );
        next.set(course.id, { id: course.id, rowVersion, sessionId, sessionVersion, view });
        return view;
      },
    );
    cache = next;
    return views;
  }

  return {
    async listOpen(now) {
      const versions = await sql.query<OpenCourseVersion>(LIST_OPEN_VERSIONS_SQL, [now]);
      const views: CourseView[] = [];
      for (const v of versions) {
        const entry = cache.get(v.id);
        // Any course changed (or newly open) since the last full read: read them all again, as before.
        if (!fresh(entry, v)) return readAll(now);
        views.push(entry.view);
      }
      return views;
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
