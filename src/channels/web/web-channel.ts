import { randomUUID } from 'node:crypto';
import {
  type Channel,
  type ChannelCapabilities,
  ChannelSendError,
  type InboundHandler,
  type SendResult,
} from '../../core/channel';
import type { AnswerKind } from '../../core/dialog/answer-kind';
import type { IntentName } from '../../core/dialog/intent-name';
import type { ChatAddress, OutboundMessage } from '../../core/message';
import type { Logger } from '../../logger';
import type { InboxItem, WebInboxStore } from './web-inbox-store';
import type { WebLoginStore } from './web-logins-store';
import { toInbound, toWebMessages, toWebReplies, type WebMessage } from './web-mapper';
import { PageStream } from './web-page-stream';
import type { PushHub } from './web-push-hub';

export const WEB_MAX_TEXT = 4000;
const LOGIN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR_MS = 3_600_000;

export interface WebChannelDeps {
  logins: WebLoginStore;
  inbox: WebInboxStore;
  hub: PushHub;
  logger: Logger;
}

export interface WebTurn {
  intent: IntentName;
  replies: WebMessage[];
  /** Ids of the policy clauses the replies rely on, best first. */
  citations: string[];
  /** What kind of answer it was: policy, course, both, clarify, abstain or other. */
  answer: AnswerKind;
}

export class WebChannelNotStarted extends Error {
  override name = 'WebChannelNotStarted';
}

/**
 * The web chat. Replies to what a page posts go back in the HTTP response; proactive messages (reminders,
 * broadcasts), which the outbound worker hands to `send`, are stored per login and pushed to the login's
 * open pages over SSE, or shown on the next visit. The HTTP routes are in src/http/web-chat/.
 */
export class WebChannel implements Channel {
  readonly name = 'web' as const;
  readonly capabilities: ChannelCapabilities = {
    buttons: true,
    maxTextLength: WEB_MAX_TEXT,
    sendRatePerSecond: 500,
    groups: false,
  };
  private handler?: InboundHandler;
  private timer?: NodeJS.Timeout;

  constructor(readonly deps: WebChannelDeps) {}

  get started(): boolean {
    return this.handler !== undefined;
  }

  async start(handler: InboundHandler): Promise<void> {
    await this.deps.hub.start();
    this.handler = handler;
    this.timer = setInterval(() => void this.purge(), HOUR_MS);
    this.timer.unref();
  }

  /** One message from a page: the dialog's replies, cut to the page's limit, and the intent it recognised. */
  async receive(input: {
    loginId: string;
    text: string;
    choice?: number;
    messageId?: string;
  }): Promise<WebTurn> {
    if (!this.handler) throw new WebChannelNotStarted('the web chat is starting');
    const message = toInbound({ ...input, messageId: input.messageId ?? randomUUID() }, new Date());
    const { intent, replies, citations, answer } = await this.handler(message);
    return { intent, replies: toWebReplies(replies, WEB_MAX_TEXT), citations, answer };
  }

  async send(address: ChatAddress, message: OutboundMessage): Promise<SendResult> {
    // A web chat id is a login's uuid; anything else would fail in the database on every retry.
    if (!LOGIN_ID.test(address.chatId)) throw new ChannelSendError('not a web chat login id', 'invalid');
    if (!(await this.deps.logins.isActive(address.chatId))) {
      throw new ChannelSendError('the web chat login has expired', 'blocked');
    }
    const parts = toWebMessages(message, WEB_MAX_TEXT);
    // A proactive message has a delivery key: sent again (in doubt after a crash) it is not stored twice,
    // and whatever of it no page has been shown yet is pushed again (a page shows an id once).
    const items = message.deliveryKey
      ? (await this.deps.inbox.addOnce(address.chatId, message.deliveryKey, parts)).waiting
      : await this.deps.inbox.add(address.chatId, parts);
    try {
      if (items.length) await this.deps.hub.publish(address.chatId, items);
    } catch (error) {
      // Stored: the page gets it on its next connect even if the live push failed.
      this.deps.logger.warn({ err: error }, 'web push failed; the message waits for the next visit');
    }
    return { ok: true, platformMessageId: items.at(-1)?.id };
  }

  /** An open page of a login: its waiting messages first, then live ones, each written once, in order. */
  async connect(loginId: string, write: (item: InboxItem) => void, close: () => void): Promise<() => void> {
    const stream = new PageStream(write, close);
    const detach = this.deps.hub.attach(loginId, stream);
    const backlog = await this.deps.inbox.undelivered(loginId);
    stream.open(backlog);
    await this.deps.inbox.markDelivered(backlog.map((i) => i.id));
    return detach;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    if (this.timer) clearInterval(this.timer);
    await this.deps.hub.stop();
  }

  private async purge(): Promise<void> {
    try {
      await this.deps.logins.purgeExpired();
      await this.deps.inbox.purgeOld();
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'web chat clean-up failed');
    }
  }
}
