import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { daysUntil, describeStart, yearsSince } from '../../src/core/courses/describe-start';

const ZONE = 'Asia/Shanghai';

/** The time-zone library's reading of the same calendar, as describeStart used to compute it. */
function reference(start: Date, now: Date) {
  const s = DateTime.fromJSDate(start, { zone: ZONE });
  const n = DateTime.fromJSDate(now, { zone: ZONE });
  const time = s.toFormat('HH:mm');
  if (s < n) return { key: 'courses:start.started', params: { time } };
  const days = Math.round(s.startOf('day').diff(n.startOf('day'), 'days').days);
  if (days === 0) return { key: 'courses:start.today', params: { time } };
  if (days === 1) return { key: 'courses:start.tomorrow', params: { time } };
  if (days === 2) return { key: 'courses:start.dayAfterTomorrow', params: { time } };
  const weeksAhead = Math.floor(s.startOf('day').diff(n.startOf('week'), 'weeks').weeks);
  if (weeksAhead === 0) return { key: `courses:start.thisWeek.${s.weekday}`, params: { time } };
  if (weeksAhead === 1) return { key: `courses:start.nextWeek.${s.weekday}`, params: { time } };
  return { key: 'courses:start.inDays', params: { days, month: s.month, day: s.day, time } };
}

describe('when a course starts, in China time', () => {
  const instant = fc.date({
    min: new Date('2019-01-01T00:00:00Z'),
    max: new Date('2035-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('says the same day, weekday and clock time as the time-zone database, for any start and any now', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -3 * 86_400_000, max: 40 * 86_400_000 }), (now, ahead) => {
        const start = new Date(now.getTime() + ahead);
        expect(describeStart(start, now)).toEqual(reference(start, now));
        expect(daysUntil(start, now)).toBe(
          Math.round(
            DateTime.fromJSDate(start, { zone: ZONE })
              .startOf('day')
              .diff(DateTime.fromJSDate(now, { zone: ZONE }).startOf('day'), 'days').days,
          ),
        );
        expect(yearsSince(1990, now)).toBe(DateTime.fromJSDate(now, { zone: ZONE }).year - 1990);
      }),
      { numRuns: 2_000 },
    );
  });

  it('turns the day at midnight Beijing time, not UTC', () => {
    const now = new Date('2026-12-04T15:30:00Z'); // 23:30 on Friday 4 December in Zhaotong
    expect(describeStart(new Date('2026-12-04T16:30:00Z'), now)).toEqual({
      key: 'courses:start.tomorrow',
      params: { time: '00:30' },
    });
    expect(describeStart(new Date('2026-12-06T01:00:00Z'), now).key).toBe('courses:start.dayAfterTomorrow');
    expect(describeStart(new Date('2026-12-07T01:00:00Z'), now).key).toBe('courses:start.nextWeek.1');
  });
});
