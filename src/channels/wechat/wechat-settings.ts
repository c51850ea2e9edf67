import type { Config } from '../../config';

/** The settings the WeChat channel and its proactive guard read (pacing, caps, quiet hours, account kind). */
export type WechatSettings = Pick<
  Config,
  | 'WECHAT_ACCOUNT_KIND'
  | 'WECHAT_FRIEND_KEYWORD'
  | 'WECHAT_MIN_INTERVAL_MS'
  | 'WECHAT_JITTER_MS'
  | 'WECHAT_DAILY_CAP'
  | 'WECHAT_MAX_TEXT'
  | 'WECHAT_BACKLOG_MINUTES'
  | 'WECHAT_REPEAT_WINDOW_MS'
  | 'TIMEZONE'
  | 'REMINDER_QUIET_HOURS'
  | 'DEFAULT_LOCALE'
>;
