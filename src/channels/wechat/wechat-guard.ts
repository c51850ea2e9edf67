import { ChannelSendError } from '../../core/channel';
import type { WechatLedger } from './wechat-ledger';
import { dayKey, isRiskControlled, nextSendingDay, RESUME_SPREAD_MS } from './wechat-pacing';
import type { WechatSettings } from './wechat-settings';
import type { ReplyWindow } from './wechat-window';

export interface ProactiveGuardDeps {
  settings: WechatSettings;
  ledger: WechatLedger;
  /** Official Accounts only: the customer-service window. */
  window?: ReplyWindow;
  lastInboundAt?: (chatId: string) => Promise<Date | undefined>;
  random?: () => number;
}

/**
 * The channel's own safety net for messages nobody asked for (reminders, broadcasts), behind the queue's
 * pacing: the Official Account window, and the daily cap of a personal or WeCom account.
 */
export class ProactiveGuard {
  constructor(private readonly deps: ProactiveGuardDeps) {}

  /** Throws a ChannelSendError when the send must not happen now; otherwise returns how to take it back. */
  async admit(chatId: string, now: Date): Promise<() => Promise<void>> {
    const { settings, ledger, window } = this.deps;
    if (window) {
      const persisted = await this.deps.lastInboundAt?.(chatId).catch(() => undefined);
      const state = window.check(chatId, now, persisted);
      if (state !== 'open')
        throw new ChannelSendError(`Official Account customer-service window ${state}`, 'outside_window');
    }
    if (!isRiskControlled(settings.WECHAT_ACCOUNT_KIND)) return async () => {};
    const day = dayKey(now, settings.TIMEZONE);
    if ((await ledger.addSent(day)) > settings.WECHAT_DAILY_CAP) {
      await ledger.removeSent(day);
      // Resume the next morning after the quiet hours, spread over an hour so the backlog does not burst.
      const random = this.deps.random ?? Math.random;
      const retryAfterMs = Math.round(
        nextSendingDay(now, settings).getTime() - now.getTime() + random() * RESUME_SPREAD_MS,
      );
      throw new ChannelSendError(
        `daily cap of ${settings.WECHAT_DAILY_CAP} reached`,
        'rate_limited',
        retryAfterMs,
      );
    }
    return () => ledger.removeSent(day);
  }
}
