import { ChannelSendError } from '../../core/channel';

/** After WeChat signals "too often", a personal account should stay quiet for a while, not retry at once. */
export const RATE_LIMIT_COOLDOWN_MS = 10 * 60_000;
const RELOGIN_RETRY_MS = 60_000;

const RULES: Array<[RegExp, ChannelSendError['kind'], number | undefined]> = [
  // Official Account customer-service window: 45015 (more than 48 h since the user's last message),
  // 45047 (more than 5 messages in the window).
  [/45015|45047|out of time limit|response count limit|outside.window/i, 'outside_window', undefined],
  [/45009|45011|freq|too many|rate.?limit|频繁|操作过于/i, 'rate_limited', RATE_LIMIT_COOLDOWN_MS],
  [
    /43004|48001|require subscribe|blocked|not (a )?friend|非好友|拒收|拉黑|朋友验证|not exist|not found/i,
    'blocked',
    undefined,
  ],
  // The account, not the message: hold the queue until it is back, without using up the message's retries.
  [
    /not logged in|logout|logged out|no login|未登录|(invalid|expired) (token|session)|(token|session) (is )?(invalid|expired)|登录已?失效/i,
    'unavailable',
    RELOGIN_RETRY_MS,
  ],
  [/40003|44002|45002|invalid|too long|empty/i, 'invalid', undefined],
];

/**
 * Puppets report failures as plain errors with the platform's words (or an Official Account errcode) in the
 * message: classify them so the delivery job can tell "give up" from "retry later".
 */
export function classifySendError(error: unknown): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  const text = describe(error);
  for (const [re, kind, retryAfterMs] of RULES) {
    if (re.test(text)) return new ChannelSendError(text, kind, retryAfterMs);
  }
  return new ChannelSendError(text, 'network');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code === undefined ? error.message : `${String(code)} ${error.message}`;
  }
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}
