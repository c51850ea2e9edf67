import { SUBSIDY_STATUSES, type SubsidyStatus } from './subsidies';
import { EMPLOYMENT_ANSWERS, type EmploymentAnswer } from './surveys';

/**
 * The plan's measures for a set of sign-ups (issue 20; docs/reports.md): how many were trained (人次), how many
 * of them 建档立卡, attendance, 合格率, 就业创业率 at 3 and 6 months, satisfaction and subsidies by status. Pure:
 * the report service counts per course (a Tally) and this adds them up, per county, provider and course alike.
 */

export { EMPLOYMENT_ANSWERS as EMPLOYMENT_STATUSES, SUBSIDY_STATUSES, type SubsidyStatus };
export type EmploymentStatus = EmploymentAnswer;

/** Below this many people a rate or an average is not shown: it would tell about individuals. */
export const SMALL_GROUP = 5;

/** One sign-up (confirmed or attended) as the report sees it: no name, no contact. */
export interface SignUpOutcome {
  county: string;
  provider: string | null;
  courseCode: string;
  courseTitle: string;
  /** The person's groups when the report was made (poverty_registered, two_after, …). */
  groups: readonly string[];
  /** Class sessions of the course already over and not cancelled. */
  sessionsHeld: number;
  /** Of those, present or late. */
  sessionsAttended: number;
  /** Of those, excused (a leave request, or marked excused) and not attended. */
  sessionsExcused: number;
  result: 'passed' | 'failed' | null;
  /** Answered employment checks: months after completion → the answer. */
  employment: readonly { months: number; status: EmploymentStatus }[];
  /** 1–5, when answered. */
  rating: number | null;
  subsidy: { status: SubsidyStatus; amountYuan: number | null } | null;
}

/** A share with the counts it comes from; `rate` is null when the base is 0 or too small to show. */
export interface Rate {
  numerator: number;
  denominator: number;
  rate: number | null;
  /** True when 0 < denominator < SMALL_GROUP: the rate is held back. */
  suppressed: boolean;
}

export interface Figures {
  /** Sign-ups trained (人次): confirmed or attended. */
  trained: number;
  /** Of them, 建档立卡. */
  trainedPoverty: number;
  attendance: Rate;
  /** Results set: passed / (passed + failed). */
  passRate: Rate;
  /** Employed or self-employed / answered, 3 months after completion. */
  employment3m: Rate;
  employment6m: Rate;
  satisfaction: { responses: number; average: number | null; suppressed: boolean };
  subsidies: Record<SubsidyStatus, { count: number; yuan: number }>;
}

export function rate(numerator: number, denominator: number): Rate {
  const suppressed = denominator > 0 && denominator < SMALL_GROUP;
  const value = denominator > 0 && !suppressed ? Math.round((numerator / denominator) * 1000) / 1000 : null;
  return { numerator, denominator, rate: value, suppressed };
}

/**
 * The counts every figure is made of. Counts add up: the tally of a county is the sum of its courses' tallies,
 * so the report service can count per course in SQL and add up per county, provider and the whole in the
 * process, with the same figures as adding up the sign-ups one by one (`tallyOf`).
 */
export interface Tally {
  trained: number;
  trainedPoverty: number;
  /** Sessions held less those excused, over the sign-ups. */
  sessionsDue: number;
  sessionsAttended: number;
  passed: number;
  /** Results set (passed or failed). */
  decided: number;
  working3m: number;
  answered3m: number;
  working6m: number;
  answered6m: number;
  ratings: number;
  ratingSum: number;
  subsidies: Record<SubsidyStatus, { count: number; yuan: number }>;
}

export function emptyTally(): Tally {
  return {
    trained: 0,
    trainedPoverty: 0,
    sessionsDue: 0,
    sessionsAttended: 0,
    passed: 0,
    decided: 0,
    working3m: 0,
    answered3m: 0,
    working6m: 0,
    answered6m: 0,
    ratings: 0,
    ratingSum: 0,
    subsidies: Object.fromEntries(
      SUBSIDY_STATUSES.map((s) => [s, { count: 0, yuan: 0 }]),
    ) as Tally['subsidies'],
  };
}

/** Adds `more` into `into` (changed in place) and returns it. */
export function addTally(into: Tally, more: Tally): Tally {
  for (const key of Object.keys(into) as (keyof Tally)[]) {
    if (key !== 'subsidies') into[key] += more[key];
  }
  for (const status of SUBSIDY_STATUSES) {
    into.subsidies[status].count += more.subsidies[status].count;
    into.subsidies[status].yuan += more.subsidies[status].yuan;
  }
  return into;
}

const isWorking = (status: EmploymentStatus) => status === 'employed' || status === 'self_employed';

/** The tally of a set of sign-ups, one row at a time. */
export function tallyOf(rows: readonly SignUpOutcome[]): Tally {
  const tally = emptyTally();
  for (const row of rows) {
    tally.trained += 1;
    if (row.groups.includes('poverty_registered')) tally.trainedPoverty += 1;
    tally.sessionsDue += Math.max(0, row.sessionsHeld - row.sessionsExcused);
    tally.sessionsAttended += row.sessionsAttended;
    if (row.result) {
      tally.decided += 1;
      if (row.result === 'passed') tally.passed += 1;
    }
    const at3 = row.employment.find((e) => e.months === 3);
    if (at3) {
      tally.answered3m += 1;
      if (isWorking(at3.status)) tally.working3m += 1;
    }
    const at6 = row.employment.find((e) => e.months === 6);
    if (at6) {
      tally.answered6m += 1;
      if (isWorking(at6.status)) tally.working6m += 1;
    }
    if (row.rating !== null) {
      tally.ratings += 1;
      tally.ratingSum += row.rating;
    }
    if (row.subsidy) {
      const bucket = tally.subsidies[row.subsidy.status];
      bucket.count += 1;
      bucket.yuan += row.subsidy.amountYuan ?? 0;
    }
  }
  return tally;
}

/** The figures of a tally: rates and the average, held back for fewer than SMALL_GROUP people. */
export function figuresOfTally(tally: Tally): Figures {
  const { ratings, ratingSum } = tally;
  const smallRatings = ratings > 0 && ratings < SMALL_GROUP;
  return {
    trained: tally.trained,
    trainedPoverty: tally.trainedPoverty,
    attendance: rate(tally.sessionsAttended, tally.sessionsDue),
    passRate: rate(tally.passed, tally.decided),
    employment3m: rate(tally.working3m, tally.answered3m),
    employment6m: rate(tally.working6m, tally.answered6m),
    satisfaction: {
      responses: ratings,
      average: ratings > 0 && !smallRatings ? Math.round((ratingSum / ratings) * 100) / 100 : null,
      suppressed: smallRatings,
    },
    subsidies: Object.fromEntries(
      SUBSIDY_STATUSES.map((s) => [s, { ...tally.subsidies[s] }]),
    ) as Figures['subsidies'],
  };
}

export function figuresOf(rows: readonly SignUpOutcome[]): Figures {
  return figuresOfTally(tallyOf(rows));
}

/** Tallies added up by a key (null: left out), each group's figures, in key order. */
export function figuresByTally<K extends string>(
  items: readonly { key: K | null; tally: Tally }[],
): { key: K; figures: Figures }[] {
  const groups = new Map<K, Tally>();
  for (const { key, tally } of items) {
    if (key === null) continue;
    const sum = groups.get(key) ?? emptyTally();
    groups.set(key, addTally(sum, tally));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, sum]) => ({ key, figures: figuresOfTally(sum) }));
}
