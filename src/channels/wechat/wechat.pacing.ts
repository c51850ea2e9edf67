import { DateTime } from 'luxon';
import type { Config } from '../../config';

export type PacingConfig = Pick<
  Config,
  'WECHAT_ACCOUNT_KIND' | 'WECHAT_MIN_INTERVAL_MS' | 'WECHAT_JITTER_MS' | 'WECHAT_DAILY_CAP' | 'TIMEZONE'
>;

export interface PacerOptions {
  minIntervalMs: number;
  jitterMs: number;
  random?: () => number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs sends one at a time, at least `minIntervalMs` plus a random share of `jitterMs` apart, so a personal
 * account never bursts. The first send after a quiet spell goes at once.
 */
export class Pacer {
  private chain: Promise<unknown> = Promise.resolve();
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PacerOptions) {
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  run<T>(send: () => Promise<T>): Promise<T> {
    const result = this.chain.then(async () => {
      const gap = this.options.minIntervalMs + Math.floor(this.random() * this.options.jitterMs);
      const wait = this.lastAt + gap - this.clock();
      if (wait > 0) await this.sleep(wait);
      try {
        return await send();
      } finally {
        this.lastAt = this.clock();
      }
    });
    this.chain = result.catch(() => undefined);
    return result;
  }
}

/** The calendar day (in the programme's time zone) a daily cap counts against, e.g. 2026-11-27. */
export function dayKey(now: Date, timezone: string): string {
  return DateTime.fromJSDate(now, { zone: timezone }).toISODate() ?? now.toISOString().slice(0, 10);
}

export function nextDayStart(now: Date, timezone: string): Date {
  return DateTime.fromJSDate(now, { zone: timezone }).startOf('day').plus({ days: 1 }).toJSDate();
}

/** Messages per second the account keeps to on average: what the channel declares as its send rate. */
export function wechatSendRate(config: PacingConfig): number {
  const meanGapMs = config.WECHAT_MIN_INTERVAL_MS + config.WECHAT_JITTER_MS / 2;
  return meanGapMs > 0 ? 1000 / meanGapMs : 10;
}

/** Whether the daily cap and slow pacing apply: they protect accounts driven by a puppet, not the OA API. */
export function isRiskControlled(kind: Config['WECHAT_ACCOUNT_KIND']): boolean {
  return kind !== 'official';
}

export interface WechatFinishEstimate {
  /** When the last message should have gone out (a cautious estimate: every gap at its longest). */
  finishAt: Date;
  /** Calendar days on which messages go out. */
  days: number;
  perDay: number;
  /** True when the daily cap pushes the end past today: tell the coordinator when it will finish. */
  spread: boolean;
}

/**
 * When a broadcast of `count` messages from the WeChat account will have been delivered, given the pacing
 * and the daily cap (`sentToday` proactive messages already counted today). For the broadcast service to
 * tell the coordinator, e.g. with the `wechat:broadcast.spread` text.
 */
export function estimateWechatFinish(
  count: number,
  now: Date,
  config: PacingConfig,
  sentToday = 0,
): WechatFinishEstimate {
  const gapMs = config.WECHAT_MIN_INTERVAL_MS + config.WECHAT_JITTER_MS;
  if (!isRiskControlled(config.WECHAT_ACCOUNT_KIND) || count <= 0) {
    const days = count > 0 ? 1 : 0;
    return {
      finishAt: new Date(now.getTime() + Math.max(0, count) * gapMs),
      days,
      perDay: count,
      spread: false,
    };
  }
  const cap = config.WECHAT_DAILY_CAP;
  let remaining = count;
  let capacity = Math.max(0, cap - sentToday);
  let dayStart = now;
  let finish = now.getTime();
  let days = 0;
  for (;;) {
    const batch = Math.min(remaining, capacity);
    if (batch > 0) {
      finish = dayStart.getTime() + batch * gapMs;
      days += 1;
    }
    remaining -= batch;
    if (remaining === 0) break;
    dayStart = nextDayStart(dayStart, config.TIMEZONE);
    capacity = cap;
  }
  const spread = days > 1 || dayKey(new Date(finish), config.TIMEZONE) !== dayKey(now, config.TIMEZONE);
  return { finishAt: new Date(finish), days, perDay: cap, spread };
}
