import type { MatchReason } from './course-types';

/**
 * China time is UTC+8 all year (no daylight saving since 1991), so calendar days and weekdays come from plain
 * arithmetic: this runs for every course on every course search, where a time-zone library was the costliest
 * part of the turn.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar day in China time, counted from 1970-01-01. */
const chinaDay = (date: Date): number => Math.floor((date.getTime() + CHINA_OFFSET_MS) / DAY_MS);
/** ISO weekday (Monday 1 … Sunday 7) of a chinaDay; 1970-01-01 was a Thursday. */
const weekdayOf = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;
/** The wall clock in China time, read through a Date's UTC fields. */
const wallClock = (date: Date): Date => new Date(date.getTime() + CHINA_OFFSET_MS);
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * When a course starts, the way people say it: 今天 / 明天 / 后天 / 本周五 / 下周一 / 12天后 (China time).
 * Every key gets `time` (HH:mm); `inDays` also gets `days`, `month`, `day`.
 */
export function describeStart(start: Date, now: Date): MatchReason {
  const wall = wallClock(start);
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
  if (start < now) return { key: 'courses:start.started', params: { time } };

  const startDay = chinaDay(start);
  const today = chinaDay(now);
  const days = startDay - today;
  if (days === 0) return { key: 'courses:start.today', params: { time } };
  if (days === 1) return { key: 'courses:start.tomorrow', params: { time } };
  if (days === 2) return { key: 'courses:start.dayAfterTomorrow', params: { time } };

  const weekStart = today - (weekdayOf(today) - 1); // ISO weeks start on Monday, as 本周/下周 do
  const weeksAhead = Math.floor((startDay - weekStart) / 7);
  const weekday = weekdayOf(startDay);
  if (weeksAhead === 0) return { key: `courses:start.thisWeek.${weekday}`, params: { time } };
  if (weeksAhead === 1) return { key: `courses:start.nextWeek.${weekday}`, params: { time } };
  return {
    key: 'courses:start.inDays',
    params: { days, month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), time },
  };
}

/** Whole calendar days from now until start in China time (negative when it is in the past). */
export function daysUntil(start: Date, now: Date): number {
  return chinaDay(start) - chinaDay(now);
}

/** The age someone born in `birthYear` reaches this year (China time); today they are this or one less. */
export function yearsSince(birthYear: number, now: Date): number {
  return wallClock(now).getUTCFullYear() - birthYear;
}
