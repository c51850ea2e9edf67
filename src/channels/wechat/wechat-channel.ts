import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Friendship, Message, OfficialPuppetNpmName, Wechaty } from 'wechaty';
import type { PuppetInterface } from 'wechaty-puppet/impls';
import { Friendship as FriendshipType } from 'wechaty-puppet/types';
import {
  type Channel,
  type ChannelAvailability,
  type ChannelCapabilities,
  ChannelSendError,
  type DeliveryPlan,
  type InboundHandler,
  type SendResult,
} from '../../core/channel';
import type { Translator } from '../../core/i18n';
import type { ChatAddress, InboundMessage, OutboundMessage } from '../../core/message';
import type { ChatLinkOutcome, ChatLinkRequest } from '../../db/repositories/chat-links-repository';
import type { Logger } from '../../logger';
import { classifySendError } from './wechat-errors';
import { readFacts } from './wechat-facts';
import { ProactiveGuard } from './wechat-guard';
import { memoryLedger, type WechatLedger } from './wechat-ledger';
import { type LoginState, watchLifecycle } from './wechat-lifecycle';
import { outboundParts, replyLocale, toInbound, wantsFriendship } from './wechat-mapper';
import { dayKey, estimateWechatFinish, isRiskControlled, Pacer, wechatSendRate } from './wechat-pacing';
import { linkReply, RepeatFilter } from './wechat-room';
import type { WechatSettings } from './wechat-settings';
import { OA_WINDOW_HOURS, ReplyWindow } from './wechat-window';

export type { WechatSettings } from './wechat-settings';

export interface WechatChannelOptions {
  /** A puppet package name (loaded by Wechaty) or a puppet instance (tests: wechaty-puppet-mock). */
  puppet: string | PuppetInterface;
  puppetToken?: string;
  /** Where Wechaty keeps the login session between restarts (`<name>.memory-card.json`). */
  sessionName?: string;
  settings: WechatSettings;
  translator: Translator;
  logger: Logger;
  ledger?: WechatLedger;
  /** Persisted time of a chat's last inbound message (Official Account window after a restart). */
  lastInboundAt?: (chatId: string) => Promise<Date | undefined>;
  recordInbound?: (senderId: string, at: Date) => Promise<void>;
  /** Links a room to a course when a coordinator says "@bot 绑定 <code>". */
  linkRoom?: (request: ChatLinkRequest) => Promise<ChatLinkOutcome>;
  /** Speech to text for voice notes; not implemented yet, so voice gets "please type". */
  transcribe?: (message: Message) => Promise<string | undefined>;
  qrOutput?: Writable;
}

/** How often a queue held by a logout looks again (cheap: one job moved in Redis). */
const LOGGED_OUT_RETRY_MS = 5_000;
/** Replies: tries in all, the first wait after a network error (then longer), the longest hold after "too often". */
const REPLY_ATTEMPTS = 3;
const REPLY_RETRY_MS = 2_000;
const REPLY_HOLD_MAX_MS = 60_000;

/** How many parts of one message went out (kept across the retries of that message only). */
interface PartsProgress {
  get(): Promise<number>;
  set(n: number): Promise<void>;
}

function localProgress(): PartsProgress {
  let sent = 0;
  return {
    get: async () => sent,
    set: async (n) => {
      sent = n;
    },
  };
}

/** Names one delivery to one chat, for remembering how many of its parts went out. */
function partsKey(chatId: string, deliveryKey: string): string {
  return createHash('sha256').update(chatId).update('\u0000').update(deliveryKey).digest('base64url');
}

