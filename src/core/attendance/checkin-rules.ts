/**
 * When a class session can be checked in to, and what a check-in or its absence counts as. Pure: the
 * numbers come from configuration (CHECKIN_* in src/config.ts), the clock from the caller.
 */
export interface CheckinRules {
  /** A code is shown for this many minutes; the one before it is still accepted (like TOTP's drift window). */
  stepMinutes: number;
  /** Check-in opens this many minutes before the class starts… */
  opensBeforeMinutes: number;
  /** …and closes this many minutes after it started. */
  closesAfterMinutes: number;
  /** A check-in more than this many minutes after the start counts as late. */
  lateAfterMinutes: number;
}

export const DEFAULT_CHECKIN_RULES: CheckinRules = {
  stepMinutes: 5,
  opensBeforeMinutes: 30,
  closesAfterMinutes: 30,
  lateAfterMinutes: 10,
};

const MINUTE = 60_000;

export interface CheckinWindow {
  opensAt: Date;
  closesAt: Date;
  /** Check-ins after this instant are late. */
  lateAfter: Date;
}

export function checkinWindow(startsAt: Date, rules: CheckinRules): CheckinWindow {
  const start = startsAt.getTime();
  return {
    opensAt: new Date(start - rules.opensBeforeMinutes * MINUTE),
    closesAt: new Date(start + rules.closesAfterMinutes * MINUTE),
    lateAfter: new Date(start + rules.lateAfterMinutes * MINUTE),
  };
}

export type WindowState = 'before' | 'open' | 'closed';

export function windowState(now: Date, startsAt: Date, rules: CheckinRules): WindowState {
  const w = checkinWindow(startsAt, rules);
  if (now < w.opensAt) return 'before';
  return now <= w.closesAt ? 'open' : 'closed';
}

/** What a self check-in at `at` is recorded as. */
export function checkinStatus(at: Date, startsAt: Date, rules: CheckinRules): 'present' | 'late' {
  return at > checkinWindow(startsAt, rules).lateAfter ? 'late' : 'present';
}

export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/**
 * A trainee's attendance at one session as the console and reports show it: a recorded row wins; without
 * one, a leave request makes it excused, a session whose check-in has closed makes it absent, and otherwise
 * it is still to come ('open' while check-in runs, 'upcoming' before).
 */
export type EffectiveAttendance = AttendanceStatus | 'open' | 'upcoming' | 'cancelled';

export function effectiveAttendance(input: {
  recorded?: string | null;
  leave: boolean;
  startsAt: Date;
  cancelled: boolean;
  now: Date;
  rules: CheckinRules;
}): EffectiveAttendance {
  if (input.cancelled) return 'cancelled';
  const recorded = ATTENDANCE_STATUSES.find((s) => s === input.recorded);
  if (recorded) return recorded;
  if (input.leave) return 'excused';
  const state = windowState(input.now, input.startsAt, input.rules);
  if (state === 'closed') return 'absent';
  return state === 'open' ? 'open' : 'upcoming';
}
