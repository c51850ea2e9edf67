import type { ChannelFactory } from '../../app/channels';
import { createChatLinkRepository } from '../../db/repositories/chat-links-repository';
import { createTranslator } from '../../i18n/i18n';
import { TelegramChannel } from './telegram-channel';
import { redisMenuStore } from './telegram-menus-store';

/** The Telegram channel when TELEGRAM_BOT_TOKEN is set: a webhook with TELEGRAM_WEBHOOK_URL, else polling. */
export const createTelegramChannel: ChannelFactory = ({ config, logger, db, redis }) => {
  if (!config.TELEGRAM_BOT_TOKEN) return undefined;
  const links = createChatLinkRepository(db, config.ADMIN_IDENTITIES);
  return new TelegramChannel({
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    webhook:
      config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
        ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET }
        : undefined,
    sendRatePerSecond: config.TELEGRAM_RATE_PER_SECOND,
    defaultLocale: config.DEFAULT_LOCALE,
    translator: createTranslator(),
    logger,
    // Shared by every process on this Redis, so a press handled by another webhook process is checked too.
    menus: redisMenuStore(redis, `${config.QUEUE_PREFIX}:telegram:menu`, config.SESSION_TTL_SECONDS),
    links: { link: (request) => links.link(request) },
  });
};
