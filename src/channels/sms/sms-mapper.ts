import { z } from 'zod';
import type { SmsTemplate } from '../../config';
import { ChannelSendError, RouteUnreachableError } from '../../core/channel';

/** The SMS providers we have adapters for. */
export type SmsProviderName = 'aliyun' | 'tencent';

/**
 * Billed segments of one SMS as the phone gets it (signature and opt-out words included): up to 70 characters is
 * one message; a longer one is sent as a concatenated message of 67-character parts (each part carries a header).
 */
export function smsSegments(text: string): number {
  const length = [...text].length;
  return length <= 70 ? 1 : Math.ceil(length / 67);
}

/** The opt-out words each provider's rules ask for at the end of a message (docs/sms.md). */
export const OPT_OUT_TEXT: Record<SmsProviderName, string> = {
  aliyun: '拒收请回复R',
  tencent: '回T退订',
};

/** Longest value of one template variable the providers accept for a notification template. */
export const PARAM_MAX_CHARS = 35;

/** Mainland mobile numbers only (what a domestic signature may send to): 11 digits starting 13-19. */
export function normalisePhone(raw: string): string | undefined {
  const digits = raw.replace(/[\s\-()（）]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}

const cut = (value: string, max = PARAM_MAX_CHARS): string => {
  const chars = [...value.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
};

/**
 * A template's variables, by name and in the template's order, from the message: its named parts (course,
 * time, place…) and its text as `content` (cut to one variable's length) or `content1`…`content9` (the text in
 * consecutive pieces, for a template that has room for a longer notice). A variable the message lacks is '-'.
 */
export function templateParams(
  template: Pick<SmsTemplate, 'params'>,
  text: string,
  parts: Record<string, string> = {},
): { name: string; value: string }[] {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return template.params.map((name) => {
    const piece = /^content(\d)$/.exec(name);
    if (piece) {
      const i = Number(piece[1]) - 1;
      const value = chars.slice(i * PARAM_MAX_CHARS, (i + 1) * PARAM_MAX_CHARS).join('');
      return { name, value: value || ' ' };
    }
    const value = name === 'content' ? text : parts[name];
    return { name, value: value ? cut(value) : '-' };
  });
}

/** The text the phone shows: 【signature】, the wording with its variables filled in, the opt-out words. */
export function renderSms(
  signName: string,
  wording: string,
  params: readonly { name: string; value: string }[],
  optOut: string,
): string {
  const values = new Map(params.map((p) => [p.name, p.value]));
  const body = wording.replace(/\$\{(\w+)\}/g, (_, name: string) => values.get(name) ?? '');
  return `【${signName}】${body.endsWith(optOut) ? body : `${body}${optOut}`}`;
}

/** The template for a kind of message, else the `default` one; none: SMS cannot carry this kind. */
export function templateFor(templates: Record<string, SmsTemplate>, kind: string): SmsTemplate | undefined {
  return templates[kind] ?? templates.default;
}

const MINUTE = 60_000;

/**
 * The provider refused the request itself, before looking at the message: the key id is unknown, the signature
 * made with SMS_ACCESS_KEY_SECRET does not match (a wrong or reset secret), the request is malformed, or the
 * server's clock is off. A configuration problem to fix: every SMS fails the same way until it is.
 */
export const SMS_CREDENTIAL_ERRORS: Record<SmsProviderName, ReadonlySet<string>> = {
  aliyun: new Set([
    'SignatureDoesNotMatch',
    'IncompleteSignature',
    'InvalidAccessKeyId.NotFound',
    'InvalidAccessKeyId.Inactive',
    'InvalidTimeStamp.Expired',
    'SignatureNonceUsed',
  ]),
  tencent: new Set([
    'AuthFailure.SignatureFailure',
    'AuthFailure.SignatureExpire',
    'AuthFailure.InvalidAuthorization',
    'AuthFailure.SecretIdNotFound',
    'AuthFailure.InvalidSecretId',
  ]),
};

/** Milliseconds until the next midnight in `timezone` (plus a minute): when a day's cap frees up. */
export function untilTomorrow(now: Date, timezone: string): number {
  const local = new Date(now.toLocaleString('en-US', { timeZone: timezone }));
  const midnight = new Date(local);
  midnight.setHours(24, 1, 0, 0);
  return midnight.getTime() - local.getTime();
}

/** The provider refused our credentials (SMS_CREDENTIAL_ERRORS): final, and the operator must fix the keys. */
export class SmsCredentialError extends ChannelSendError {}

/**
 * What a provider's answer means for the delivery: per-number limits wait (that person only), an empty balance
 * holds the whole SMS queue, a wrong or refusing number falls back to the next route, a refused template or
 * signature fails the message (a configuration problem, shown by its code), a server error is retried.
 */
export function classifySmsError(
  provider: SmsProviderName,
  code: string,
  message: string,
  now: Date,
  timezone: string,
): ChannelSendError {
  const detail = `${provider} ${code}: ${message}`;
  const tomorrow = () => untilTomorrow(now, timezone);
  // Final, not retried: a retry would be refused the same way (and SignatureNonceUsed says a retry was replayed).
  if (SMS_CREDENTIAL_ERRORS[provider].has(code))
    return new SmsCredentialError(`${detail} (check SMS_ACCESS_KEY_ID / SMS_ACCESS_KEY_SECRET)`, 'invalid');
  if (provider === 'aliyun') {
    switch (code) {
      case 'isv.BUSINESS_LIMIT_CONTROL':
        // Per-number flow control: 1 a minute, 5 an hour, 10 a day by default; the message says which.
        return new ChannelSendError(
          detail,
          'unavailable',
          /天级|day/i.test(message) ? tomorrow() : /小时级|hour/i.test(message) ? 60 * MINUTE : MINUTE,
        );
      case 'isv.DAY_LIMIT_CONTROL':
        return new ChannelSendError(detail, 'unavailable', tomorrow());
      case 'isv.AMOUNT_NOT_ENOUGH':
      case 'isv.OUT_OF_SERVICE_ACCOUNT':
        return new ChannelSendError(detail, 'rate_limited', 5 * MINUTE);
      case 'Throttling.User':
      case 'isp.RAM_PERMISSION_DENY':
        return new ChannelSendError(detail, 'rate_limited', MINUTE);
      case 'isv.MOBILE_NUMBER_ILLEGAL':
      case 'isv.MOBILE_COUNT_OVER_LIMIT':
        return new RouteUnreachableError(detail, 'sms_phone_invalid');
      case 'isv.BLACK_KEY_CONTROL_LIMIT':
      case 'isv.OUT_OF_SERVICE':
        return new RouteUnreachableError(detail, 'sms_refused');
      case 'isp.SYSTEM_ERROR':
        return new ChannelSendError(detail, 'network');
      default:
        return new ChannelSendError(detail, 'invalid');
    }
  }
  if (code.startsWith('LimitExceeded.PhoneNumber')) {
    const wait = /ThirtySecond/.test(code) ? MINUTE / 2 : /OneHour/.test(code) ? 60 * MINUTE : tomorrow();
    return new ChannelSendError(detail, 'unavailable', wait);
  }
  switch (code) {
    case 'LimitExceeded.DeliveryFrequencyLimit':
    case 'RequestLimitExceeded':
      return new ChannelSendError(detail, 'rate_limited', MINUTE);
    case 'FailedOperation.InsufficientBalanceInSmsPackage':
    case 'UnauthorizedOperation.SmsSdkAppIdVerifyFail':
      return new ChannelSendError(detail, 'rate_limited', 5 * MINUTE);
    case 'InvalidParameterValue.IncorrectPhoneNumber':
    case 'UnsupportedOperation.UnsupportedRegion':
      return new RouteUnreachableError(detail, 'sms_phone_invalid');
    case 'FailedOperation.PhoneNumberInBlacklist':
    case 'FailedOperation.PhoneNumberOnBlacklist':
      return new RouteUnreachableError(detail, 'sms_refused');
    default:
      return new ChannelSendError(detail, code.startsWith('InternalError') ? 'network' : 'invalid');
  }
}

/** One delivery-status report, whichever provider pushed it. */
export interface SmsReport {
  provider: SmsProviderName;
  messageId: string;
  delivered: boolean;
  code: string;
  at?: Date;
  segments?: number;
}

/** Aliyun SmsReport (HTTP batch push): a JSON array. */
const aliyunReport = z.array(
  z.object({
    phone_number: z.string().max(40),
    send_time: z.string().max(40).optional(),
    report_time: z.string().max(40).optional(),
    success: z.boolean(),
    err_code: z.string().max(100),
    err_msg: z.string().max(500).optional(),
    sms_size: z.coerce.string().max(4).optional(),
    biz_id: z.string().min(1).max(100),
    out_id: z.string().max(100).optional(),
  }),
);

/** Tencent Cloud SMS status callback (短信下发状态回调): a JSON array. */
const tencentReport = z.array(
  z.object({
    user_receive_time: z.string().max(40).optional(),
    nationcode: z.string().max(8).optional(),
    mobile: z.string().max(40),
    report_status: z.enum(['SUCCESS', 'FAIL']),
    errmsg: z.string().max(100),
    description: z.string().max(500).optional(),
    sid: z.string().min(1).max(100),
    fee: z.coerce.number().int().min(0).max(100).optional(),
  }),
);

/** Times in the reports are Beijing time without a zone. */
const beijing = (value?: string): Date | undefined => {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  return new Date(`${value.replace(' ', 'T')}+08:00`);
};

/** Parses a pushed report body; a malformed one is refused whole (the provider pushes it again). */
export function parseSmsReports(provider: SmsProviderName, body: unknown): SmsReport[] | undefined {
  if (provider === 'aliyun') {
    const parsed = aliyunReport.safeParse(body);
    return parsed.success
      ? parsed.data.map((r) => ({
          provider,
          messageId: r.biz_id,
          delivered: r.success,
          code: r.err_code,
          at: beijing(r.report_time),
          segments: r.sms_size ? Number(r.sms_size) || undefined : undefined,
        }))
      : undefined;
  }
  const parsed = tencentReport.safeParse(body);
  return parsed.success
    ? parsed.data.map((r) => ({
        provider,
        messageId: r.sid,
        delivered: r.report_status === 'SUCCESS',
        code: r.errmsg,
        at: beijing(r.user_receive_time),
        segments: r.fee,
      }))
    : undefined;
}

/** What each provider expects back from a report push, so it does not push again. */
export const REPORT_ACK: Record<SmsProviderName, unknown> = {
  aliyun: { code: 0, msg: '成功' },
  tencent: { result: 0, errmsg: 'OK' },
};
