import { DateTime } from 'luxon';
import { z } from 'zod';
import { COUNTIES, GROUPS } from '../core/domain';
import {
  EMPLOYMENT_STATUSES,
  type EmploymentStatus,
  type Figures,
  figuresBy,
  figuresOf,
  type SignUpOutcome,
  SUBSIDY_STATUSES,
  type SubsidyStatus,
} from '../core/outcomes/report-figures';
import {
  countyTarget,
  PLAN_YEARLY_TARGET,
  progress,
  targetForPeriod,
} from '../core/outcomes/training-targets';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import type { Prisma } from '../generated/prisma/client';
import { courseScopeWhere } from './access-scope';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real date');

/** The report's filters, as the console form, the CLI and the admin task give them. */
export const reportFilterSchema = z
  .object({
    county: z.enum(COUNTIES).optional(),
    group: z.enum(GROUPS).optional(),
    provider: z.string().min(1).max(100).optional(),
    course: z.string().min(1).max(40).optional(),
    /** First day of the period (course start), inclusive; default 1 January of this year. */
    from: day.optional(),
    /** Last day, inclusive; default today. */
    to: day.optional(),
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

/** A county's yearly target as staff set it (the console's form; admins only). */
export const targetInputSchema = z.object({
  county: z.enum(COUNTIES),
  year: z.coerce.number().int().min(2019).max(2100),
  sessions: z.coerce.number().int().min(0).max(10_000_000),
  povertySessions: z.coerce.number().int().min(0).max(10_000_000),
});
export type TargetInput = z.infer<typeof targetInputSchema>;

export interface OutcomeReports {
  build(access: CoordinatorAccess, filter: ReportFilter, now?: Date): Promise<OutcomeReport>;
  /** Sets a county's yearly target (admins only; audited). False when the access may not. */
  setTarget(access: CoordinatorAccess, actorId: string | null, input: TargetInput): Promise<boolean>;
}

const PAGE = 2_000;

/**
 * The outcome report (docs/reports.md): every confirmed or attended sign-up of a course that starts in the
 * period and lies in the reader's scope, reduced to what the figures need (no name, no contact), then added up
 * per county, provider and course, with the yearly targets. Read a page of sign-ups at a time.
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

  async function load(where: Prisma.EnrolmentWhereInput, from: Date, to: Date, now: Date) {
    const rows: SignUpOutcome[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await db.enrolment.findMany({
        where,
        orderBy: { id: 'asc' },
        take: PAGE,
        ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
        select: {
          id: true,
          createdAt: true,
          person: { select: { groups: true, deletedAt: true } },
          course: {
            select: {
              code: true,
              title: true,
              county: true,
              createdAt: true,
              provider: { select: { name: true } },
              sessions: { select: { id: true, startsAt: true, endsAt: true, cancelled: true } },
            },
          },
          attendance: { select: { sessionId: true, status: true } },
          result: { select: { outcome: true } },
          satisfaction: { select: { rating: true } },
          employmentChecks: { where: { answeredAt: { not: null } }, select: { months: true, status: true } },
          subsidyClaim: { select: { status: true, amountYuan: true } },
        },
      });
      if (page.length === 0) break;
      cursor = page[page.length - 1]!.id;
      const leaves = await db.leaveRequest.findMany({
        where: { enrolmentId: { in: page.map((e) => e.id) } },
        select: { enrolmentId: true, sessionId: true },
      });
      for (const e of page) {
        const starts = e.course.sessions.map((s) => s.startsAt.getTime());
        const start = starts.length ? new Date(Math.min(...starts)) : e.course.createdAt;
        if (start < from || start > to) continue;
        // An erased person's check-ins are gone (docs/reports.md): their sessions leave the attendance base too.
        const held = e.person.deletedAt
          ? []
          : e.course.sessions.filter((s) => !s.cancelled && s.endsAt <= now);
        const heldIds = new Set(held.map((s) => s.id));
        const attendedIds = new Set(
          e.attendance
            .filter((a) => heldIds.has(a.sessionId) && (a.status === 'present' || a.status === 'late'))
            .map((a) => a.sessionId),
        );
        const excusedIds = new Set([
          ...e.attendance.filter((a) => a.status === 'excused').map((a) => a.sessionId),
          ...leaves.filter((l) => l.enrolmentId === e.id).map((l) => l.sessionId),
        ]);
        const excused = [...excusedIds].filter((id) => heldIds.has(id) && !attendedIds.has(id)).length;
        rows.push({
          county: e.course.county,
          provider: e.course.provider?.name ?? null,
          courseCode: e.course.code,
          courseTitle: e.course.title,
          groups: e.person.groups,
          sessionsHeld: held.length,
          sessionsAttended: attendedIds.size,
          sessionsExcused: excused,
          result: e.result?.outcome === 'passed' || e.result?.outcome === 'failed' ? e.result.outcome : null,
          employment: e.employmentChecks.flatMap((c) =>
            EMPLOYMENT_STATUSES.includes(c.status as EmploymentStatus)
              ? [{ months: c.months, status: c.status as EmploymentStatus }]
              : [],
          ),
          rating: e.satisfaction?.rating ?? null,
          subsidy:
            e.subsidyClaim && SUBSIDY_STATUSES.includes(e.subsidyClaim.status as SubsidyStatus)
              ? { status: e.subsidyClaim.status as SubsidyStatus, amountYuan: e.subsidyClaim.amountYuan }
              : null,
        });
      }
    }
    return rows;
  }

  return {
    async setTarget(access, actorId, input) {
      if (access.role !== 'admin') return false;
      const { county, year, ...figures } = input;
      await db.trainingTarget.upsert({
        where: { county_year: { county, year } },
        create: { county, year, ...figures },
        update: figures,
      });
      await deps.audit?.(actorId, 'report.target', `${county}:${year}`, figures);
      return true;
    },

    async build(access, filter, now = new Date()) {
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
      const rows = await load(
        {
          status: { in: ['confirmed', 'attended'] },
          course: courseWhere,
          ...(filter.group ? { person: { groups: { has: filter.group } } } : {}),
        },
        from,
        to,
        now,
      );
      const year = fromDay.year;
      const own = await db.trainingTarget.findMany({ where: { year } });
      const byCountyFigures = new Map(figuresBy(rows, (r) => r.county).map((g) => [g.key, g.figures]));
      const counties = filter.county
        ? [filter.county]
        : access.role === 'admin'
          ? [...COUNTIES]
          : [...new Set([...access.counties, ...byCountyFigures.keys()])];
      const byCounty: CountyRow[] = counties.map((county) => {
        const figures = byCountyFigures.get(county) ?? figuresOf([]);
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
      const total = figuresOf(rows);
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
        rows.map((r) => [r.courseCode, { title: r.courseTitle, county: r.county }]),
      );
      return {
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
        byProvider: figuresBy(rows, (r) => r.provider ?? '').map((g) => ({
          provider: g.key || null,
          figures: g.figures,
        })),
        byCourse: figuresBy(rows, (r) => r.courseCode).map((g) => ({
          course: g.key,
          title: courseTitles.get(g.key)?.title ?? '',
          county: courseTitles.get(g.key)?.county ?? '',
          figures: g.figures,
        })),
      };
    },
  };
}
