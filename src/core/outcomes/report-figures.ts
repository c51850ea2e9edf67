import { SUBSIDY_STATUSES, type SubsidyStatus } from './subsidies';
import { EMPLOYMENT_ANSWERS, type EmploymentAnswer } from './surveys';

/**
 * The plan's measures for a set of sign-ups (issue 20; docs/reports.md): how many were trained (人次), how many
 * of them 建档立卡, attendance, 合格率, 就业创业率 at 3 and 6 months, satisfaction and subsidies by status. Pure:
 * the report service loads one row per sign-up and this adds them up, per county, provider and course alike.
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

function employmentRate(rows: readonly SignUpOutcome[], months: number): Rate {
  let working = 0;
  let answered = 0;
  for (const row of rows) {
    const answer = row.employment.find((e) => e.months === months);
    if (!answer) continue;
    answered += 1;
    if (answer.status === 'employed' || answer.status === 'self_employed') working += 1;
  }
  return rate(working, answered);
}

export function figuresOf(rows: readonly SignUpOutcome[]): Figures {
  let held = 0;
  let attended = 0;
  let passed = 0;
  let decided = 0;
  let ratingSum = 0;
  let ratings = 0;
  const subsidies = Object.fromEntries(
    SUBSIDY_STATUSES.map((s) => [s, { count: 0, yuan: 0 }]),
  ) as Figures['subsidies'];
  for (const row of rows) {
    held += Math.max(0, row.sessionsHeld - row.sessionsExcused);
    attended += row.sessionsAttended;
    if (row.result) {
      decided += 1;
      if (row.result === 'passed') passed += 1;
    }
    if (row.rating !== null) {
      ratings += 1;
      ratingSum += row.rating;
    }
    if (row.subsidy) {
      const bucket = subsidies[row.subsidy.status];
      bucket.count += 1;
      bucket.yuan += row.subsidy.amountYuan ?? 0;
    }
  }
  const smallRatings = ratings > 0 && ratings < SMALL_GROUP;
  return {
    trained: rows.length,
    trainedPoverty: rows.filter((r) => r.groups.includes('poverty_registered')).length,
    attendance: rate(attended, held),
    passRate: rate(passed, decided),
    employment3m: employmentRate(rows, 3),
    employment6m: employmentRate(rows, 6),
    satisfaction: {
      responses: ratings,
      average: ratings > 0 && !smallRatings ? Math.round((ratingSum / ratings) * 100) / 100 : null,
      suppressed: smallRatings,
    },
    subsidies,
  };
}

/** Rows grouped by a key, each group's figures, in key order. */
export function figuresBy<K extends string>(
  rows: readonly SignUpOutcome[],
  keyOf: (row: SignUpOutcome) => K | null,
): { key: K; figures: Figures }[] {
  const groups = new Map<K, SignUpOutcome[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => ({ key, figures: figuresOf(list) }));
}
