import { DateTime } from 'luxon';
import type { Config } from '../../config';
import type { DeliveryPlan } from '../../core/channel';
import { isQuiet, parseQuietHours } from '../../core/reminders/reminder-plan';

export type PacingConfig = Pick<
  Config,
  | 'WECHAT_ACCOUNT_KIND'
  | 'WECHAT_MIN_INTERVAL_MS'
  | 'WECHAT_JITTER_MS'
  | 'WECHAT_DAILY_CAP'
  | 'TIMEZONE'
  | 'REMINDER_QUIET_HOURS'
>;

/** Held-back messages resume over this long after a new day's sending starts, so they do not burst. */
export const RESUME_SPREAD_MS = 3_600_000;

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
  private heldUntil = Number.NEGATIVE_INFINITY;
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PacerOptions) {
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** WeChat said "too often": nothing goes out for `ms` (a later, longer hold wins). */
  holdFor(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.clock() + ms);
  }

  run<T>(send: () => Promise<T>): Promise<T> {
    const result = this.chain.then(async () => {
      const gap = this.options.minIntervalMs + Math.floor(this.random() * this.options.jitterMs);
      const wait = Math.max(this.lastAt + gap, this.heldUntil) - this.clock();
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

/**
 * When sending held back by the daily cap starts again: the next day, once the quiet hours (REMINDER_QUIET_HOURS,
 * e.g. 22-7) are over, so nobody is woken at midnight by a notice that missed yesterday's cap.
 */
export function nextSendingDay(
  now: Date,
  config: Pick<PacingConfig, 'TIMEZONE' | 'REMINDER_QUIET_HOURS'>,
): Date {
  const quiet = parseQuietHours(config.REMINDER_QUIET_HOURS);
  let at = nextDayStart(now, config.TIMEZONE);
  for (let h = 0; h < 24 && isQuiet(at, config.TIMEZONE, quiet); h += 1)
    at = new Date(at.getTime() + 3_600_000);
  return at;
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

/**
 * When a broadcast of `count` messages from the WeChat account will have been delivered, given the pacing
 * and the daily cap (`sentToday` proactive messages already counted today). For the broadcast service to
 * tell the coordinator (the `coordinator:broadcast.spread` text).
 */
export function estimateWechatFinish(
  count: number,
  now: Date,
  config: PacingConfig,
  sentToday = 0,
): DeliveryPlan {
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
    // A cautious estimate again: the resumed sending starts at the end of its spread.
    dayStart = new Date(nextSendingDay(dayStart, config).getTime() + RESUME_SPREAD_MS);
    capacity = cap;
  }
  const spread = days > 1 || dayKey(new Date(finish), config.TIMEZONE) !== dayKey(now, config.TIMEZONE);
  return { finishAt: new Date(finish), days, perDay: cap, spread };
}
