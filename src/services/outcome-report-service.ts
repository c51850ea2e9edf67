import { DateTime } from 'luxon';
import { z } from 'zod';
import { COUNTIES, GROUPS } from '../core/domain';
import {
  addTally,
  EMPLOYMENT_STATUSES,
  emptyTally,
  type Figures,
  figuresByTally,
  figuresOfTally,
  SUBSIDY_STATUSES,
  type Tally,
} from '../core/outcomes/report-figures';
import {
  countyTarget,
  PLAN_YEARLY_TARGET,
  progress,
  targetForPeriod,
} from '../core/outcomes/training-targets';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import { Prisma } from '../generated/prisma/client';
import { courseScopeWhere } from './access-scope';
import { isoDay } from './iso-day';

/** The report's filters, as the console form, the CLI and the admin task give them. */
export const reportFilterSchema = z
  .object({
    county: z.enum(COUNTIES).optional(),
    group: z.enum(GROUPS).optional(),
    provider: z.string().min(1).max(100).optional(),
    course: z.string().min(1).max(40).optional(),
    /** First day of the period (course start), inclusive; default 1 January of this year. */
    from: isoDay.optional(),
    /** Last day, inclusive; default today. */
    to: isoDay.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: 'the period ends before it starts',
    path: ['to'],
  });
export type ReportFilter = z.infer<typeof reportFilterSchema>;

export interface CountyRow {
  county: string;
  figures: Figures;
  target: { sessions: number; povertySessions: number; source: 'plan' | 'county' };
  progress: { sessions: number | null; povertySessions: number | null };
}

export interface OutcomeReport {
  period: { from: string; to: string };
  filters: ReportFilter;
  total: Figures & {
    target: { sessions: number; povertySessions: number; clause: string };
    progress: { sessions: number | null; povertySessions: number | null };
  };
  byCounty: CountyRow[];
  /** provider null: courses with no training provider recorded. */
  byProvider: { provider: string | null; figures: Figures }[];
  byCourse: { course: string; title: string; county: string; figures: Figures }[];
}

/** Plain JSON for scripts (`jineng report --json`): snake_case keys, one object. */
export function reportJson(report: OutcomeReport): Record<string, unknown> {
  const figures = (f: Figures) => ({
    trained: f.trained,
    trained_poverty: f.trainedPoverty,
    attendance_rate: f.attendance.rate,
    pass_rate: f.passRate.rate,
    results: f.passRate.denominator,
    employment_rate_3m: f.employment3m.rate,
    employment_answers_3m: f.employment3m.denominator,
    employment_rate_6m: f.employment6m.rate,
    employment_answers_6m: f.employment6m.denominator,
    satisfaction: f.satisfaction.average,
    satisfaction_responses: f.satisfaction.responses,
    subsidies: f.subsidies,
  });
  return {
    period: report.period,
    filters: report.filters,
    total: {
      ...figures(report.total),
      target: {
        sessions: report.total.target.sessions,
        poverty_sessions: report.total.target.povertySessions,
        clause: report.total.target.clause,
      },
      progress: {
        sessions: report.total.progress.sessions,
        poverty_sessions: report.total.progress.povertySessions,
      },
    },
    by_county: report.byCounty.map((c) => ({
      county: c.county,
      ...figures(c.figures),
      target: {
        sessions: c.target.sessions,
        poverty_sessions: c.target.povertySessions,
        source: c.target.source,
      },
      progress: { sessions: c.progress.sessions, poverty_sessions: c.progress.povertySessions },
    })),
    by_provider: report.byProvider.map((p) => ({ provider: p.provider, ...figures(p.figures) })),
    by_course: report.byCourse.map((c) => ({
      course: c.course,
      title: c.title,
      county: c.county,
      ...figures(c.figures),
    })),
  };
}

/**
 * A county's yearly target as staff set it (the console's form: admins for any county, county staff for their
 * own). `clear` drops the county's own target: the even share of the plan's applies again.
 */