/** WeChat through Wechaty: a personal account, WeCom through a puppet service, or an Official Account. */
export class WechatChannel implements Channel {
  readonly name = 'wechat' as const;
  readonly capabilities: ChannelCapabilities;
  private bot?: Wechaty;
  private handler?: InboundHandler;
  private readonly state: LoginState = { loggedIn: false };
  private readonly pacer: Pacer;
  private readonly ledger: WechatLedger;
  private readonly window?: ReplyWindow;
  private readonly guard: ProactiveGuard;
  private readonly repeats: RepeatFilter;
  private readonly chats = new Map<string, Promise<void>>();
  private loginWaiters: Array<() => void> = [];
  private readonly availabilityListeners = new Set<(available: boolean) => void>();
  /** Logged in here: only then can this process send (see ChannelAvailability). */
  readonly availability: ChannelAvailability = {
    current: () => this.state.loggedIn,
    subscribe: (listener) => {
      this.availabilityListeners.add(listener);
      return () => this.availabilityListeners.delete(listener);
    },
  };

  constructor(private readonly options: WechatChannelOptions) {
    const s = options.settings;
    const official = s.WECHAT_ACCOUNT_KIND === 'official';
    this.capabilities = {
      buttons: false,
      // Official Account texts are limited to 2048 bytes: about 680 Chinese characters in UTF-8.
      maxTextLength: official ? Math.min(s.WECHAT_MAX_TEXT, 680) : s.WECHAT_MAX_TEXT,
      sendRatePerSecond: official ? 10 : wechatSendRate(s),
      replyWindowHours: official ? OA_WINDOW_HOURS : undefined,
      groups: !official,
      sessionBound: true,
    };
    // The OA answers through the platform API within its own limits, and a slow pace would miss its 5 s
    // reply window; accounts driven by a puppet get the slow, jittered pace.
    this.pacer = new Pacer(
      isRiskControlled(s.WECHAT_ACCOUNT_KIND)
        ? { minIntervalMs: s.WECHAT_MIN_INTERVAL_MS, jitterMs: s.WECHAT_JITTER_MS }
        : { minIntervalMs: 0, jitterMs: 0 },
    );
    this.ledger = options.ledger ?? memoryLedger();
    this.window = official ? new ReplyWindow() : undefined;
    this.guard = new ProactiveGuard({
      settings: s,
      ledger: this.ledger,
      window: this.window,
      lastInboundAt: options.lastInboundAt,
    });
    this.repeats = new RepeatFilter(s.WECHAT_REPEAT_WINDOW_MS);
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    const { puppet, puppetToken, sessionName } = this.options;
    // Loaded on start only: Wechaty takes a second to import and most processes never start WeChat.
    const { WechatyBuilder } = await import('wechaty');
    const bot =
      typeof puppet === 'string'
        ? WechatyBuilder.build({
            name: sessionName,
            // Any puppet package works; Wechaty's type lists only the official ones.
            puppet: puppet as OfficialPuppetNpmName,
            puppetOptions: puppetToken ? { token: puppetToken } : {},
          })
        : WechatyBuilder.build({ name: sessionName, puppet });
    this.bot = bot;
    watchLifecycle(
      bot,
      this.state,
      this.options.logger,
      this.options.qrOutput ?? process.stderr,
      () => {
        for (const resolve of this.loginWaiters.splice(0)) resolve();
        this.announce(true);
      },
      () => this.announce(false),
    );
    bot.on('message', (message) => void this.onMessage(message));
    bot.on('friendship', (friendship) => void this.onFriendship(friendship));
    try {
      await bot.start();
    } catch (error) {
      throw new Error(
        `WeChat could not start puppet "${typeof puppet === 'string' ? puppet : puppet.name()}" ` +
          `(is it installed? npm install ${typeof puppet === 'string' ? puppet : '<puppet>'}): ${(error as Error).message}`,
      );
    }
  }

  /** Resolves once the account is logged in (after the QR code was scanned). */
  whenLoggedIn(): Promise<void> {
    if (this.state.loggedIn) return Promise.resolve();
    return new Promise((resolve) => this.loginWaiters.push(resolve));
  }

  async send(address: ChatAddress, message: OutboundMessage): Promise<SendResult> {
    // Logged out (until someone scans the new QR code): hold the queue rather than use up the retries.
    if (!this.bot || !this.state.loggedIn)
      throw new ChannelSendError('WeChat is not logged in', 'unavailable', LOGGED_OUT_RETRY_MS);
    if (!message.text.trim() && !message.choices?.length)
      throw new ChannelSendError('empty message', 'invalid');
    await this.sendParts(address.chatId, message, true);
    return { ok: true };
  }

