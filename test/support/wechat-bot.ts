import { inject } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { redisLedger } from '../../src/channels/wechat/wechat-ledger';
import { loadConfig } from '../../src/config';
import {
  type ChatLinkRepository,
  createChatLinkRepository,
} from '../../src/db/repositories/chat-links-repository';
import { createLogger } from '../../src/logger';
import { isolatedDb, testRedis, uniquePrefix } from './test-env';
import { type WechatWorld, wechatSettings, wechatWorld } from './wechat-world';

export type WechatPerson = ReturnType<WechatWorld['person']>;

export interface WechatBot {
  world: WechatWorld;
  runtime: Runtime;
  /** A contact that is an admin by WeChat id (ADMIN_IDENTITIES): may link rooms and broadcast. */
  admin: WechatPerson;
}

/**
 * The whole bot (dialog engine, reminders, broadcasts, outbound queue and worker) with WeChat on
 * wechaty-puppet-mock, logged in, on a database schema of its own (course searches and delivery estimates see
 * only this bot's rows), with the chat-link repository and the Redis ledger wired as wechat-factory.ts does.
 */
export async function wechatBot(
  options: { settings?: Record<string, string>; env?: Record<string, string>; adminName?: string } = {},
): Promise<WechatBot> {
  let links: ChatLinkRepository | undefined;
  const world = wechatWorld(
    {
      linkRoom: (request) => links!.link(request),
      // As wechat-factory.ts wires it: seen message ids and the daily count in Redis, not in memory.
      ledger: redisLedger(testRedis(), uniquePrefix('wxl')),
    },
    wechatSettings(options.settings),
  );
  const admin = world.person(options.adminName ?? '张老师');
  const config = loadConfig({
    DATABASE_URL: (await isolatedDb('wechat')).url,
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: uniquePrefix('wx'),
    SEED_SAMPLE_DATA: 'never',
    PII_ENCRYPTION_KEY: 'a'.repeat(64),
    PII_HASH_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'silent',
    ADMIN_IDENTITIES: `wechat:${admin.contact.id}`,
    ...options.env,
  });
  const runtime = await createRuntime(config, createLogger('silent'), { channels: [world.channel] });
  links = createChatLinkRepository(runtime.db, runtime.coordinators.access);
  await runtime.startChannels();
  await world.login();
  await runtime.startWorkers();
  return { world, runtime, admin };
}
