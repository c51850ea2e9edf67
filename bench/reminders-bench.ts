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
    const { db } = runtime;
    const courses: { id: string; personIds: string[] }[] = [];
    const enrolmentIds: string[] = [];
    for (let c = 0; c < COURSES; c++) {
      const course = await world.course(new Date(Date.now() + 86_400_000), jobs);
      const people = await world.people(Math.ceil(jobs / COURSES));
      const rows = await db.enrolment.createManyAndReturn({
        data: people.map((personId) => ({ personId, courseId: course.id, status: 'confirmed' })),
        select: { id: true },
      });
      courses.push({ id: course.id, personIds: people });
      enrolmentIds.push(...rows.map((r) => r.id));
    }
    world.runtime.startReminders();
    await world.runtime.startOutbound(world.channel).waitUntilReady();
    // Class times are set only now, after the set-up, so every reminder falls due within the window that opens LEAD_MS from here.
    const base = Date.now() + 3_600_000 + LEAD_MS;
    const due = new Map<string, number>();
    for (const [c, course] of courses.entries()) {
      const startsAt = new Date(base + Math.round((windowMs * c) / (COURSES - 1)));
      await db.classSession.updateMany({ where: { courseId: course.id }, data: { startsAt } });
      for (const id of course.personIds) due.set(id, startsAt.getTime() - 3_600_000);
    }
    await world.runtime.reminders.scheduleEnrolments(enrolmentIds);
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