  /** Resolves when every message received so far has been answered (a clean stop; tests). */
  async whenIdle(): Promise<void> {
    while (this.chats.size) await Promise.allSettled([...this.chats.values()]);
  }

  async stop(): Promise<void> {
    this.state.stopping = true;
    await this.whenIdle();
    await this.bot?.stop();
    this.state.loggedIn = false;
  }

  /** When `count` more proactive messages will have gone out, counting what the daily cap has used today. */
  async planDelivery(count: number, now: Date): Promise<DeliveryPlan> {
    const s = this.options.settings;
    const sentToday = await this.ledger.sentOn(dayKey(now, s.TIMEZONE));
    return estimateWechatFinish(count, now, s, sentToday);
  }

  /**
   * Sends a message as one or more WeChat messages, paced. A proactive one (reminder, notice) counts each part
   * against the daily cap. When a part fails, the parts already out are remembered, so the retry sends the rest
   * instead of sending the beginning twice.
   */
  private async sendParts(
    chatId: string,
    message: OutboundMessage,
    proactive: boolean,
    progress: PartsProgress = this.ledgerProgress(chatId, message),
  ): Promise<void> {
    const bot = this.bot!;
    const parts = outboundParts(message, this.options.translator, this.capabilities.maxTextLength);
    const from = parts.length > 1 ? await progress.get().catch(() => 0) : 0;
    // A reminder or notice takes the daily cap for all its parts at once, so it never arrives half today and
    // half tomorrow; what is not sent is given back.
    const reserved: Array<() => Promise<void>> = [];
    const giveBack = async (count: number) => {
      for (const release of reserved.splice(reserved.length - count)) await release();
    };
    if (proactive) {
      try {
        for (let i = from; i < parts.length; i++) reserved.push(await this.guard.admit(chatId, new Date()));
      } catch (error) {
        await giveBack(reserved.length);
        throw error;
      }
    }
    for (let i = from; i < parts.length; i++) {
      try {
        await this.pacer.run(() => bot.puppet.messageSendText(chatId, parts[i]!));
      } catch (error) {
        if (proactive) await giveBack(parts.length - i);
        const failure = classifySendError(error);
        // WeChat said "too often": replies wait too, not only the queue.
        if (failure.kind === 'rate_limited')
          this.pacer.holdFor(Math.min(failure.retryAfterMs ?? REPLY_HOLD_MAX_MS, REPLY_HOLD_MAX_MS));
        // The puppet says the session is gone although no logout came: treat it as one, so the outbound
        // worker pauses until the next login instead of cycling every message.
        if (failure.kind === 'unavailable' && this.state.loggedIn) this.lostSession(failure.message);
        throw failure;
      }
      this.window?.noteSent(chatId);
      if (parts.length > 1) await progress.set(i + 1 < parts.length ? i + 1 : 0).catch(() => undefined);
    }
  }

  private lostSession(reason: string): void {
    this.state.loggedIn = false;
    this.options.logger.warn(
      { reason },
      'WeChat: the session is gone; waiting for a new login (scan the QR code)',
    );
    this.announce(false);
  }

  /** Tells whoever follows `availability` (the outbound worker) that this process can or cannot send now. */
  private announce(available: boolean): void {
    for (const listener of this.availabilityListeners) listener(available);
  }

  /**
   * Where a proactive message remembers its parts: under its delivery key, which only a retry of the same
   * delivery repeats (so a later message with the same words starts from the beginning).
   */
  private ledgerProgress(chatId: string, message: OutboundMessage): PartsProgress {
    if (!message.deliveryKey) return localProgress();
    const key = partsKey(chatId, message.deliveryKey);
    return { get: () => this.ledger.partsSent(key), set: (n) => this.ledger.setPartsSent(key, n) };
  }