export const targetInputSchema = z.union([
  z.object({
    county: z.enum(COUNTIES),
    year: z.coerce.number().int().min(2019).max(2100),
    clear: z.literal('yes'),
  }),
  z
    .object({
      county: z.enum(COUNTIES),
      year: z.coerce.number().int().min(2019).max(2100),
      sessions: z.coerce.number().int().min(0).max(10_000_000),
      povertySessions: z.coerce.number().int().min(0).max(10_000_000),
    })
    .refine((t) => t.povertySessions <= t.sessions, {
      message: 'the 建档立卡 target is part of the whole target',
      path: ['povertySessions'],
    }),
]);
export type TargetInput = z.infer<typeof targetInputSchema>;

/** A county's yearly target as the form shows it. */
export interface CountyTarget {
  county: string;
  year: number;
  sessions: number;
  povertySessions: number;
  source: 'plan' | 'county';
}

/** A county's own target row for a year (training_targets). */
interface YearTargetRow {
  county: string;
  sessions: number;
  povertySessions: number;
}

/** Whose yearly targets an account may see and set: admins every county's, county staff their counties'. */
export function targetCounties(access: CoordinatorAccess): string[] {
  if (access.role === 'admin') return [...COUNTIES];
  return COUNTIES.filter((c) => access.counties.includes(c));
}

export interface OutcomeReports {
  build(access: CoordinatorAccess, filter: ReportFilter, now?: Date): Promise<OutcomeReport>;
  /** The yearly targets of the counties the account may set (targetCounties), for one year. */
  targets(access: CoordinatorAccess, year: number): Promise<CountyTarget[]>;
  /** The report page: the report, its year, and that year's targets (as `targets`), the year's rows read once. */
  page(
    access: CoordinatorAccess,
    filter: ReportFilter,
    now?: Date,
  ): Promise<{ report: OutcomeReport; year: number; targets: CountyTarget[] }>;
  /** Sets or clears a county's yearly target (audited). False when the access may not (outside its counties). */
  setTarget(access: CoordinatorAccess, actorId: string | null, input: TargetInput): Promise<boolean>;
}

/** One course's counts as the SQL below returns them (integers; yuan as float8 to stay a JS number). */
interface CourseTallyRow {
  course_id: string;
  trained: number;
  trained_poverty: number;
  sessions_due: number;
  sessions_attended: number;
  passed: number;
  decided: number;
  working_3m: number;
  answered_3m: number;
  working_6m: number;
  answered_6m: number;
  ratings: number;
  rating_sum: number;
  /** Per status, in SUBSIDY_STATUSES order. */
  claim_counts: number[];
  claim_yuan: number[];
}

/**
 * The outcome report (docs/reports.md): the confirmed or attended sign-ups of the courses in the reader's scope
 * whose first class falls in the period, counted per course in PostgreSQL (one query: no sign-up is loaded into
 * the process), then added up per county, provider and course with the yearly targets. No name or contact
 * leaves the database.
 */
