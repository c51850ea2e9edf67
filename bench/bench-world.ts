import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { createRuntime, type Runtime } from '../src/app/compose';
import { allQueueNames } from '../src/jobs/queue-names';
import { createBenchCourse } from './bench-course';
import { BenchChannel } from './recording-channel';

export interface ReminderClasses {
  courses: { id: string; personIds: string[] }[];
  enrolmentIds: string[];
}

export interface BenchWorld {
  /** A second runtime on the same database, with its own queue prefix and the bench channel. */
  runtime: Runtime;
  channel: BenchChannel;
  prefix: string;
  /** People with a 'test' chat (chat id = person id), created for the run. */
  people(n: number): Promise<string[]>;
  course(startsAt: Date, capacity: number): Promise<{ id: string; code: string }>;
  /** A notice drafted by `authorId` (an admin) to a new class of `n` new confirmed people, not yet confirmed. */
  notice(authorId: string, n: number): Promise<{ id: string; people: Set<string> }>;
  /** `jobs` confirmed sign-ups spread over `classes` new classes, for reminders. */
  reminderClasses(jobs: number, classes: number): Promise<ReminderClasses>;
  /**
   * Moves the classes so that their one-hour reminders fall due between `from` and `from + windowMs`; returns when
   * each person's reminder is due.
   */
  dueWithin(classes: ReminderClasses, from: number, windowMs: number): Promise<Map<string, number>>;
  cleanUp(): Promise<void>;
}

/**
 * A runtime on its own queue prefix and its own rows, sharing the deployment's open database, with only the
 * workers the benchmark starts (never the sweep, which would act on the deployment's real enrolments).
 * Everything is removed afterwards.
 */
export async function benchWorld(
  runtime: Runtime,
  ratePerSecond: number,
  concurrency: number,
): Promise<BenchWorld> {
  const prefix = `${runtime.config.QUEUE_PREFIX}:bench-${randomBytes(3).toString('hex')}`;
  const channel = new BenchChannel(ratePerSecond);
  const config = {
    ...runtime.config,
    QUEUE_PREFIX: prefix,
    OUTBOUND_DEFAULT_RATE_PER_SECOND: ratePerSecond,
    OUTBOUND_CONCURRENCY: concurrency,
    REMINDER_OFFSETS_MINUTES: [60],
    REMINDER_QUIET_HOURS: '',
    REMINDER_HORIZON_DAYS: 1,
  };
  const world = await createRuntime(config, runtime.logger, {
    channels: [channel],
    database: runtime.database,
  });
  const { db } = runtime;
  const personIds: string[] = [];
  const courseIds: string[] = [];

  const self: BenchWorld = {
    runtime: world,
    channel,
    prefix,
    async people(n) {
      const ids = Array.from({ length: n }, () => randomUUID());
      personIds.push(...ids);
      await db.person.createMany({ data: ids.map((id) => ({ id })) });
      await db.channelIdentity.createMany({
        data: ids.map((id) => ({ channel: 'test', externalId: `bench-${id}`, chatId: id, personId: id })),
      });
      return ids;
    },
    async course(startsAt, capacity) {
      const course = await createBenchCourse(db, capacity, startsAt);
      courseIds.push(course.id);
      return course;
    },
    async notice(authorId, n) {
      const course = await self.course(new Date(Date.now() + 7 * 86_400_000), n);
      const people = await self.people(n);
      await db.enrolment.createMany({
        data: people.map((personId) => ({ personId, courseId: course.id, status: 'confirmed' })),
      });
      const admin = { role: 'admin' as const, courseCodes: [], counties: [] };
      const draft = await world.broadcasts.draft(
        authorId,
        admin,
        course.code,
        '明天上午9点改到201教室',
        new Date(),
      );
      if (draft.status !== 'ok') throw new Error(`broadcast draft failed: ${draft.status}`);
      return { id: draft.preview.broadcastId, people: new Set(people) };
    },
    async reminderClasses(jobs, classes) {
      const result: ReminderClasses = { courses: [], enrolmentIds: [] };
      for (let c = 0; c < classes; c++) {
        const course = await self.course(new Date(Date.now() + 86_400_000), jobs);
        const people = await self.people(Math.ceil(jobs / classes));
        const rows = await db.enrolment.createManyAndReturn({
          data: people.map((personId) => ({ personId, courseId: course.id, status: 'confirmed' })),
          select: { id: true },
        });
        result.courses.push({ id: course.id, personIds: people });
        result.enrolmentIds.push(...rows.map((r) => r.id));
      }
      return result;
    },
    async dueWithin({ courses }, from, windowMs) {
      const due = new Map<string, number>();
      for (const [c, course] of courses.entries()) {
        const dueAt = from + Math.round((windowMs * c) / Math.max(1, courses.length - 1));
        const startsAt = new Date(dueAt + 3_600_000);
        await db.classSession.updateMany({ where: { courseId: course.id }, data: { startsAt } });
        for (const id of course.personIds) due.set(id, dueAt);
      }
      return due;
    },
    async cleanUp() {
      await world.close();
      await db.delivery.deleteMany({ where: { personId: { in: personIds } } });
      await db.auditLog.deleteMany({ where: { actorId: { in: personIds } } });
      await db.course.deleteMany({ where: { id: { in: courseIds } } });
      await db.person.deleteMany({ where: { id: { in: personIds } } });
      for (const name of allQueueNames(world.delivery.channels)) {
        const queue = new Queue(name, { connection: runtime.redis, prefix });
        await queue.obliterate({ force: true });
        await queue.close();
      }
      let cursor = '0';
      do {
        const [next, keys] = await runtime.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await runtime.redis.del(...keys);
      } while (cursor !== '0');
    },
  };
  return self;
}
