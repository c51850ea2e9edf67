import type { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import type { OaNoticeKind, OaNoticeTemplate } from '../../config';
import type { Channel, ChannelCapabilities, InboundHandler, SendResult } from '../../core/channel';
import type { Locale } from '../../core/domain';
import type { Translator } from '../../core/i18n';
import type { ChatAddress, OutboundMessage } from '../../core/message';
import type { ChannelActivity } from '../../db/repositories/channel-activity-repository';
import type { Logger } from '../../logger';
import { splitText } from '../split-text';
import { OaApi } from './wechat-oa-api';
import { classifyOaError, OaRouteClosedError } from './wechat-oa-errors';
import { customText, type MappedPush, noticeKindOf, templateData } from './wechat-oa-mapper';
import type { OaStore } from './wechat-oa-store';
import { OaTokenCache } from './wechat-oa-token';

/** Customer-service messages reach a person only this long after their last message (or follow, or menu tap). */
export const OA_WINDOW_MS = 48 * 3_600_000;
/** A customer-service text is at most 2048 bytes: 600 Chinese characters stay well inside it. */
const OA_TEXT_LIMIT = 600;

export type OaTemplates = Partial<Record<OaNoticeKind, OaNoticeTemplate>>;

export interface WechatOaChannelOptions {
  appId: string;
  appSecret: string;
  /** The push Token (signature) and, for the encrypted mode, the EncodingAESKey. */
  token: string;
  encodingAesKey?: string;
  apiBase: string;
  pushPath: string;
  templates: OaTemplates;
  subscribeTemplates: OaTemplates;
  /** The page with the subscribe button, offered after a sign-up (by default our own, wechat-oa-subscribe-page.ts). */
  subscribeUrl?: string;
  /**
   * Where people reach this server from outside (https://host, no trailing slash): the subscribe page signs
   * its own address for the JS-SDK, which behind a reverse proxy the server cannot see. Undefined: the address
   * the request came to.
   */
  publicBaseUrl?: string;
  sendRatePerSecond: number;
  /** The token cache and the seen-push ids live here, shared by every process. */
  redis: Redis;
  prefix: string;
  store: OaStore;
  activity: Pick<ChannelActivity, 'lastInboundAt' | 'recordInbound'>;
  translator: Translator;
  defaultLocale: Locale;
  timezone: string;
  logger: Logger;
}

/**
 * A WeChat Service Account (服务号) on the Official Account HTTP API. The platform pushes messages to our HTTP
 * endpoint (wechat-oa-push.ts), which answers "success" at once; the dialog's replies go out as
 * customer-service messages. Proactive messages pick their route here: a customer-service message inside the
 * 48 h window, else a subscription notice (with consent) or a template message for the kind of notice.
 */
export class WechatOaChannel implements Channel {
  readonly name = 'wechat-oa' as const;
  readonly capabilities: ChannelCapabilities;
  readonly api: OaApi;
  /** The JS-SDK's jsapi_ticket, shared by every process like the access token (the subscribe page signs with it). */
  readonly jsapiTickets: OaTokenCache;
  private readonly log: Logger;
  private handler?: InboundHandler;
  /** Per person, the handling of their pushes in order (so replies never overtake each other). */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(readonly options: WechatOaChannelOptions) {
    this.capabilities = {
      buttons: false,
      maxTextLength: OA_TEXT_LIMIT,
      sendRatePerSecond: options.sendRatePerSecond,
      groups: false,
      // The route (window, template, subscription) is chosen in send(), so no replyWindowHours here.
      proactive: true,
    };
    this.log = options.logger.child({ channel: 'wechat-oa' });
    this.api = new OaApi(options);
    this.api.useTokenCache(
      new OaTokenCache(options.redis, options.prefix, options.appId, () => this.api.fetchToken()),
    );
    this.jsapiTickets = new OaTokenCache(
      options.redis,
      options.prefix,
      options.appId,
      () => this.api.fetchJsapiTicket(),
      'jsapi_ticket',
    );
  }

  get started(): boolean {
    return this.handler !== undefined;
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    await this.idle();
  }

  /** Resolves when every push received so far has been handled (its replies sent). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.allSettled([...this.chains.values()]);
  }

  /** True the first time a push id is seen in 5 minutes (the platform retries a slow push three times). */
  async firstSeen(id: string): Promise<boolean> {
    const key = `${this.options.prefix}:wechat-oa:seen:${id}`;
    return (await this.options.redis.set(key, '1', 'EX', 300, 'NX')) === 'OK';
  }

  /** Handles a push in the background, after its HTTP answer; one person's pushes one after the other. */
  accept(push: MappedPush): void {
    const key = push.type === 'message' ? push.message.senderId : 'openId' in push ? push.openId : '';
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() =>
      this.handle(push).catch((error) => this.log.error({ err: error, type: push.type }, 'push failed')),
    );
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private async handle(push: MappedPush): Promise<void> {
    const { store, activity } = this.options;
    switch (push.type) {
      case 'ignore':
        this.log.debug({ reason: push.reason }, 'push ignored');
        return;
      case 'follow':
        await store.setFollowing(push.openId, true);
        await activity.recordInbound('wechat-oa', push.openId, push.at);
        await this.sendCustom(push.openId, { text: this.t('wechat-oa:welcome') });
        return;
      case 'unfollow':
        return store.setFollowing(push.openId, false);
      case 'consent':
        for (const item of push.items) await store.recordConsent(push.openId, item);
        return;
      case 'result':
        return store.recordResult(push.msgId, push.status);
      case 'message': {
        const handler = this.handler;
        if (!handler) return;
        const { message } = push;
        await activity.recordInbound('wechat-oa', message.senderId, message.receivedAt);
        const result = await handler(message);
        const replies = [...result.replies];
        if (result.events.some((e) => e.type === 'enrolled' || e.type === 'family_enrolled')) {
          const offer = await this.subscribeOffer(message.senderId);
          if (offer) replies.push({ text: offer });
        }
        for (const reply of replies) await this.sendCustom(message.senderId, reply);
        return;
      }
    }
  }

  /** After a sign-up: the link to the subscribe button, unless there is nothing to offer or consent is given. */
  private async subscribeOffer(openId: string): Promise<string | undefined> {
    const url = this.options.subscribeUrl;
    const ids = Object.values(this.options.subscribeTemplates).map((t) => t.templateId);
    if (!url || !ids.length || (await this.options.store.hasConsent(openId, ids))) return undefined;
    return this.t('wechat-oa:subscribeOffer', { url });
  }

  /** A proactive message: customer service inside the window, else a subscription notice or a template. */
  async send(address: ChatAddress, message: OutboundMessage): Promise<SendResult> {
    const openId = address.chatId;
    const last = await this.options.activity.lastInboundAt('wechat-oa', openId);
    if (last && Date.now() - last.getTime() < OA_WINDOW_MS) {
      try {
        return await this.sendCustom(openId, message);
      } catch (error) {
        const classified = classifyOaError(error, 'custom');
        if (!(classified instanceof OaRouteClosedError) || !message.deliveryKey) throw classified;
        this.log.info({ reason: classified.reason }, 'customer-service route closed: sending as a notice');
      }
    } else if (!message.deliveryKey) {
      throw new OaRouteClosedError('more than 48 h since the last message', 'custom', 'outside_window');
    }
    return this.sendNotice(openId, message, message.deliveryKey ?? '');
  }

  private async sendCustom(openId: string, message: OutboundMessage): Promise<SendResult> {
    const line = (n: number, label: string) => this.t('wechat-oa:choiceLine', { n, label });
    const text = customText(message.text, message.choices, line);
    try {
      for (const part of splitText(text, OA_TEXT_LIMIT))
        await this.api.post('message/custom/send', {
          touser: openId,
          msgtype: 'text',
          text: { content: part },
        });
    } catch (error) {
      throw classifyOaError(error, 'custom');
    }
    return { ok: true };
  }

  private async sendNotice(
    openId: string,
    message: OutboundMessage,
    deliveryKey: string,
  ): Promise<SendResult> {
    const { store } = this.options;
    const kind = noticeKindOf(message.notice?.kind ?? deliveryKey);
    const subscription = this.options.subscribeTemplates[kind];
    let closed: OaRouteClosedError | undefined;
    if (subscription) {
      const longTerm = Boolean(subscription.longTerm);
      if (await store.takeConsent(openId, subscription.templateId, longTerm)) {
        try {
          const { msgid } = await this.api.post('message/subscribe/bizsend', {
            touser: openId,
            template_id: subscription.templateId,
            page: subscription.url,
            data: this.data(subscription, kind, message),
          });
          if (msgid)
            await store.recordSend({
              msgId: msgid,
              deliveryKey,
              openId,
              route: 'subscribe',
              templateId: subscription.templateId,
            });
          return { ok: true, platformMessageId: msgid };
        } catch (error) {
          const classified = classifyOaError(error, 'subscribe');
          if (classified instanceof OaRouteClosedError && classified.reason === 'refused')
            await store.recordConsent(openId, { templateId: subscription.templateId, accept: false });
          else await store.returnConsent(openId, subscription.templateId, longTerm);
          if (!(classified instanceof OaRouteClosedError)) throw classified;
          closed = classified;
        }
      }
    }
    const template = this.options.templates[kind];
    if (!template)
      throw (
        closed ??
        new OaRouteClosedError(
          `no template for ${kind} notices`,
          'template',
          subscription ? 'no_consent' : 'no_template',
        )
      );
    try {
      const { msgid } = await this.api.post('message/template/send', {
        touser: openId,
        template_id: template.templateId,
        url: template.url,
        data: this.data(template, kind, message),
      });
      if (msgid)
        await store.recordSend({
          msgId: msgid,
          deliveryKey,
          openId,
          route: 'template',
          templateId: template.templateId,
        });
      return { ok: true, platformMessageId: msgid };
    } catch (error) {
      throw classifyOaError(error, 'template');
    }
  }

  private data(template: OaNoticeTemplate, kind: OaNoticeKind, message: OutboundMessage) {
    const now = DateTime.now().setZone(this.options.timezone).toFormat('yyyy-MM-dd HH:mm');
    const title = this.t(`wechat-oa:title.${kind}`);
    return templateData(template, { title, text: message.text, now, params: message.notice?.params });
  }

  private t(key: string, values?: Record<string, unknown>): string {
    return this.options.translator.forLocale(this.options.defaultLocale)(key, values);
  }
}
