import type { Runtime } from '../src/app/compose';
import { benchWorld } from './bench-world';
import { latencySummary } from './stats';

export interface RemindersBenchResult {
  suite: 'reminders';
  jobs: number;
  window_ms: number;
  lateness_p50_ms: number;
  lateness_p99_ms: number;
  lost: number;
}

const COURSES = 20;
/** Time to schedule them all before the first falls due. */
const LEAD_MS = 5_000;

/**
 * `jobs` reminders (60 min before class) for classes starting 1 h + 5…5+window s from now, so they all fall due
 * within the window: scheduled through the reminder scheduler, fired by the reminder worker, sent by the
 * outbound worker. Lateness is when the recording channel got each one minus its due time.
 */
export async function benchReminders(
  runtime: Runtime,
  jobs = 1_000,
  windowMs = 3_000,
): Promise<RemindersBenchResult> {
  const world = await benchWorld(runtime, 10_000, 100);
  try {
    const classes = await world.reminderClasses(jobs, COURSES);
    world.runtime.startReminders();
    await world.runtime.startOutbound(world.channel).waitUntilReady();
    // Class times are set only now, after the set-up, so every reminder falls due within the window that opens LEAD_MS from here.
    const due = await world.dueWithin(classes, Date.now() + LEAD_MS, windowMs);
    await world.runtime.reminders.scheduleEnrolments(classes.enrolmentIds);
    await world.channel.settle(due.size, 5_000 + windowMs);
    const late = world.channel.sends.map((s) => s.at - (due.get(s.chatId) ?? s.at));
    const got = new Set(world.channel.sends.map((s) => s.chatId));
    return {
      suite: 'reminders',
      jobs: due.size,
      window_ms: windowMs,
      ...renamed(latencySummary(late)),
      lost: [...due.keys()].filter((id) => !got.has(id)).length,
    };
  } finally {
    await world.cleanUp();
  }
}

const renamed = (s: { p50_ms: number; p99_ms: number }) => ({
  lateness_p50_ms: s.p50_ms,
  lateness_p99_ms: s.p99_ms,
});
