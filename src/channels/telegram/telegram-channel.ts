import { setTimeout as sleep } from 'node:timers/promises';
import { autoRetry } from '@grammyjs/auto-retry';
import { type RunnerHandle, run, sequentialize } from '@grammyjs/runner';
import { Api, Bot, webhookCallback } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import {
  type Channel,
  type ChannelCapabilities,
  ChannelSendError,
  type InboundHandler,
  type SendResult,
} from '../../core/channel';
import type { Locale } from '../../core/domain';
import type { Translator } from '../../core/i18n';
import type { ChatAddress, InboundMessage, OutboundMessage } from '../../core/message';
import type { ChatLinkRepository } from '../../db/repositories/chat-links-repository';
import type { Logger } from '../../logger';
import { RecentIds } from './recent-ids';
import { callbackSecret, checkPress } from './telegram-callback';
import { registerCommandMenus } from './telegram-commands';
import { toChannelSendError } from './telegram-errors';
import { linkGroup } from './telegram-links';
import { type BotIdentity, type MappedUpdate, mapUpdate, type Origin } from './telegram-mapper';
import { type MenuStore, memoryMenuStore } from './telegram-menus-store';
import { TELEGRAM_TEXT_LIMIT, toSendCalls } from './telegram-outbound-mapper';
import { TelegramPacer } from './telegram-pacer';

export interface TelegramChannelOptions {
  token: string;
  /** Bot API server; Telegram's by default, an emulator in tests. */
  apiRoot?: string;
  /** Production: Telegram posts updates to this URL with the secret in a header. Absent: long polling. */
  webhook?: { url: string; secret: string };
  sendRatePerSecond: number;
  defaultLocale: Locale;
  translator: Translator;
  logger: Logger;
  menus?: MenuStore;
  /** Group linking (`/link <course code>`); without it the command answers that it did not work. */
  links?: Pick<ChatLinkRepository, 'link'>;
  /** Known bot identity, skipping getMe. */
  botInfo?: UserFromGetMe;
  /** A queued send waits out a group's limit itself up to this long, else hands it back as rate_limited. */
  maxSendWaitMs?: number;
}

const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** Telegram through grammY: long polling in development, a webhook in production. */
export class TelegramChannel implements Channel {
  readonly name = 'telegram' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly bot: Bot;
  /** For queued sends: no retries here, the delivery job decides from the classified error. */
  private readonly queueApi: Api;
  private readonly pacer: TelegramPacer;
  private readonly recent = new RecentIds();
  private readonly menus: MenuStore;
  private readonly secret: Buffer;
  private readonly log: Logger;
  private handler?: InboundHandler;
  private identity?: BotIdentity;
  private runner?: RunnerHandle;

