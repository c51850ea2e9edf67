import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Translator } from '../../core/i18n';
import type { ChatLinkRepository } from '../../db/repositories/chat-links-repository';
import type { Logger } from '../../logger';
import { TelegramChannel } from './telegram-channel';
import { redisMenuStore } from './telegram-menus-store';

/** What the Telegram channel is built from; the composition root hands these over. */
export interface TelegramChannelDeps {
  config: Pick<
    Config,
    | 'TELEGRAM_BOT_TOKEN'
    | 'TELEGRAM_API_ROOT'
    | 'TELEGRAM_WEBHOOK_URL'
    | 'TELEGRAM_WEBHOOK_SECRET'
    | 'TELEGRAM_RATE_PER_SECOND'
    | 'DEFAULT_LOCALE'
    | 'QUEUE_PREFIX'
    | 'SESSION_TTL_SECONDS'
  >;
  logger: Logger;
  translator: Translator;
  /** Shared by every process on this Redis, so a press handled by another webhook process is checked too. */
  redis: Redis;
  /** Links a group to a course when a coordinator asks. */
  links: Pick<ChatLinkRepository, 'link'>;
}

/** The Telegram channel when TELEGRAM_BOT_TOKEN is set: a webhook with TELEGRAM_WEBHOOK_URL, else polling. */
export function createTelegramChannel({
  config,
  logger,
  translator,
  redis,
  links,
}: TelegramChannelDeps): TelegramChannel | undefined {
  if (!config.TELEGRAM_BOT_TOKEN) return undefined;
  return new TelegramChannel({
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    webhook:
      config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET
        ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET }
        : undefined,
    sendRatePerSecond: config.TELEGRAM_RATE_PER_SECOND,
    defaultLocale: config.DEFAULT_LOCALE,
    translator,
    logger,
    menus: redisMenuStore(redis, `${config.QUEUE_PREFIX}:telegram:menu`, config.SESSION_TTL_SECONDS),
    links: { link: (request) => links.link(request) },
  });
}
