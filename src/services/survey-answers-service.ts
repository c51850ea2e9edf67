import { DateTime } from 'luxon';
import { z } from 'zod';
import { COUNTIES, isKnownCounty, isKnownTrade } from '../core/domain';
import { EMPLOYMENT_ANSWERS } from '../core/outcomes/surveys';
import type { CoordinatorAccess } from '../core/outreach-ports';
import { maskName } from '../core/people/mask';
import type { Db } from '../db/prisma-client';
import type { CoordinatorService } from './coordinator-service';
import { isoDay } from './iso-day';

/**
 * Raw survey answers for staff (issue 20, items 3, 4 and 7; docs/surveys.md, "Raw answers in the console"):
 * the satisfaction ratings with comments and the employment follow-ups, per course, in the viewer's scope.
 *
 * - Bureau staff (admins, county coordinators for the courses of their counties) see each answer with the
 *   trainee's name, masked, and when it was answered; such a read is audited (`survey.answers_viewed`).
 * - A course coordinator (the training provider's account) sees the courses named in their scope without any
 *   name or id, answers ordered by rating, the month only; a course with fewer than ANONYMOUS_MIN answers (of
 *   the kind; per follow-up month for employment) shows only that count, nothing of the answers; a trade or
 *   county typed as free text is not shown to them (only recognised ones).
 * - Erased people's answers never appear (erasure deletes them; people marked erased are left out besides).
 */

/** Fewer answers than this for a course: a provider sees the count only (reports.md hides such rates too). */
export const ANONYMOUS_MIN = 5;
const LIMIT = 2_000;

const blankIsNone = (v: unknown) => (v === '' ? undefined : v);

export const surveyAnswersFilterSchema = z
  .object({
    course: z.preprocess(blankIsNone, z.string().trim().min(1).max(40).optional()),
    county: z.preprocess(blankIsNone, z.enum(COUNTIES).optional()),
    /** Answered on or after this local day (TIMEZONE). */
    from: z.preprocess(blankIsNone, isoDay.optional()),
    /** Answered on or before this local day. */
    to: z.preprocess(blankIsNone, isoDay.optional()),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'period' });
export type SurveyAnswersFilter = z.infer<typeof surveyAnswersFilterSchema>;

export interface SatisfactionAnswer {
  /** Masked name; only for bureau staff. */
  name?: string;
  rating: number;
  comment: string | null;
  /** ISO time for bureau staff; the month (YYYY-MM) for providers. */
  answeredAt: string;
}

export interface EmploymentAnswerRow {
  name?: string;
  months: number;
  status: string;
  trade: string | null;
  county: string | null;
  answeredAt: string;
}

export interface CourseAnswers {
  course: { code: string; title: string; titleEn: string | null; county: string };
  /** The day the course's last class (not cancelled) was held, local; null with none. */
  lastSessionOn: string | null;
  /** Whether names are shown (bureau staff for this course) or the answers are anonymous (provider). */
  named: boolean;
  satisfaction: { count: number; answers: SatisfactionAnswer[] | null };
  /** Per follow-up month: answers null when a provider would see fewer than ANONYMOUS_MIN. */
  employment: { months: number; count: number; answers: EmploymentAnswerRow[] | null }[];
}

export interface SurveyAnswers {
  filter: SurveyAnswersFilter;
  /**
   * The period the anonymous courses were counted over, when a from/to was given and some course is shown
   * anonymously: from/to rounded out to whole months (a day-level period could single out one day's answers).
   */
  anonymousPeriod?: { from?: string; to?: string };
  courses: CourseAnswers[];
}

/**
 * A provider's (anonymous) view is filtered by whole months only: from → the first day of its month, to → the
 * last day of its month. Otherwise comparing to=D with to=D−1 would isolate one day's answers, defeating both
 * the ANONYMOUS_MIN threshold and the month-only times.
 */