  constructor(private readonly options: TelegramChannelOptions) {
    const client = { apiRoot: options.apiRoot ?? 'https://api.telegram.org' };
    this.capabilities = {
      buttons: true,
      maxTextLength: TELEGRAM_TEXT_LIMIT,
      sendRatePerSecond: options.sendRatePerSecond,
      groups: true,
    };
    this.log = options.logger.child({ channel: 'telegram' });
    this.bot = new Bot(options.token, { client, botInfo: options.botInfo });
    // Direct replies wait out a 429 (Telegram's retry_after, at most 30 s, 3 times) rather than get lost; a
    // network failure is not retried, since a reply minutes late helps nobody.
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true }));
    this.queueApi = new Api(options.token, client);
    this.pacer = new TelegramPacer(options.sendRatePerSecond);
    this.menus = options.menus ?? memoryMenuStore();
    this.secret = callbackSecret(options.token);

    this.bot.use(async (ctx, next) => {
      if (!this.recent.add(ctx.update.update_id)) return;
      await next();
    });
    // Updates of one chat run one after the other (the runner is concurrent across chats).
    this.bot.use(sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? ctx.update.update_id)));
    this.bot.use((ctx) => this.onUpdate(ctx.update));
    this.bot.catch((error) => this.log.error({ err: error.error }, 'telegram update failed'));
  }

  /** The webhook this channel was configured with, if any (the HTTP server mounts it). */
  get webhook(): { url: string; secret: string } | undefined {
    return this.options.webhook;
  }

  get started(): boolean {
    return this.handler !== undefined;
  }

  async start(handler: InboundHandler): Promise<void> {
    await this.bot.init();
    this.identity = { id: this.bot.botInfo.id, username: this.bot.botInfo.username };
    await registerCommandMenus(this.bot.api, this.options.translator, this.log);
    const allowed_updates = [...ALLOWED_UPDATES];
    if (this.options.webhook) {
      await this.bot.api.setWebhook(this.options.webhook.url, {
        secret_token: this.options.webhook.secret,
        allowed_updates,
      });
    } else {
      await this.bot.api.deleteWebhook();
      this.runner = run(this.bot, { runner: { fetch: { allowed_updates } } });
    }
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    if (this.runner?.isRunning()) await this.runner.stop();
    this.runner = undefined;
  }

  /** A proactive message from the delivery job: paced, not retried here, failures classified. */
  async send(address: ChatAddress, message: OutboundMessage): Promise<SendResult> {
    const chatId = address.chatId;
    const key = chatId; // a private chat's id is its person's id
    const { calls, menu } = toSendCalls(message, { secret: this.secret, key });
    const wait = this.pacer.groupWait(chatId, calls.length);
    if (wait > (this.options.maxSendWaitMs ?? 1000)) {
      throw new ChannelSendError('group limit of 20 messages a minute reached', 'rate_limited', wait);
    }
    if (menu) await this.menus.set(key, menu);
    let last: number | undefined;
    for (const call of calls) {
      await this.pace(chatId);
      try {
        last = (await this.queueApi.sendMessage(chatId, call.text, { reply_markup: call.reply_markup }))
          .message_id;
      } catch (error) {
        throw toChannelSendError(error);
      }
    }
    return { ok: true, platformMessageId: last === undefined ? undefined : String(last) };
  }

  /**
   * grammY's webhook handler for Fastify (secret checked; see registerTelegramWebhook). A slow update is
   * answered 200 after 10 s while it keeps running, so Telegram does not deliver it again meanwhile.
   */
  webhookHandler() {
    const secretToken = this.options.webhook?.secret;
    if (!secretToken) throw new Error('the Telegram channel was not configured with a webhook');
    return webhookCallback(this.bot, 'fastify', { secretToken, onTimeout: 'return' });
  }

  private async onUpdate(update: Update): Promise<void> {
    const handler = this.handler;
    const bot = this.identity;
    if (!handler || !bot) return;
    const mapped = mapUpdate(update, {
      bot,
      translator: this.options.translator,
      defaultLocale: this.options.defaultLocale,
    });
    // One error boundary per update: nothing a person sends may take the bot down or stop the polling.
    try {
      switch (mapped.type) {
        case 'ignore':
          this.log.debug({ updateId: update.update_id, reason: mapped.reason }, 'telegram update ignored');
          return;
        case 'notice':
          return await this.reply(mapped.origin, this.t(mapped.origin)(`telegram:notice.${mapped.notice}`));
        case 'link':
          return await this.reply(
            mapped.origin,
            await linkGroup(this.options.links, mapped, this.t(mapped.origin), this.log),
          );
        case 'press': {
          const message = await this.press(mapped);
          if (message) await this.converse(handler, message, mapped.origin);
          return;
        }
        case 'message':
          return await this.converse(handler, mapped.message, mapped.origin);
      }
    } catch (error) {
      this.log.error({ err: error, updateId: update.update_id }, 'telegram update failed');
    }
  }

  /** A current button press becomes the choice the person could have typed; anything else a polite toast. */
  private async press(p: Extract<MappedUpdate, { type: 'press' }>): Promise<InboundMessage | undefined> {
    const key = p.message.senderId;
    const check = checkPress(p.data, this.secret, key, await this.menus.get(key));
    if (!check.ok) {
      this.log.info({ reason: check.reason, chatId: p.origin.chatId }, 'stale or forged button press');
      await this.answerPress(p.callbackId, this.t(p.origin)('telegram:notice.staleButton'));
      return undefined;
    }
    await this.answerPress(p.callbackId);
    return { ...p.message, text: String(check.index), choiceIndex: check.index };
  }

  private async answerPress(callbackId: string, text?: string): Promise<void> {
    // Stops the button's spinner; failing that (a press older than Telegram keeps) is not worth a reply.
    await this.bot.api.answerCallbackQuery(callbackId, text ? { text } : undefined).catch((error) => {
      this.log.warn({ err: error }, 'answerCallbackQuery failed');
    });
  }

  private async converse(handler: InboundHandler, message: InboundMessage, origin: Origin): Promise<void> {
    await this.deliver(origin, (await handler(message)).replies, message.senderId);
  }

  private reply(origin: Origin, text: string): Promise<void> {
    return this.deliver(origin, [{ text }]);
  }

  /**
   * Sends replies in order, the first one quoting the group message it answers. Dialog replies (with a menu
   * key) also set the current menu before anything is sent, so even an instant press finds it; like the
   * dialog's own state, a last reply without choices means no menu is current any more.
   */
  private async deliver(origin: Origin, replies: OutboundMessage[], key?: string): Promise<void> {
    if (!replies.length) return;
    const prepared = replies.map((r) => toSendCalls(r, { secret: this.secret, key: key ?? origin.chatId }));
    if (key) {
      const menu = prepared[prepared.length - 1]?.menu;
      await (menu ? this.menus.set(key, menu) : this.menus.clear(key));
    }
    let quote = origin.replyTo;
    for (const call of prepared.flatMap((p) => p.calls)) {
      await this.pace(origin.chatId);
      await this.bot.api.sendMessage(origin.chatId, call.text, {
        reply_markup: call.reply_markup,
        reply_parameters: quote ? { message_id: quote, allow_sending_without_reply: true } : undefined,
      });
      quote = undefined;
    }
  }

  /** Waits for this message's slot under Telegram's limits (no timer at all when it is free now). */
  private async pace(chatId: string): Promise<void> {
    const wait = this.pacer.reserve(chatId);
    if (wait > 0) await sleep(wait);
  }

  private t(origin: Origin) {
    return this.options.translator.forLocale(origin.locale);
  }
}
