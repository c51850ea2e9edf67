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
}

export type SendResult = { ok: true; platformMessageId?: string };

/** A send failure classified so the delivery job can decide between retrying and giving up. */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly kind: 'blocked' | 'rate_limited' | 'network' | 'invalid' | 'outside_window',
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

export type InboundHandler = (message: InboundMessage) => Promise<OutboundMessage[]>;

export interface Channel {
  readonly name: ChatAddress['channel'];
  readonly capabilities: ChannelCapabilities;
  /** Begin receiving; every inbound message is passed to the handler and its replies are sent back. */
  start(handler: InboundHandler): Promise<void>;
  send(address: ChatAddress, message: OutboundMessage): Promise<SendResult>;
  stop(): Promise<void>;
}
