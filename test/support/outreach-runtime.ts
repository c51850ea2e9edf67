import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { loadConfig } from '../../src/config';
import type { TurnResult } from '../../src/core/dialog/engine';
import type { Db } from '../../src/db/prisma-client';
import { createLogger } from '../../src/logger';
import { RecordingChannel } from './recording-channel';
import { isolatedDb, testRedis, uniquePrefix } from './test-env';

export interface OutreachWorld {
  runtime: Runtime;
  channel: RecordingChannel;
  prefix: string;
  close(): Promise<void>;
}

/** A deployment's configuration for these tests: its database and queue prefix, fixed keys, fast retries. */
export function outreachConfig(url: string, prefix: string, env: Record<string, string> = {}) {
  return loadConfig({
    DATABASE_URL: url,
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: prefix,
    SEED_SAMPLE_DATA: 'never',
    PII_ENCRYPTION_KEY: 'a'.repeat(64),
    PII_HASH_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'silent',
    OUTBOUND_DEFAULT_RATE_PER_SECOND: '1000',
    OUTBOUND_BACKOFF_MS: '100',
    OUTBOUND_ATTEMPTS: '4',
    ...env,
  });
}

/**
 * The real runtime with a recording channel named 'test' as its only platform, its own queue prefix and its
 * own database schema (a sweep rebuilds reminders from every enrolment it sees, so worlds must not share
 * tables), short lock/lease timings (a killed worker is recovered in seconds) and fast retries.
 */
export async function outreachWorld(
  options: { env?: Record<string, string>; workers?: boolean; channel?: RecordingChannel } = {},
): Promise<OutreachWorld> {
  const prefix = uniquePrefix('out');
  const channel = options.channel ?? new RecordingChannel();
  const { url } = await isolatedDb('outreach');
  const config = outreachConfig(url, prefix, options.env);
  const runtime = await createRuntime(config, createLogger(config.LOG_LEVEL), {
    channels: [channel],
    workers: { workerOptions: { lockDuration: 2_000, stalledInterval: 1_000 }, leaseMs: 1_500 },
  });
  if (options.workers !== false) await runtime.startWorkers();
  return { runtime, channel, prefix, close: () => runtime.close() };
}

/** Deletes every Redis key under the prefix: what a Redis flush would do to this deployment, and nothing else. */
export async function flushPrefix(prefix: string): Promise<number> {
  const redis = testRedis();
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Someone chatting on the 'test' channel with a known id (their chat id is the same). */
export function chatter(runtime: Runtime, id = `u-${randomUUID().slice(0, 8)}`) {
  let seq = 0;
  return {
    id,
    say(text: string, choiceIndex?: number): Promise<TurnResult> {
      return runtime.engine.handle({
        id: `${id}:${++seq}:${Date.now()}`,
        address: { channel: 'test', chatId: id },
        senderId: id,
        text,
        choiceIndex,
        receivedAt: new Date(),
      });
    },
    async personId(): Promise<string> {
      const identity = await runtime.db.channelIdentity.findUniqueOrThrow({
        where: { channel_externalId: { channel: 'test', externalId: id } },
      });
      return identity.personId;
    },
  };
}

/** `n` people with a 'test' identity (chat id = person id) and a confirmed seat in the course. */
export async function enrolledPeople(
  db: Db,
  courseId: string,
  n: number,
  options: { status?: 'confirmed' | 'waitlisted'; withIdentity?: boolean; locale?: string } = {},
): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await db.person.createMany({ data: ids.map((id) => ({ id, locale: options.locale ?? 'zh-CN' })) });
  if (options.withIdentity !== false) {
    await db.channelIdentity.createMany({
      data: ids.map((id) => ({
        channel: 'test',
        externalId: id,
        chatId: id,
        personId: id,
        lastInboundAt: new Date(),
      })),
    });
  }
  const status = options.status ?? 'confirmed';
  const start =
    status === 'waitlisted'
      ? ((await db.enrolment.aggregate({ where: { courseId }, _max: { waitlistPosition: true } }))._max
          .waitlistPosition ?? 0)
      : 0;
  await db.enrolment.createMany({
    data: ids.map((personId, i) => ({
      personId,
      courseId,
      status,
      waitlistPosition: status === 'waitlisted' ? start + i + 1 : null,
    })),
  });
  if (status === 'confirmed') {
    await db.course.update({ where: { id: courseId }, data: { seatsTaken: { increment: n } } });
  }
  return ids;
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  // Generous: a waiting limit against hangs, not a speed check (CI machines can be loaded).
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
