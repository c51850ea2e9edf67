import { DateTime } from 'luxon';

/** Local hours with no reminders: from `start`:00 to `end`:00 (wrapping midnight when start > end). */
export interface QuietHours {
  start: number;
  end: number;
}

/** "22-7" → {start: 22, end: 7}; "" → none. */
export function parseQuietHours(text: string): QuietHours | undefined {
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return start === end ? undefined : { start, end };
}

export function isQuiet(at: Date, timeZone: string, quiet: QuietHours | undefined): boolean {
  if (!quiet) return false;
  const hour = DateTime.fromJSDate(at, { zone: timeZone }).hour;
  return quiet.start > quiet.end
    ? hour >= quiet.start || hour < quiet.end
    : hour >= quiet.start && hour < quiet.end;
}

/**
 * The rule, kept simple on purpose: a reminder that would fall in quiet hours goes out at the last full hour
 * before they begin (21:00 for 22-7) on the evening that starts that quiet period. So a 2 h reminder for an
 * 08:00 class goes at 21:00 the evening before, and a 24 h reminder is never moved later, only earlier.
 */
export function outOfQuietHours(at: Date, timeZone: string, quiet: QuietHours | undefined): Date {
  if (!quiet || !isQuiet(at, timeZone, quiet)) return at;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const wrapped = quiet.start > quiet.end && local.hour < quiet.end;
  const evening = (wrapped ? local.minus({ days: 1 }) : local).set({
    hour: (quiet.start + 23) % 24,
    minute: 0,
    second: 0,
    millisecond: 0,
  });
  return evening.toJSDate();
}

export interface PlannedReminder {
  offsetMinutes: number;
  dueAt: Date;
  /** True when quiet hours moved it earlier. */
  moved: boolean;
}

/** Reminders closer together than this after moving are merged: the earlier (larger offset) one is kept. */
const MERGE_MS = 60 * 60_000;

/** When each reminder for a class session starting at `startsAt` is due, largest offset first. */
export function planReminders(
  startsAt: Date,
  offsetsMinutes: readonly number[],
  timeZone: string,
  quiet: QuietHours | undefined,
): PlannedReminder[] {
  const offsets = [...new Set(offsetsMinutes)].filter((o) => o > 0).sort((a, b) => b - a);
  const planned: PlannedReminder[] = [];
  for (const offsetMinutes of offsets) {
    const raw = new Date(startsAt.getTime() - offsetMinutes * 60_000);
    const dueAt = outOfQuietHours(raw, timeZone, quiet);
    const previous = planned.at(-1);
    if (previous && dueAt.getTime() - previous.dueAt.getTime() < MERGE_MS) continue;
    planned.push({ offsetMinutes, dueAt, moved: dueAt.getTime() !== raw.getTime() });
  }
  return planned;
}

export type ReminderDecision =
  | { action: 'schedule'; dueAt: Date }
  /** Missed (e.g. Redis lost it while down): still worth sending now. */
  | { action: 'send_late' }
  | { action: 'skip'; reason: 'session_started' | 'before_enrolment' | 'quiet_now' | 'superseded' };

/**
 * What to do with each planned reminder at `now`. Future ones are scheduled. Of those already due, only the
 * most recent one is sent late, and only if the class has not started, the person was already signed up
 * when it fell due (no reminder right after signing up) and it is not quiet hours now.
 */
export function decideReminders(
  plan: readonly PlannedReminder[],
  startsAt: Date,
  now: Date,
  confirmedSince: Date,
  timeZone: string,
  quiet: QuietHours | undefined,
): Map<number, ReminderDecision> {
  const decisions = new Map<number, ReminderDecision>();
  const due = plan.filter((p) => p.dueAt.getTime() <= now.getTime());
  const latestDue = due.at(-1);
  for (const p of plan) {
    if (startsAt.getTime() <= now.getTime()) {
      decisions.set(p.offsetMinutes, { action: 'skip', reason: 'session_started' });
    } else if (p.dueAt.getTime() > now.getTime()) {
      decisions.set(p.offsetMinutes, { action: 'schedule', dueAt: p.dueAt });
    } else if (p !== latestDue) {
      decisions.set(p.offsetMinutes, { action: 'skip', reason: 'superseded' });
    } else if (p.dueAt.getTime() < confirmedSince.getTime()) {
      decisions.set(p.offsetMinutes, { action: 'skip', reason: 'before_enrolment' });
    } else if (isQuiet(now, timeZone, quiet)) {
      decisions.set(p.offsetMinutes, { action: 'skip', reason: 'quiet_now' });
    } else {
      decisions.set(p.offsetMinutes, { action: 'send_late' });
    }
  }
  return decisions;
}

/** The domain key of one reminder: also its Delivery key, so it is sent at most once. */
export function reminderKey(enrolmentId: string, sessionId: string, offsetMinutes: number): string {
  return `reminder:${enrolmentId}:${sessionId}:${offsetMinutes}`;
}

/** The guardian's copy of a minor's reminder (the minor gets the usual key): one per recipient, idempotent. */
export function guardianReminderKey(enrolmentId: string, sessionId: string, offsetMinutes: number): string {
  return `${reminderKey(enrolmentId, sessionId, offsetMinutes)}:guardian`;
}
