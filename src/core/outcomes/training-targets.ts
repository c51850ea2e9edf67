import { COUNTIES } from '../domain';

/**
 * Yearly training targets. The plan (clause s1.1) sets the city's: 400,000 training sessions (人次) a year, of
 * which at least 30,000 for 建档立卡 workers. It gives no split by county, so a county without its own target
 * (the training_targets table, set by staff) gets an even share of the city's, rounded up; the city's total is
 * the plan's figure unless every county has its own.
 */
export const PLAN_YEARLY_TARGET = { sessions: 400_000, povertySessions: 30_000, clause: 's1.1' } as const;

export interface Target {
  sessions: number;
  povertySessions: number;
  /** plan: an even share of the plan's city target; county: set for this county and year. */
  source: 'plan' | 'county';
}

export function countyTarget(own: { sessions: number; povertySessions: number } | undefined): Target {
  if (own) return { ...own, source: 'county' };
  return {
    sessions: Math.ceil(PLAN_YEARLY_TARGET.sessions / COUNTIES.length),
    povertySessions: Math.ceil(PLAN_YEARLY_TARGET.povertySessions / COUNTIES.length),
    source: 'plan',
  };
}

/** Share of a target reached, 0.0–… (over 1 when exceeded), three decimals; null for a zero target. */
export function progress(done: number, target: number): number | null {
  return target > 0 ? Math.round((done / target) * 1000) / 1000 : null;
}

/**
 * A target for part of a year: the yearly one in proportion to the days of the period inside that year, so a
 * report for one quarter compares against a quarter of the year's target.
 */
export function targetForPeriod(yearly: number, from: Date, to: Date): number {
  const days = Math.max(1, Math.round((to.getTime() - from.getTime()) / 86_400_000));
  return Math.round((yearly * days) / 365);
}
