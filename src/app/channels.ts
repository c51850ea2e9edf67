import type { Redis } from 'ioredis';
import { createTelegramChannel } from '../channels/telegram/telegram-factory';
import { createWebChannel } from '../channels/web/web-factory';
import { createWechatChannel } from '../channels/wechat/wechat-factory';
import type { Config } from '../config';
import type { Channel } from '../core/channel';
import type { Translator } from '../core/i18n';
import type { Db } from '../db/prisma-client';
import type { ChannelActivity } from '../db/repositories/channel-activity-repository';
import type { ChatLinkRepository } from '../db/repositories/chat-links-repository';
import type { Logger } from '../logger';

/** What the platform channels are built from, all made once by the composition root. */
export interface PlatformChannelDeps {
  config: Config;
  logger: Logger;
  translator: Translator;
  db: Db;
  redis: Redis;
  links: ChatLinkRepository;
  activity: ChannelActivity;
}

/**
 * The configured platform channels (those whose settings are missing are left out). A new platform is a new
 * folder under src/channels/ exporting its factory and its dependency type, plus one line here.
 */
export function createPlatformChannels(deps: PlatformChannelDeps): Channel[] {
  const { config, logger, translator, db, redis, links, activity } = deps;
  return [
    createWechatChannel({ config, logger, translator, redis, activity, links }),
    createTelegramChannel({ config, logger, translator, redis, links }),
    createWebChannel({ config, logger, db, redis }),
  ].filter((channel): channel is NonNullable<typeof channel> => channel !== undefined);
}
