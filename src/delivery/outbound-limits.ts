import type { Config } from '../config';
import type { ChannelCapabilities } from '../core/channel';
import type { ChannelName } from '../core/message';

/** The limiter's window is about a tenth of a second (longer only for a channel slower than 10 a second). */
const WINDOWS_PER_SECOND = 10;

/** How fast one channel's outbound worker may send. */
export interface OutboundLimits {
  /** BullMQ limiter: at most `max` jobs per `durationMs`, across every worker of the queue. */
  max: number;
  durationMs: number;
  /** At least this long between two messages to one chat (0: no per-chat pacing). */
  perChatIntervalMs: number;
  concurrency: number;
}

export type LimitsConfig = Pick<
  Config,
  | 'OUTBOUND_CONCURRENCY'
  | 'TELEGRAM_RATE_PER_SECOND'
  | 'TELEGRAM_PER_CHAT_PER_SECOND'
  | 'OUTBOUND_DEFAULT_RATE_PER_SECOND'
>;

/**
 * Limits from config, never faster than the channel says it can go (ChannelCapabilities.sendRatePerSecond).
 * WeChat declares its own slow pace (minimum interval plus jitter, enforced inside the channel), so its queue
 * simply follows that rate with one send at a time.
 */
export function outboundLimits(
  config: LimitsConfig,
  channel: ChannelName,
  capabilities: ChannelCapabilities,
): OutboundLimits {
  const configured =
    channel === 'telegram'
      ? config.TELEGRAM_RATE_PER_SECOND
      : channel === 'wechat'
        ? capabilities.sendRatePerSecond
        : config.OUTBOUND_DEFAULT_RATE_PER_SECOND;
  const rate = Math.min(configured, capabilities.sendRatePerSecond);
  // BullMQ's limiter is a fixed window: once `max` jobs started in it, the queue waits for the window to end,
  // so a reminder that falls due just after a notice used up a one-second window waits up to a second. The same
  // rate in ~100 ms windows keeps that wait under ~100 ms (measured: reminder lateness p99, BENCHMARKS.md).
  const max = Math.max(1, Math.ceil(rate / WINDOWS_PER_SECOND));
  const limiter = { max, durationMs: Math.round((1_000 * max) / rate) };
  return {
    ...limiter,
    perChatIntervalMs: channel === 'telegram' ? Math.ceil(1_000 / config.TELEGRAM_PER_CHAT_PER_SECOND) : 0,
    concurrency:
      channel === 'wechat' ? 1 : Math.max(1, Math.min(config.OUTBOUND_CONCURRENCY, Math.ceil(rate))),
  };
}
