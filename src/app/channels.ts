import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { SmsMeter } from '../channels/sms/sms-channel';
import { createSmsChannel } from '../channels/sms/sms-factory';
import { createTelegramChannel } from '../channels/telegram/telegram-factory';
import { createWebChannel } from '../channels/web/web-factory';
import { createWechatChannel } from '../channels/wechat/wechat-factory';
import { createWechatOaChannel } from '../channels/wechat-oa/wechat-oa-factory';
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
  /** The database pool (SMS reads the phone and the day's count at send time). */
  pool: pg.Pool;
  smsMeter: SmsMeter;
}

/**
 * The configured platform channels (those whose settings are missing are left out). A new platform is a new
 * folder under src/channels/ exporting its factory and its dependency type, plus one line here.
 */
export function createPlatformChannels(deps: PlatformChannelDeps): Channel[] {
  const { config, logger, translator, db, redis, links, activity } = deps;
  return [
    createWechatChannel({ config, logger, translator, redis, activity, links }),
    createWechatOaChannel({ config, logger, translator, db, redis, activity }),
    createTelegramChannel({ config, logger, translator, redis, links }),
    createWebChannel({ config, logger, db, redis }),
    createSmsChannel({ config, logger, translator, pool: deps.pool, meter: deps.smsMeter }),
  ].filter((channel): channel is NonNullable<typeof channel> => channel !== undefined);
}
