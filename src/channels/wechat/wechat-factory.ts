import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelFactory } from '../../app/channels';
import { createChannelActivity } from '../../db/repositories/channel-activity-repository';
import { createChatLinkRepository } from '../../db/repositories/chat-links-repository';
import { createTranslator } from '../../i18n/i18n';
import { WechatChannel } from './wechat-channel';
import { redisLedger } from './wechat-ledger';

/** The WeChat channel when WECHATY_PUPPET names a puppet; off otherwise. */
export const createWechatChannel: ChannelFactory = ({ config, logger, db, redis }) => {
  if (!config.WECHATY_PUPPET) return undefined;
  const activity = createChannelActivity(db);
  const links = createChatLinkRepository(db, config.ADMIN_IDENTITIES);
  const official = config.WECHAT_ACCOUNT_KIND === 'official';
  // Wechaty keeps the login session here, so a restart does not always need a new QR scan.
  mkdirSync(config.DATA_DIR, { recursive: true });
  return new WechatChannel({
    puppet: config.WECHATY_PUPPET,
    puppetToken: config.WECHATY_PUPPET_SERVICE_TOKEN,
    sessionName: join(config.DATA_DIR, 'wechat'),
    settings: config,
    translator: createTranslator(),
    logger,
    ledger: redisLedger(redis, config.QUEUE_PREFIX),
    lastInboundAt: official ? (chatId) => activity.lastInboundAt('wechat', chatId) : undefined,
    recordInbound: official ? (senderId, at) => activity.recordInbound('wechat', senderId, at) : undefined,
    linkRoom: (request) => links.link(request),
  });
};
