import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Translator } from '../../core/i18n';
import type { ChannelActivity } from '../../db/repositories/channel-activity-repository';
import type { ChatLinkRepository } from '../../db/repositories/chat-links-repository';
import type { Logger } from '../../logger';
import { WechatChannel } from './wechat-channel';
import { redisLedger } from './wechat-ledger';
import type { WechatSettings } from './wechat-settings';

/** What the WeChat channel is built from; the composition root hands these over. */
export interface WechatChannelDeps {
  config: WechatSettings &
    Pick<Config, 'WECHATY_PUPPET' | 'WECHATY_PUPPET_SERVICE_TOKEN' | 'DATA_DIR' | 'QUEUE_PREFIX'>;
  logger: Logger;
  translator: Translator;
  /** Keeps the ledger (messages answered, today's proactive count) shared by every process. */
  redis: Redis;
  /** When each chat last wrote (the Official Account's reply window survives a restart). */
  activity: ChannelActivity;
  /** Links a room to a course when a coordinator says "@bot 绑定 <code>". */
  links: Pick<ChatLinkRepository, 'link'>;
}

/** The WeChat channel when WECHATY_PUPPET names a puppet; off otherwise. */
export function createWechatChannel({
  config,
  logger,
  translator,
  redis,
  activity,
  links,
}: WechatChannelDeps): WechatChannel | undefined {
  if (!config.WECHATY_PUPPET) return undefined;
  const official = config.WECHAT_ACCOUNT_KIND === 'official';
  // Wechaty keeps the login session here, so a restart does not always need a new QR scan.
  mkdirSync(config.DATA_DIR, { recursive: true });
  return new WechatChannel({
    puppet: config.WECHATY_PUPPET,
    puppetToken: config.WECHATY_PUPPET_SERVICE_TOKEN,
    sessionName: join(config.DATA_DIR, 'wechat'),
    settings: config,
    translator,
    logger,
    ledger: redisLedger(redis, config.QUEUE_PREFIX),
    lastInboundAt: official ? (chatId) => activity.lastInboundAt('wechat', chatId) : undefined,
    recordInbound: official ? (senderId, at) => activity.recordInbound('wechat', senderId, at) : undefined,
    linkRoom: (request) => links.link(request),
  });
}
