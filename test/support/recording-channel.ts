import { appendFileSync } from 'node:fs';
import {
  type Channel,
  type ChannelCapabilities,
  ChannelSendError,
  type DeliveryPlan,
  type InboundHandler,
} from '../../src/core/channel';
import type { ChannelName, ChatAddress, OutboundMessage } from '../../src/core/message';

export interface RecordedSend {
  chatId: string;
  text: string;
  choices?: string[];
  at: number;
}

/** Decides the fate of one send: undefined delivers it, an error refuses it, a promise holds it. */
export type SendRule = (
  address: ChatAddress,
  message: OutboundMessage,
  attempt: number,
) => Error | Promise<never> | undefined;

export interface RecordingChannelOptions {
  name?: ChannelName;
  capabilities?: Partial<ChannelCapabilities>;
  /** Also append each delivered send as a JSON line to this file (survives SIGKILL of the process). */
  recordTo?: string;
  /** Declares a daily cap like a personal WeChat account: how many proactive messages go out per day. */
  dailyCap?: number;
}

/**
 * A platform that records what it was asked to deliver, and can be told to refuse (with any ChannelSendError
 * kind) or to hang. It plays the platform in outbound, reminder and broadcast tests; the real platforms have
 * their own tests against their emulators.
 */
export class RecordingChannel implements Channel {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  readonly sent: RecordedSend[] = [];
  /** Every call to send, delivered or not. */
  attempts = 0;
  private rules: SendRule[] = [];

  constructor(private readonly options: RecordingChannelOptions = {}) {
    this.name = options.name ?? 'test';
    this.capabilities = {
      buttons: true,
      maxTextLength: 4096,
      sendRatePerSecond: 1000,
      groups: false,
      // It plays a platform that can write to people later (reminders, notices, broadcasts).
      proactive: true,
      ...options.capabilities,
    };
    const cap = options.dailyCap;
    if (cap) {
      this.planDelivery = async (count, now) => {
        this.plans.push(count);
        const days = Math.ceil(count / cap);
        const lastDay = new Date(now);
        lastDay.setUTCDate(lastDay.getUTCDate() + days - 1);
        lastDay.setUTCHours(8, 0, 0, 0);
        const finishAt = days > 1 ? new Date(lastDay.getTime() + (count - (days - 1) * cap) * 1000) : now;
        return { finishAt, days, perDay: cap, spread: days > 1 };
      };
    }
  }

  /** What the broadcast service asked `planDelivery` about (message counts), when a daily cap is declared. */
  readonly plans: number[] = [];

  /** Present only with `dailyCap`: one message a second, `dailyCap` a day from tomorrow 08:00 UTC. */
  planDelivery?: (count: number, now: Date) => Promise<DeliveryPlan>;

  /** Adds a rule consulted before each send; rules run in order and the first that answers wins. */
  rule(rule: SendRule): this {
    this.rules.push(rule);
    return this;
  }

  /** The next `times` sends to `chatId` (any chat when omitted) fail with this kind. */
  failNext(
    kind: ChannelSendError['kind'],
    options: { times?: number; chatId?: string; retryAfterMs?: number } = {},
  ) {
    let left = options.times ?? 1;
    return this.rule((address) => {
      if (left <= 0 || (options.chatId && address.chatId !== options.chatId)) return undefined;
      left -= 1;
      return new ChannelSendError(`simulated ${kind}`, kind, options.retryAfterMs);
    });
  }

  async start(_handler: InboundHandler): Promise<void> {}

  async send(address: ChatAddress, message: OutboundMessage) {
    this.attempts += 1;
    for (const rule of this.rules) {
      const verdict = rule(address, message, this.attempts);
      if (verdict instanceof Error) throw verdict;
      if (verdict) await verdict;
    }
    const record: RecordedSend = {
      chatId: address.chatId,
      text: message.text,
      choices: message.choices,
      at: Date.now(),
    };
    this.sent.push(record);
    if (this.options.recordTo) appendFileSync(this.options.recordTo, `${JSON.stringify(record)}\n`);
    return { ok: true as const };
  }

  async stop(): Promise<void> {}

  sentTo(chatId: string): RecordedSend[] {
    return this.sent.filter((s) => s.chatId === chatId);
  }

  /** Resolves once `count` messages were delivered (or rejects after `timeoutMs`). */
  async waitForSends(count: number, timeoutMs = 20_000): Promise<RecordedSend[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.sent.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} sends, got ${this.sent.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.sent;
  }
}
