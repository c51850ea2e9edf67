import { describe, expect, it } from 'vitest';
import { figuresOf, type SignUpOutcome } from '../../src/core/outcomes/report-figures';
import { countyTarget, targetForPeriod } from '../../src/core/outcomes/training-targets';

const row = (over: Partial<SignUpOutcome> = {}): SignUpOutcome => ({
  county: 'zhenxiong',
  provider: null,
  courseCode: 'A',
  courseTitle: 'A',
  groups: [],
  sessionsHeld: 4,
  sessionsAttended: 4,
  sessionsExcused: 0,
  result: 'passed',
  employment: [],
  rating: 5,
  subsidy: null,
  ...over,
});

describe('report figures', () => {
  it('holds back rates and averages of fewer than five people, and keeps the counts', () => {
    const four = figuresOf([row(), row(), row(), row({ result: 'failed', rating: 1 })]);
    expect(four.passRate).toEqual({ numerator: 3, denominator: 4, rate: null, suppressed: true });
    expect(four.satisfaction).toEqual({ responses: 4, average: null, suppressed: true });
    const five = figuresOf([row(), row(), row(), row({ result: 'failed', rating: 1 }), row()]);
    expect(five.passRate).toEqual({ numerator: 4, denominator: 5, rate: 0.8, suppressed: false });
    expect(five.satisfaction.average).toBe(4.2);
  });

  it('leaves excused sessions out of the attendance base and counts employment by its month', () => {
    const rows = [
      row({ sessionsAttended: 2, sessionsExcused: 1, employment: [{ months: 3, status: 'looking' }] }),
      ...Array.from({ length: 4 }, () => row({ employment: [{ months: 3, status: 'self_employed' }] })),
    ];
    const f = figuresOf(rows);
    expect(f.attendance).toMatchObject({ numerator: 18, denominator: 19 });
    expect(f.employment3m).toMatchObject({ numerator: 4, denominator: 5, rate: 0.8 });
    expect(f.employment6m).toMatchObject({ denominator: 0, rate: null, suppressed: false });
  });

  it('shares the plan’s city target evenly unless a county has its own, in proportion to the period', () => {
    expect(countyTarget(undefined)).toEqual({ sessions: 36364, povertySessions: 2728, source: 'plan' });
    expect(countyTarget({ sessions: 50_000, povertySessions: 5_000 }).source).toBe('county');
    const quarter = targetForPeriod(400_000, new Date('2026-01-01'), new Date('2026-04-01T23:59:59'));
    expect(quarter).toBeGreaterThan(98_000);
    expect(quarter).toBeLessThan(101_000);
  });
});
