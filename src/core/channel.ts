import type { AnswerKind } from './dialog/answer-kind';
import type { IntentName } from './dialog/intent-name';
import type { DomainEvent } from './events';
import type { ChatAddress, InboundMessage, OutboundMessage } from './message';

/** What a platform can do; the dialog and delivery layers adapt to it instead of branching on the name. */
export interface ChannelCapabilities {
  /** Choices can be shown as tappable buttons. */
  buttons: boolean;
  /** Longest text the platform accepts in one message. */
  maxTextLength: number;
  /** Sustained messages per second across all chats. */
  sendRatePerSecond: number;
  /** Proactive messages only allowed within this many hours of the user's last message (WeChat OA). */
  replyWindowHours?: number;
  groups: boolean;
  /**
   * Can write to a person later, unprompted (reminders, notices). The platforms are listed in
   * src/delivery/recipients.ts; any other channel (a test's recording channel) declares it here.
   */
  proactive?: boolean;
  /**
   * Sends only from the process that runs it (a WeChat account logged in through its puppet): its outbound
   * queue is worked in that process, whatever the process role, and never by a workers-only process.
   */
  sessionBound?: boolean;
}

export type SendResult = {
  ok: true;
  platformMessageId?: string;
  /** Billed channels (SMS): who carried it and how many segments it was billed as. */
  provider?: string;
  segments?: number;
};

/**
 * A send failure classified so the delivery job can decide between retrying and giving up:
 * - blocked: the person blocked the bot or the chat is gone (final);
 * - rate_limited: the platform (or a daily cap) says wait `retryAfterMs`; the whole channel waits;
 * - unavailable: the channel cannot send from this process right now (a WeChat account logged out, waiting
 *   for a QR scan); the message waits `retryAfterMs` and is tried again, however long it takes, without
 *   using up its attempts (another process that is logged in may take it meanwhile);
 * - network: this attempt failed; retried with backoff, then final;
 * - invalid: the platform refused this message (final);
 * - outside_window: the Official Account's customer-service window is closed (final, recorded);
 * - route_unreachable: this person cannot be reached on this channel now (RouteUnreachableError): fall back.
 */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly kind:
      | 'blocked'
      | 'rate_limited'
      | 'unavailable'
      | 'network'
      | 'invalid'
      | 'outside_window'
      | 'route_unreachable',
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

/**
 * This person cannot be reached on this channel now, though the channel works: the Official Account's user
 * refused (43101) or is outside the window with no template (45015/45047), SMS has no valid phone number or no
 * approved template for the kind. The delivery falls back to the next route (src/delivery/fallback.ts).
 */
export class RouteUnreachableError extends ChannelSendError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message, 'route_unreachable');
    this.name = 'RouteUnreachableError';
  }
}

/** When a batch of proactive messages through one channel will have gone out, under its pacing and caps. */
export interface DeliveryPlan {
  finishAt: Date;
  /** Calendar days on which messages go out. */
  days: number;
  /** Most proactive messages the channel sends in a day. */
  perDay: number;
  /** True when a daily cap pushes the end past today: the sender should be told when it will finish. */
  spread: boolean;
}

/** What the dialog made of one inbound message: channels send the replies; APIs may report the rest. */
export interface InboundResult {
  replies: OutboundMessage[];
  /** What the turn was recognised as (measured, and reported by the web chat API). */
  intent: IntentName;
  /** Ids of the policy clauses the replies rely on, best first. */
  citations: string[];
  /** What kind of answer it was (answer-kind.ts). */
  answer: AnswerKind;
  events: DomainEvent[];
}

export type InboundHandler = (message: InboundMessage) => Promise<InboundResult>;

export interface Channel {
  readonly name: ChatAddress['channel'];
  readonly capabilities: ChannelCapabilities;
  /** Begin receiving; every inbound message is passed to the handler and its replies are sent back. */
  start(handler: InboundHandler): Promise<void>;
  send(address: ChatAddress, message: OutboundMessage): Promise<SendResult>;
  stop(): Promise<void>;
  /** For channels with a daily cap (a personal WeChat account): when `count` more proactive messages finish. */
  planDelivery?(count: number, now: Date): Promise<DeliveryPlan>;
  /**
   * Whether this process can send now (a WeChat account logged in here) and a way to hear when that changes:
   * its outbound worker pauses meanwhile, so a process that is not logged in leaves the queue to one that is.
   */
  readonly availability?: ChannelAvailability;
}

export interface ChannelAvailability {
  current(): boolean;
  /** Calls `listener` on every change; returns how to stop listening. */
  subscribe(listener: (available: boolean) => void): () => void;
}
