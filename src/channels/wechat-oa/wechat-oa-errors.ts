import { ChannelSendError, RouteUnreachableError } from '../../core/channel';

/** The three ways the Service Account can write to a person. */
export type OaRoute = 'custom' | 'template' | 'subscribe';

/** Why a route is closed to this person now; another route (or SMS) may still reach them. */
export type OaClosedReason =
  /** 45015: more than 48 h since the person's last message (customer-service messages). */
  | 'outside_window'
  /** 45047: too many customer-service messages since the person's last message. */
  | 'window_limit'
  /** 43101: the person refused (or never accepted) this subscription notice. */
  | 'refused'
  /** No consent recorded for a subscription notice of this kind. */
  | 'no_consent'
  /** No template configured for this kind of notice (WECHAT_OA_TEMPLATES). */
  | 'no_template';

/** Token errors: the cached access token is stale (40001 invalid, 42001 expired, 40014 malformed). */
export const TOKEN_ERRORS: ReadonlySet<number> = new Set([40001, 42001, 40014]);
/** 45009 is the daily API quota: waiting is all that helps, so the queue waits this long. */
export const QUOTA_RETRY_MS = 15 * 60_000;
/** A token refresh that keeps failing (bad secret, server IP not whitelisted): hold the queue meanwhile. */
export const TOKEN_RETRY_MS = 60_000;

/** The Official Account API answered with an errcode other than 0. */
export class OaApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${api}: ${errcode} ${errmsg}`);
    this.name = 'OaApiError';
  }
}

/**
 * "Not reachable on this route now": the message did not go out and nothing about the person or the account is
 * wrong; the delivery module tries its next route (SMS). A RouteUnreachableError (kind 'route_unreachable'),
 * so it never marks the identity unreachable; `route` and `reason` say which door was closed and why.
 */
export class OaRouteClosedError extends RouteUnreachableError {
  constructor(
    message: string,
    readonly route: OaRoute,
    override readonly reason: OaClosedReason,
  ) {
    super(message, reason);
    this.name = 'OaRouteClosedError';
  }
}

const CLOSED: Record<number, OaClosedReason> = {
  45015: 'outside_window',
  45047: 'window_limit',
  43101: 'refused',
};

/**
 * The contract the delivery job decides on (ChannelSendError.kind):
 * - 45015, 45047, 43101 → OaRouteClosedError (a RouteUnreachableError, kind 'route_unreachable', with route and
 *   reason): try the next route;
 * - 40001/42001/40014 still failing after the one refresh-and-retry, 40125 (bad secret), 40164 (IP not
 *   whitelisted), 48001 (API not authorised) → 'unavailable' (the account, not the message; waits, keeps attempts);
 * - 45009 (daily quota), 45011 (too frequent) → 'rate_limited' (the channel's queue waits QUOTA_RETRY_MS);
 * - 43004 (person unfollowed), 40003 (not an openid of this account) → 'blocked' (identity marked unreachable);
 * - -1 (system busy), HTTP 5xx, timeouts, network → 'network' (retried with backoff);
 * - any other errcode (40037 bad template id, 47003 bad field, 44002 empty…) → 'invalid' (our message: a bug).
 */
export function classifyOaError(error: unknown, route: OaRoute): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  if (!(error instanceof OaApiError)) {
    return new ChannelSendError(error instanceof Error ? error.message : String(error), 'network');
  }
  const { errcode, message } = error;
  const closed = CLOSED[errcode];
  if (closed) return new OaRouteClosedError(message, route, closed);
  if (TOKEN_ERRORS.has(errcode) || [40125, 40164, 48001, 40013].includes(errcode))
    return new ChannelSendError(message, 'unavailable', TOKEN_RETRY_MS);
  if (errcode === 45009 || errcode === 45011)
    return new ChannelSendError(message, 'rate_limited', QUOTA_RETRY_MS);
  if (errcode === 43004 || errcode === 40003) return new ChannelSendError(message, 'blocked');
  if (errcode === -1) return new ChannelSendError(message, 'network');
  return new ChannelSendError(message, 'invalid');
}