  /**
   * A reply to someone who wrote, outside the queue (they are waiting): tried again a little on network
   * trouble, and after "too often" the whole account holds back before trying once more.
   */
  private async reply(chatId: string, message: OutboundMessage): Promise<void> {
    const progress = localProgress();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.sendParts(chatId, message, false, progress);
        return;
      } catch (error) {
        const failure = classifySendError(error);
        const retryable = failure.kind === 'network' || failure.kind === 'rate_limited';
        if (!retryable || attempt >= REPLY_ATTEMPTS) throw failure;
        const waitMs =
          failure.kind === 'rate_limited'
            ? Math.min(failure.retryAfterMs ?? REPLY_HOLD_MAX_MS, REPLY_HOLD_MAX_MS)
            : attempt * REPLY_RETRY_MS;
        this.options.logger.warn(
          { chatId, kind: failure.kind, attempt, waitMs },
          'WeChat: a reply failed; trying again',
        );
        if (failure.kind === 'network') await sleep(waitMs);
      }
    }
  }

  private async onMessage(message: Message): Promise<void> {
    const { logger } = this.options;
    try {
      const facts = await readFacts(message, { user: this.bot?.currentUser, name: this.state.selfName });
      const notBefore = this.state.loginAt
        ? new Date(this.state.loginAt.getTime() - this.options.settings.WECHAT_BACKLOG_MINUTES * 60_000)
        : undefined;
      const mapped = toInbound(facts, { notBefore });
      if (!mapped.ok) {
        if (mapped.reason !== 'self' && mapped.reason !== 'room_not_mentioned')
          logger.debug({ messageId: facts.id, reason: mapped.reason }, 'WeChat: message not answered');
        return;
      }
      const inbound = mapped.message;
      const first = await this.ledger.firstSight(inbound.id).catch(() => true);
      if (!first || !this.repeats.fresh(inbound)) {
        logger.debug({ messageId: inbound.id }, 'WeChat: repeated message answered once');
        return;
      }
      this.window?.noteInbound(inbound.address.chatId, inbound.receivedAt);
      await this.options.recordInbound?.(inbound.senderId, inbound.receivedAt).catch(() => undefined);
      await this.inChatOrder(inbound.address.chatId, async () => {
        try {
          await this.answer(inbound, message);
        } finally {
          this.repeats.answered(inbound);
        }
      });
    } catch (error) {
      logger.error({ err: error, messageId: message.id }, 'WeChat: failed to answer a message');
    }
  }

  private async answer(inbound: InboundMessage, raw: Message): Promise<void> {
    let message = inbound;
    if (message.kind === 'voice' && this.options.transcribe) {
      const text = await this.options.transcribe(raw);
      if (text) message = { ...message, kind: 'text', text };
    }
    const linked = message.isGroup ? await linkReply(message, this.options) : undefined;
    const replies = linked ? [linked] : (await this.handler!(message)).replies;
    for (const reply of replies) await this.reply(message.address.chatId, reply);
  }

  /** One chat's messages are answered one after the other, in the order they arrived. */
  private inChatOrder(chatId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.chats.get(chatId) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    this.chats.set(chatId, settled);
    void settled.then(() => {
      if (this.chats.get(chatId) === settled) this.chats.delete(chatId);
    });
    return next;
  }

  private async onFriendship(friendship: Friendship): Promise<void> {
    const { logger, settings, translator } = this.options;
    try {
      if (friendship.type() !== FriendshipType.Receive) return;
      const contact = friendship.contact();
      const hello = friendship.hello();
      if (!wantsFriendship(hello, settings.WECHAT_FRIEND_KEYWORD)) {
        logger.info({ contact: contact.id }, 'WeChat: friend request without the keyword left for a person');
        return;
      }
      // Accepted one at a time at the account's pace: a QR code shared in a class group brings dozens at once.
      await this.pacer.run(() => friendship.accept());
      logger.info({ contact: contact.id }, 'WeChat: friend request accepted');
      const locale = hello.trim() ? replyLocale({ text: hello }) : settings.DEFAULT_LOCALE;
      await this.reply(contact.id, { text: translator.forLocale(locale)('wechat:friend.greeting') });
    } catch (error) {
      logger.error({ err: error }, 'WeChat: failed to handle a friend request');
    }
  }
}