export function createOutcomeReports(deps: {
  db: Db;
  timezone: string;
  audit?: (
    actorId: string | null,
    action: string,
    target?: string,
    detail?: Record<string, unknown>,
  ) => Promise<void>;
}): OutcomeReports {
  const { db } = deps;

  /** The courses in scope and filter whose first class (or, with none, creation) lies in [from, to]. */
  async function coursesIn(where: Prisma.CourseWhereInput, from: Date, to: Date) {
    const courses = await db.course.findMany({
      where,
      select: {
        id: true,
        code: true,
        title: true,
        county: true,
        createdAt: true,
        provider: { select: { name: true } },
      },
    });
    const firsts = new Map<string, Date>();
    if (courses.length) {
      const starts = await db.classSession.groupBy({
        by: ['courseId'],
        where: { course: where },
        _min: { startsAt: true },
      });
      for (const s of starts) if (s._min.startsAt) firsts.set(s.courseId, s._min.startsAt);
    }
    return courses.filter((c) => {
      const start = firsts.get(c.id) ?? c.createdAt;
      return start >= from && start <= to;
    });
  }

  /**
   * Per course: sign-ups (confirmed or attended, of the group when asked) and what was recorded about them.
   * Attendance: sessions not cancelled and over by `now`, of people not erased; excused = a leave request or an
   * attendance row marked excused, for a session the person did not attend (present or late).
   */
  async function tallies(
    courseIds: string[],
    group: string | undefined,
    now: Date,
  ): Promise<Map<string, Tally>> {
    const out = new Map<string, Tally>();
    if (courseIds.length === 0) return out;
    const ids = Prisma.sql`${courseIds}::uuid[]`;
    const working = Prisma.sql`ARRAY['employed', 'self_employed']`;
    const answered = Prisma.sql`${[...EMPLOYMENT_STATUSES]}::text[]`;
    const claimCounts = Prisma.join(
      SUBSIDY_STATUSES.map((st) => Prisma.sql`(count(*) FILTER (WHERE sc.status = ${st}))::int`),
    );
    const claimYuan = Prisma.join(
      SUBSIDY_STATUSES.map(
        (st) => Prisma.sql`coalesce(sum(sc.amount_yuan) FILTER (WHERE sc.status = ${st}), 0)::float8`,
      ),
    );
    // One row per sign-up (results, answers and claims are one per sign-up, a check one per sign-up and month),
    // counted per course; attendance and leave per course from the classes held.
    const rows = await db.$queryRaw<CourseTallyRow[]>`
      WITH e AS MATERIALIZED (
        SELECT e.id, e.course_id, p.deleted_at IS NULL AS kept,
               'poverty_registered' = ANY(p.groups) AS poverty
        FROM enrolments e JOIN people p ON p.id = e.person_id
        WHERE e.course_id = ANY(${ids}) AND e.status IN ('confirmed', 'attended')
          ${group ? Prisma.sql`AND ${group} = ANY(p.groups)` : Prisma.empty}
      ),
      held AS MATERIALIZED (
        SELECT id, course_id FROM class_sessions
        WHERE course_id = ANY(${ids}) AND NOT cancelled AND ends_at <= ${now}
      ),
      held_count AS (SELECT course_id, count(*)::int AS n FROM held GROUP BY course_id),
      marks AS (
        SELECT e.course_id,
          (count(*) FILTER (WHERE a.status IN ('present', 'late')))::int AS came,
          (count(*) FILTER (WHERE a.status = 'excused'))::int AS excused
        FROM attendance a JOIN held h ON h.id = a.session_id JOIN e ON e.id = a.enrolment_id AND e.kept
        GROUP BY e.course_id
      ),
      leaves AS (
        SELECT e.course_id, count(*)::int AS excused
        FROM leave_requests l JOIN held h ON h.id = l.session_id JOIN e ON e.id = l.enrolment_id AND e.kept
        LEFT JOIN attendance a ON a.enrolment_id = l.enrolment_id AND a.session_id = l.session_id
        WHERE a.status IS NULL OR a.status NOT IN ('present', 'late', 'excused')
        GROUP BY e.course_id
      ),
      people AS (
        SELECT e.course_id,
          count(*)::int AS trained,
          (count(*) FILTER (WHERE e.poverty))::int AS trained_poverty,
          (count(*) FILTER (WHERE e.kept))::int AS kept,
          (count(*) FILTER (WHERE r.outcome = 'passed'))::int AS passed,
          (count(*) FILTER (WHERE r.outcome IN ('passed', 'failed')))::int AS decided,
          (count(*) FILTER (WHERE c3.status = ANY(${working})))::int AS working_3m,
          count(c3.id)::int AS answered_3m,
          (count(*) FILTER (WHERE c6.status = ANY(${working})))::int AS working_6m,
          count(c6.id)::int AS answered_6m,
          count(s.rating)::int AS ratings,
          coalesce(sum(s.rating), 0)::int AS rating_sum,
          ARRAY[${claimCounts}] AS claim_counts,
          ARRAY[${claimYuan}] AS claim_yuan
        FROM e
        LEFT JOIN course_results r ON r.enrolment_id = e.id
        LEFT JOIN satisfaction_surveys s ON s.enrolment_id = e.id
        LEFT JOIN employment_checks c3 ON c3.enrolment_id = e.id AND c3.months = 3
          AND c3.answered_at IS NOT NULL AND c3.status = ANY(${answered})
        LEFT JOIN employment_checks c6 ON c6.enrolment_id = e.id AND c6.months = 6
          AND c6.answered_at IS NOT NULL AND c6.status = ANY(${answered})
        LEFT JOIN subsidy_claims sc ON sc.enrolment_id = e.id
        GROUP BY e.course_id
      )
      SELECT p.course_id::text AS course_id, p.trained, p.trained_poverty,
        (p.kept * coalesce(hc.n, 0) - coalesce(m.excused, 0) - coalesce(l.excused, 0))::int AS sessions_due,
        coalesce(m.came, 0) AS sessions_attended, p.passed, p.decided,
        p.working_3m, p.answered_3m, p.working_6m, p.answered_6m, p.ratings, p.rating_sum,
        p.claim_counts, p.claim_yuan
      FROM people p
      LEFT JOIN held_count hc ON hc.course_id = p.course_id
      LEFT JOIN marks m ON m.course_id = p.course_id
      LEFT JOIN leaves l ON l.course_id = p.course_id`;
    for (const row of rows) {
      const tally = emptyTally();
      tally.trained = row.trained;
      tally.trainedPoverty = row.trained_poverty;
      tally.sessionsDue = row.sessions_due;
      tally.sessionsAttended = row.sessions_attended;
      tally.passed = row.passed;
      tally.decided = row.decided;
      tally.working3m = row.working_3m;
      tally.answered3m = row.answered_3m;
      tally.working6m = row.working_6m;
      tally.answered6m = row.answered_6m;
      tally.ratings = row.ratings;
      tally.ratingSum = row.rating_sum;
      SUBSIDY_STATUSES.forEach((status, i) => {
        tally.subsidies[status] = { count: row.claim_counts[i] ?? 0, yuan: row.claim_yuan[i] ?? 0 };
      });
      out.set(row.course_id, tally);
    }
    return out;
  }

  /** The yearly targets of these counties, from the year's rows (a county with none has the plan's). */
  function yearTargets(counties: string[], year: number, own: YearTargetRow[]): CountyTarget[] {
    return counties.map((county) => {
      const target = countyTarget(own.find((t) => t.county === county));
      return { county, year, ...target };
    });
  }

  /** The report, with its year and that year's target rows as read for it (the page's form uses them too). */
  async function compose(access: CoordinatorAccess, filter: ReportFilter, now: Date) {
    const zone = deps.timezone;
    const today = DateTime.fromJSDate(now, { zone });
    const fromDay = filter.from ? DateTime.fromISO(filter.from, { zone }) : today.startOf('year');
    const toDay = filter.to ? DateTime.fromISO(filter.to, { zone }) : today;
    const from = fromDay.startOf('day').toJSDate();
    const to = toDay.endOf('day').toJSDate();
    const courseWhere: Prisma.CourseWhereInput = {
      AND: [
        courseScopeWhere(access),
        filter.county ? { county: filter.county } : {},
        filter.course ? { code: filter.course.toUpperCase() } : {},
        filter.provider ? { provider: { OR: [{ id: filter.provider }, { name: filter.provider }] } } : {},
      ],
    };
    const courses = await coursesIn(courseWhere, from, to);
    const counted = await tallies(
      courses.map((c) => c.id),
      filter.group,
      now,
    );
    // One item per course with sign-ups counted: the course's tally and where it belongs.
    const items = courses.flatMap((c) => {
      const tally = counted.get(c.id);
      return tally ? [{ course: c, tally }] : [];
    });
    const year = fromDay.year;
    const own = await db.trainingTarget.findMany({ where: { year } });
    const byCountyFigures = new Map(
      figuresByTally(items.map((i) => ({ key: i.course.county, tally: i.tally }))).map((g) => [
        g.key,
        g.figures,
      ]),
    );
    const counties = filter.county
      ? [filter.county]
      : access.role === 'admin'
        ? [...COUNTIES]
        : [...new Set([...access.counties, ...byCountyFigures.keys()])];
    const byCounty: CountyRow[] = counties.map((county) => {
      const figures = byCountyFigures.get(county) ?? figuresOfTally(emptyTally());
      const yearly = countyTarget(own.find((t) => t.county === county));
      const target = {
        sessions: targetForPeriod(yearly.sessions, from, to),
        povertySessions: targetForPeriod(yearly.povertySessions, from, to),
        source: yearly.source,
      };
      return {
        county,
        figures,
        target,
        progress: {
          sessions: progress(figures.trained, target.sessions),
          povertySessions: progress(figures.trainedPoverty, target.povertySessions),
        },
      };
    });
    const total = figuresOfTally(items.reduce((sum, i) => addTally(sum, i.tally), emptyTally()));
    // The city's target when the report covers the city; the counties' own when it covers some of them.
    const cityWide = !filter.county && access.role === 'admin';
    const totalTarget = cityWide
      ? {
          sessions: targetForPeriod(PLAN_YEARLY_TARGET.sessions, from, to),
          povertySessions: targetForPeriod(PLAN_YEARLY_TARGET.povertySessions, from, to),
        }
      : byCounty.reduce(
          (sum, c) => ({
            sessions: sum.sessions + c.target.sessions,
            povertySessions: sum.povertySessions + c.target.povertySessions,
          }),
          { sessions: 0, povertySessions: 0 },
        );
    const courseTitles = new Map(
      items.map((i) => [i.course.code, { title: i.course.title, county: i.course.county }]),
    );
    const report: OutcomeReport = {
      period: { from: fromDay.toISODate()!, to: toDay.toISODate()! },
      filters: filter,
      total: {
        ...total,
        target: { ...totalTarget, clause: PLAN_YEARLY_TARGET.clause },
        progress: {
          sessions: progress(total.trained, totalTarget.sessions),
          povertySessions: progress(total.trainedPoverty, totalTarget.povertySessions),
        },
      },
      byCounty,
      byProvider: figuresByTally(
        items.map((i) => ({ key: i.course.provider?.name ?? '', tally: i.tally })),
      ).map((g) => ({
        provider: g.key || null,
        figures: g.figures,
      })),
      byCourse: figuresByTally(items.map((i) => ({ key: i.course.code, tally: i.tally }))).map((g) => ({
        course: g.key,
        title: courseTitles.get(g.key)?.title ?? '',
        county: courseTitles.get(g.key)?.county ?? '',
        figures: g.figures,
      })),
    };
    return { report, year, own };
  }

  return {
    async targets(access, year) {
      const counties = targetCounties(access);
      if (counties.length === 0) return [];
      const own = await db.trainingTarget.findMany({ where: { year, county: { in: counties } } });
      return yearTargets(counties, year, own);
    },

    async build(access, filter, now = new Date()) {
      return (await compose(access, filter, now)).report;
    },

    async page(access, filter, now = new Date()) {
      const { report, year, own } = await compose(access, filter, now);
      return { report, year, targets: yearTargets(targetCounties(access), year, own) };
    },

    async setTarget(access, actorId, input) {
      if (!targetCounties(access).includes(input.county)) return false;
      const { county, year } = input;
      const before = await db.trainingTarget.findUnique({ where: { county_year: { county, year } } });
      const previous = before ? { sessions: before.sessions, povertySessions: before.povertySessions } : null;
      if ('clear' in input) {
        if (before) await db.trainingTarget.delete({ where: { county_year: { county, year } } });
        await deps.audit?.(actorId, 'report.target_cleared', `${county}:${year}`, { previous });
        return true;
      }
      const figures = { sessions: input.sessions, povertySessions: input.povertySessions };
      await db.trainingTarget.upsert({
        where: { county_year: { county, year } },
        create: { county, year, ...figures },
        update: figures,
      });
      await deps.audit?.(actorId, 'report.target', `${county}:${year}`, { ...figures, previous });
      return true;
    },
  };
}
