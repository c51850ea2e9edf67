import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  decideReminders,
  isQuiet,
  parseQuietHours,
  planReminders,
  reminderKey,
} from '../../src/core/reminders/reminder-plan';

const ZONE = 'Asia/Shanghai';
const QUIET = parseQuietHours('22-7');
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();
const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm');

describe('reminder plan', () => {
  it('reminds 24 h and 2 h before a morning class, in Shanghai time', () => {
    const nine = planReminders(at('2026-12-01T09:00'), [1440, 120], ZONE, QUIET);
    expect(nine.map((p) => [p.offsetMinutes, local(p.dueAt), p.moved])).toEqual([
      [1440, '2026-11-30 09:00', false],
      [120, '2026-12-01 07:00', false],
    ]);
    const eight = planReminders(at('2026-12-01T08:00'), [1440, 120], ZONE, QUIET);
    expect(eight.map((p) => [p.offsetMinutes, local(p.dueAt), p.moved])).toEqual([
      [1440, '2026-11-30 08:00', false],
      [120, '2026-11-30 21:00', true],
    ]);
  });

  it('moves a reminder due in quiet hours to 21:00 the evening before, never later', () => {
    expect(local(planReminders(at('2026-12-01T23:30'), [1440], ZONE, QUIET)[0]!.dueAt)).toBe(
      '2026-11-30 21:00',
    );
    expect(local(planReminders(at('2026-12-01T06:30'), [1440], ZONE, QUIET)[0]!.dueAt)).toBe(
      '2026-11-29 21:00',
    );
    expect(local(planReminders(at('2026-12-01T08:00'), [120], ZONE, QUIET)[0]!.dueAt)).toBe(
      '2026-11-30 21:00',
    );
  });

  it('never plans a reminder in quiet hours or after the class starts (any start time, any offsets)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }),
        fc.uniqueArray(fc.integer({ min: 1, max: 4 * 1440 }), { minLength: 1, maxLength: 4 }),
        (start, offsets) => {
          for (const p of planReminders(start, offsets, ZONE, QUIET)) {
            expect(isQuiet(p.dueAt, ZONE, QUIET)).toBe(false);
            expect(p.dueAt.getTime()).toBeLessThan(start.getTime());
            expect(p.dueAt.getTime()).toBeLessThanOrEqual(start.getTime() - p.offsetMinutes * 60_000);
          }
        },
      ),
    );
  });

  it('merges reminders that quiet hours pushed together, keeping the earlier one', () => {
    const plan = planReminders(at('2026-12-01T07:30'), [600, 540], ZONE, QUIET);
    expect(plan.map((p) => p.offsetMinutes)).toEqual([600]);
  });

  it('has no quiet hours when configured empty', () => {
    expect(parseQuietHours('')).toBeUndefined();
    expect(planReminders(at('2026-12-01T08:00'), [120], ZONE, undefined)[0]!.moved).toBe(false);
  });

  it('schedules future reminders, sends only the latest missed one late, and skips the rest with a reason', () => {
    const start = at('2026-12-01T09:00');
    const plan = planReminders(start, [1440, 120], ZONE, QUIET);
    const longAgo = at('2026-11-01T09:00');
    const future = decideReminders(plan, start, at('2026-11-29T12:00'), longAgo, ZONE, QUIET);
    expect([...future.values()].map((d) => d.action)).toEqual(['schedule', 'schedule']);

    const missed = decideReminders(plan, start, at('2026-11-30T10:00'), longAgo, ZONE, QUIET);
    expect(missed.get(1440)).toEqual({ action: 'send_late' });
    expect(missed.get(120)?.action).toBe('schedule');

    const justSignedUp = at('2026-11-30T10:00');
    expect(decideReminders(plan, start, justSignedUp, justSignedUp, ZONE, QUIET).get(1440)).toEqual({
      action: 'skip',
      reason: 'before_enrolment',
    });
    const night = decideReminders(plan, start, at('2026-11-30T23:00'), longAgo, ZONE, QUIET);
    expect(night.get(1440)).toEqual({ action: 'skip', reason: 'quiet_now' });
    expect(night.get(120)?.action).toBe('schedule');
    const bothDue = decideReminders(plan, start, at('2026-12-01T08:00'), longAgo, ZONE, QUIET);
    expect(bothDue.get(1440)).toEqual({ action: 'skip', reason: 'superseded' });
    expect(bothDue.get(120)).toEqual({ action: 'send_late' });
    const started = decideReminders(plan, start, at('2026-12-01T09:30'), longAgo, ZONE, QUIET);
    expect([...started.values()]).toEqual([
      { action: 'skip', reason: 'session_started' },
      { action: 'skip', reason: 'session_started' },
    ]);
  });

  it('keys a reminder by enrolment, session and offset', () => {
    expect(reminderKey('e1', 's1', 120)).toBe('reminder:e1:s1:120');
  });
});
