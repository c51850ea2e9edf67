import type { Redis } from 'ioredis';
import { createTelegramChannel } from '../channels/telegram/telegram-factory';
import { createWebChannel } from '../channels/web/web-factory';
import { createWechatChannel } from '../channels/wechat/wechat-factory';
import type { Config } from '../config';
import type { Channel } from '../core/channel';
import type { Db } from '../db/prisma-client';
import type { Logger } from '../logger';

export interface ChannelContext {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
}

/** Builds a platform's channel, or returns undefined when it is not configured (no token, no puppet…). */
export type ChannelFactory = (context: ChannelContext) => Channel | undefined;

/** A new platform is a new folder under src/channels/ plus one line here. */
export const channelFactories: ChannelFactory[] = [
  createWechatChannel,
  createTelegramChannel,
  createWebChannel,
];
