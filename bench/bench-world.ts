import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { createRuntime, type Runtime } from '../src/app/compose';
import { allQueueNames } from '../src/jobs/queue-names';
import { createBenchCourse } from './bench-course';
import { BenchChannel } from './recording-channel';

export interface BenchWorld {
  /** A second runtime on the same database, with its own queue prefix and the bench channel. */
  runtime: Runtime;
  channel: BenchChannel;
  prefix: string;
  /** People with a 'test' chat (chat id = person id), created for the run. */
  people(n: number): Promise<string[]>;
  course(startsAt: Date, capacity: number): Promise<{ id: string; code: string }>;
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

  return {
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
}
