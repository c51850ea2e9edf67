import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { createOutreach, type Outreach } from '../src/app/outreach';
import type { Runtime } from '../src/app/runtime';
import type { Channel } from '../src/core/channel';
import type { ChannelName } from '../src/core/message';
import { createTranslator } from '../src/i18n/i18n';
import { allQueueNames } from '../src/jobs/queue-names';
import { createMemorySessionStore } from '../src/session/redis-session-store';
import { createBenchCourse } from './bench-course';
import { BenchChannel } from './recording-channel';

export interface BenchWorld {
  outreach: Outreach;
  channel: BenchChannel;
  prefix: string;
  /** People with a 'test' chat (chat id = person id), created for the run. */
  people(n: number): Promise<string[]>;
  course(startsAt: Date, capacity: number): Promise<{ id: string; code: string }>;
  cleanUp(): Promise<void>;
}

/**
 * Outreach on its own queue prefix and its own rows, with only the workers the benchmark starts (never the
 * sweep, which would act on the deployment's real enrolments). Everything is removed afterwards.
 */
export function benchWorld(runtime: Runtime, ratePerSecond: number, concurrency: number): BenchWorld {
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
  const outreach = createOutreach({
    config,
    logger: runtime.logger,
    db: runtime.db,
    pool: runtime.database.pool,
    translator: createTranslator(),
    sessions: createMemorySessionStore(),
    channels: new Map<ChannelName, Channel>([['test', channel]]),
  });
  const { db } = runtime;
  const personIds: string[] = [];
  const courseIds: string[] = [];

  return {
    outreach,
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
      await outreach.close();
      await db.delivery.deleteMany({ where: { personId: { in: personIds } } });
      await db.auditLog.deleteMany({ where: { actorId: { in: personIds } } });
      await db.course.deleteMany({ where: { id: { in: courseIds } } });
      await db.person.deleteMany({ where: { id: { in: personIds } } });
      for (const name of allQueueNames()) {
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
