import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Translator } from '../../core/i18n';
import type { Db } from '../../db/prisma-client';
import type { ChannelActivity } from '../../db/repositories/channel-activity-repository';
import type { Logger } from '../../logger';
import { WechatOaChannel } from './wechat-oa-channel';
import { prismaOaStore } from './wechat-oa-store';
import { SUBSCRIBE_PAGE_PATH } from './wechat-oa-subscribe-page';

/** What the Service Account channel is built from; the composition root hands these over. */
export interface WechatOaChannelDeps {
  config: Pick<
    Config,
    | 'WECHAT_OA_APPID'
    | 'WECHAT_OA_APPSECRET'
    | 'WECHAT_OA_TOKEN'
    | 'WECHAT_OA_ENCODING_AES_KEY'
    | 'WECHAT_OA_PUSH_PATH'
    | 'WECHAT_OA_API_BASE'
    | 'WECHAT_OA_TEMPLATES'
    | 'WECHAT_OA_SUBSCRIBE_TEMPLATES'
    | 'WECHAT_OA_SUBSCRIBE_URL'
    | 'CHECKIN_LINK_BASE_URL'
    | 'WECHAT_OA_RATE_PER_SECOND'
    | 'DEFAULT_LOCALE'
    | 'TIMEZONE'
    | 'QUEUE_PREFIX'
  >;
  logger: Logger;
  translator: Translator;
  db: Db;
  redis: Redis;
  activity: Pick<ChannelActivity, 'lastInboundAt' | 'recordInbound'>;
}

/** The Service Account channel when WECHAT_OA_APPID, WECHAT_OA_APPSECRET and WECHAT_OA_TOKEN are set. */
export function createWechatOaChannel({
  config,
  logger,
  translator,
  db,
  redis,
  activity,
}: WechatOaChannelDeps) {
  const { WECHAT_OA_APPID: appId, WECHAT_OA_APPSECRET: appSecret, WECHAT_OA_TOKEN: token } = config;
  if (!appId || !appSecret || !token) return undefined;
  const { publicBaseUrl, subscribeUrl } = subscribePageUrls(config);
  return new WechatOaChannel({
    appId,
    appSecret,
    token,
    encodingAesKey: config.WECHAT_OA_ENCODING_AES_KEY,
    apiBase: config.WECHAT_OA_API_BASE,
    pushPath: config.WECHAT_OA_PUSH_PATH,
    templates: config.WECHAT_OA_TEMPLATES,
    subscribeTemplates: config.WECHAT_OA_SUBSCRIBE_TEMPLATES,
    subscribeUrl,
    publicBaseUrl,
    sendRatePerSecond: config.WECHAT_OA_RATE_PER_SECOND,
    redis,
    prefix: config.QUEUE_PREFIX,
    store: prismaOaStore(db),
    activity,
    translator,
    defaultLocale: config.DEFAULT_LOCALE,
    timezone: config.TIMEZONE,
    logger,
  });
}

/**
 * Where the subscribe page is reached from outside. WECHAT_OA_SUBSCRIBE_URL when set (a page of the bureau's,
 * or ours under another name); else our own page under the public address CHECKIN_LINK_BASE_URL; else none
 * (the bot cannot know its public address, and the JS-SDK signature needs it). The page signs its URL from the
 * same public address: CHECKIN_LINK_BASE_URL, or the origin of a WECHAT_OA_SUBSCRIBE_URL that points at it.
 */
export function subscribePageUrls(
  config: Pick<WechatOaChannelDeps['config'], 'WECHAT_OA_SUBSCRIBE_URL' | 'CHECKIN_LINK_BASE_URL'>,
): { publicBaseUrl?: string; subscribeUrl?: string } {
  const explicit = config.WECHAT_OA_SUBSCRIBE_URL ? new URL(config.WECHAT_OA_SUBSCRIBE_URL) : undefined;
  const publicBaseUrl =
    config.CHECKIN_LINK_BASE_URL?.replace(/\/+$/, '') ??
    (explicit?.pathname === SUBSCRIBE_PAGE_PATH ? explicit.origin : undefined);
  const subscribeUrl =
    config.WECHAT_OA_SUBSCRIBE_URL ?? (publicBaseUrl ? `${publicBaseUrl}${SUBSCRIBE_PAGE_PATH}` : undefined);
  return { publicBaseUrl, subscribeUrl };
}