export function wholeMonths(filter: SurveyAnswersFilter): { from?: string; to?: string } {
  const from = filter.from ? DateTime.fromISO(filter.from).startOf('month').toISODate() : null;
  const to = filter.to ? DateTime.fromISO(filter.to).endOf('month').toISODate() : null;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** Names for bureau staff: admins, and a coordinator for the courses of their counties (access-scope.md). */
export const namesVisible = (access: CoordinatorAccess, county: string) =>
  access.role === 'admin' || access.counties.includes(county);

export function createSurveyAnswers(deps: { db: Db; coordinators: CoordinatorService; timezone: string }) {
  const { db, coordinators, timezone } = deps;

  const bounds = (filter: { from?: string; to?: string }) => ({
    gte: filter.from ? DateTime.fromISO(filter.from, { zone: timezone }).toJSDate() : undefined,
    lt: filter.to ? DateTime.fromISO(filter.to, { zone: timezone }).plus({ days: 1 }).toJSDate() : undefined,
  });
  const period = (filter: { from?: string; to?: string }) => {
    const { gte, lt } = bounds(filter);
    return { not: null, ...(gte ? { gte } : {}), ...(lt ? { lt } : {}) };
  };
  const localDay = (d: Date) => DateTime.fromJSDate(d, { zone: timezone }).toISODate() ?? '';
  const localMonth = (d: Date) => DateTime.fromJSDate(d, { zone: timezone }).toFormat('yyyy-MM');

  return {
    async list(
      access: CoordinatorAccess,
      filter: SurveyAnswersFilter,
      actorId: string,
    ): Promise<SurveyAnswers> {
      const courseWhere = {
        AND: [
          coordinators.inScope(access),
          ...(filter.course ? [{ code: filter.course.toUpperCase() }] : []),
          ...(filter.county ? [{ county: filter.county }] : []),
        ],
      };
      const enrolment = { course: courseWhere, person: { deletedAt: null } };
      // Read over whole months (which cover the exact days); named courses are then cut to the exact days,
      // anonymous ones keep the whole months.
      const months = wholeMonths(filter);
      const answeredAt = period(months);
      const exact = bounds(filter);
      const inExact = (d: Date | null) =>
        !!d && (!exact.gte || d >= exact.gte) && (!exact.lt || d < exact.lt);
      const courseSelect = { id: true, code: true, title: true, titleEn: true, county: true } as const;
      const [ratings, checks] = await Promise.all([
        db.satisfactionSurvey.findMany({
          where: { answeredAt, rating: { not: null }, enrolment },
          select: {
            rating: true,
            comment: true,
            answeredAt: true,
            enrolment: {
              select: { person: { select: { realName: true } }, course: { select: courseSelect } },
            },
          },
          orderBy: { answeredAt: 'desc' },
          take: LIMIT,
        }),
        db.employmentCheck.findMany({
          where: { answeredAt, status: { not: null }, enrolment },
          select: {
            months: true,
            status: true,
            trade: true,
            county: true,
            answeredAt: true,
            enrolment: {
              select: { person: { select: { realName: true } }, course: { select: courseSelect } },
            },
          },
          orderBy: { answeredAt: 'desc' },
          take: LIMIT,
        }),
      ]);

      type Course = (typeof ratings)[number]['enrolment']['course'];
      const byCourse = new Map<
        string,
        { course: Course; ratings: typeof ratings; checks: Map<number, typeof checks> }
      >();
      const entry = (course: Course) => {
        let e = byCourse.get(course.id);
        if (!e) {
          e = { course, ratings: [], checks: new Map() };
          byCourse.set(course.id, e);
        }
        return e;
      };
      for (const r of ratings) entry(r.enrolment.course).ratings.push(r);
      for (const k of checks) {
        const e = entry(k.enrolment.course);
        e.checks.set(k.months, [...(e.checks.get(k.months) ?? []), k]);
      }

      const ends = byCourse.size
        ? await db.classSession.groupBy({
            by: ['courseId'],
            where: { courseId: { in: [...byCourse.keys()] }, cancelled: false },
            _max: { endsAt: true },
          })
        : [];
      const lastOf = new Map(ends.map((s) => [s.courseId, s._max.endsAt]));

      let namedRows = 0;
      const courses: CourseAnswers[] = [...byCourse.values()]
        .sort((a, b) => a.course.code.localeCompare(b.course.code))
        .map(({ course, ratings: allRatings, checks: allChecks }) => {
          const named = namesVisible(access, course.county);
          const rs = named ? allRatings.filter((r) => inExact(r.answeredAt)) : allRatings;
          const ks = new Map(
            [...allChecks.entries()]
              .map(([m, l]) => [m, named ? l.filter((k) => inExact(k.answeredAt)) : l] as const)
              .filter(([, l]) => l.length > 0),
          );
          const when = (d: Date | null) => (d ? (named ? d.toISOString() : localMonth(d)) : '');
          const name = (n: string | null) => (named ? { name: maskName(n ?? '') } : {});
          let satisfaction: SatisfactionAnswer[] | null = rs.map((r) => ({
            ...name(r.enrolment.person.realName),
            rating: r.rating ?? 0,
            comment: r.comment,
            answeredAt: when(r.answeredAt),
          }));
          if (!named) {
            // Anonymous: too few to show, or in an order that says nothing of who answered when.
            satisfaction =
              satisfaction.length < ANONYMOUS_MIN
                ? null
                : satisfaction.sort(
                    (a, b) => b.rating - a.rating || (a.comment ?? '').localeCompare(b.comment ?? ''),
                  );
          }
          const employment = [...ks.entries()]
            .sort(([a], [b]) => a - b)
            .map(([months, list]) => {
              let answers: EmploymentAnswerRow[] | null = list.map((k) => ({
                ...name(k.enrolment.person.realName),
                months,
                status: k.status ?? '',
                // Free text (a trade nobody recognised) only for bureau staff.
                trade: named || (k.trade && isKnownTrade(k.trade)) ? k.trade : null,
                county: named || (k.county && isKnownCounty(k.county)) ? k.county : null,
                answeredAt: when(k.answeredAt),
              }));
              if (!named) {
                const order = (s: string) => EMPLOYMENT_ANSWERS.findIndex((a) => a === s);
                answers =
                  answers.length < ANONYMOUS_MIN
                    ? null
                    : answers.sort(
                        (a, b) =>
                          order(a.status) - order(b.status) ||
                          (a.trade ?? '').localeCompare(b.trade ?? '') ||
                          (a.county ?? '').localeCompare(b.county ?? ''),
                      );
              }
              return { months, count: list.length, answers };
            });
          if (named) namedRows += rs.length + [...ks.values()].reduce((n, l) => n + l.length, 0);
          const last = lastOf.get(course.id);
          return {
            course: {
              code: course.code,
              title: course.title,
              titleEn: course.titleEn,
              county: course.county,
            },
            lastSessionOn: last ? localDay(last) : null,
            named,
            satisfaction: { count: rs.length, answers: satisfaction },
            employment,
          };
        })
        // A named course whose answers all fell outside the exact days.
        .filter((c) => !c.named || c.satisfaction.count > 0 || c.employment.length > 0);

      // Names of trainees were read: audited, as a roster view is (anonymous views hold no personal data).
      if (namedRows > 0)
        await coordinators.audit(actorId, 'survey.answers_viewed', filter.course?.toUpperCase(), {
          rows: namedRows,
          courses: courses.filter((c) => c.named).length,
          ...(filter.county ? { county: filter.county } : {}),
          ...(filter.from ? { from: filter.from } : {}),
          ...(filter.to ? { to: filter.to } : {}),
        });
      const anonymous = courses.some((c) => !c.named);
      return {
        filter,
        ...(anonymous && (filter.from || filter.to) ? { anonymousPeriod: months } : {}),
        courses,
      };
    },
  };
}

export type SurveyAnswersService = ReturnType<typeof createSurveyAnswers>;
