import { DateTime } from 'luxon';
import type { MatchReason } from './course-types';

const ZONE = 'Asia/Shanghai';

/**
 * When a course starts, the way people say it: 今天 / 明天 / 后天 / 本周五 / 下周一 / 12天后 (China time).
 * Every key gets `time` (HH:mm); `inDays` also gets `days`, `month`, `day`.
 */
export function describeStart(start: Date, now: Date): MatchReason {
  const s = DateTime.fromJSDate(start, { zone: ZONE });
  const n = DateTime.fromJSDate(now, { zone: ZONE });
  const time = s.toFormat('HH:mm');
  if (s < n) return { key: 'courses:start.started', params: { time } };

  const days = Math.round(s.startOf('day').diff(n.startOf('day'), 'days').days);
  if (days === 0) return { key: 'courses:start.today', params: { time } };
  if (days === 1) return { key: 'courses:start.tomorrow', params: { time } };
  if (days === 2) return { key: 'courses:start.dayAfterTomorrow', params: { time } };

  const weekStart = n.startOf('week'); // ISO weeks start on Monday, as 本周/下周 do
  const weeksAhead = Math.floor(s.startOf('day').diff(weekStart, 'weeks').weeks);
  if (weeksAhead === 0) return { key: `courses:start.thisWeek.${s.weekday}`, params: { time } };
  if (weeksAhead === 1) return { key: `courses:start.nextWeek.${s.weekday}`, params: { time } };
  return { key: 'courses:start.inDays', params: { days, month: s.month, day: s.day, time } };
}

/** Whole calendar days from now until start in China time (negative when it is in the past). */
export function daysUntil(start: Date, now: Date): number {
  const s = DateTime.fromJSDate(start, { zone: ZONE }).startOf('day');
  const n = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  return Math.round(s.diff(n, 'days').days);
}

/** The age someone born in `birthYear` reaches this year (China time); today they are this or one less. */
export function yearsSince(birthYear: number, now: Date): number {
  return DateTime.fromJSDate(now, { zone: ZONE }).year - birthYear;
}
