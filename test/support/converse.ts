import { afterAll, beforeAll, inject } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { loadConfig } from '../../src/config';
import type { TurnResult } from '../../src/core/dialog/engine';
import { createLogger } from '../../src/logger';
import { uniquePrefix } from './test-env';

/** The real runtime (PostgreSQL, Redis, knowledge, engine) on this test run's database and a fresh key prefix. */
export async function testRuntime(extra: Record<string, string> = {}): Promise<Runtime> {
  const config = loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    SEED_SAMPLE_DATA: 'never',
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: uniquePrefix('rt'),
    PII_ENCRYPTION_KEY: 'a'.repeat(64),
    PII_HASH_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'silent',
    ...extra,
  });
  return createRuntime(config, createLogger(config.LOG_LEVEL));
}

let seq = 0;

/** A person typing into the bot, as `converse` would run it: one session per user, messages in order. */
export function person(runtime: Runtime, user: string, channel: 'converse' | 'test' = 'converse') {
  const id = `${user}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  return {
    id,
    async say(text: string, choiceIndex?: number): Promise<TurnResult> {
      return runtime.engine.handle({
        id: `${id}:${++seq}`,
        address: { channel, chatId: id },
        senderId: id,
        text,
        choiceIndex,
        receivedAt: new Date(),
      });
    },
  };
}

export const allText = (r: TurnResult) => r.replies.map((x) => x.text).join('\n');

/**
 * This file's real runtime, opened before its tests and closed after them, and `fresh()`: a new person for each
 * call, named `${prefix}-…`, so no conversation carries over from another test.
 */
export function runtimeWithPeople(prefix: string) {
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    runtime = await testRuntime();
  });
  afterAll(async () => {
    await runtime?.close();
  });
  let n = 0;
  const shared = {
    get runtime(): Runtime {
      if (!runtime) throw new Error('the runtime is opened in beforeAll');
      return runtime;
    },
    fresh: () => person(shared.runtime, `${prefix}-${Date.now().toString(36)}-${++n}`),
  };
  return shared;
}
