import { z } from 'zod';
import { parseCountyOfficeHours, parseOfficeHours } from './core/inbox/office-hours';

/**
 * The only place that reads process.env. Every value has a documented default (see .env.example) so
 * `npm start` works on a fresh machine; a bad value stops start-up naming the variable.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const hexKey = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'a 64-character hex string (32 bytes), e.g. from `openssl rand -hex 32`');
const minutesList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'a comma-separated list of minutes, e.g. 1440,120')
  .transform((v) => v.split(',').map(Number));

const proxyAddress =
  /^(loopback|linklocal|uniquelocal|[0-9.]+(\/\d{1,2})?|[0-9a-fA-F:]+:[0-9a-fA-F:.]*(\/\d{1,3})?)$/;
/**
 * TRUST_PROXY: false (trust no X-Forwarded-For), a hop count, or the proxies' addresses. `true` used to trust
 * every hop, which lets any client pick its own address; it now means one proxy, the usual set-up.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): false | number | string[] => {
    if (['', 'false', '0', 'no'].includes(v)) return false;
    if (v === 'true' || v === 'yes') return 1;
    if (/^\d+$/.test(v)) return Number(v);
    const list = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.filter((a) => !proxyAddress.test(a));
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `a hop count (e.g. 1) or proxy addresses/CIDRs (e.g. 10.0.0.5,172.16.0.0/12); not ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return list;
  });

/** An optional value where an empty string (as in .env.example) means "not set". */
function optional<T extends z.ZodType<string>>(schema: T) {
  return schema.optional().or(z.literal('').transform(() => undefined));
}

/** Kinds of notice that can go out as an Official Account template or subscription notice. */
export const OA_NOTICE_KINDS = [
  'reminder',
  'class_notice',
  'waitlist_seat',
  'schedule_change',
  'other',
] as const;
/**
 * One template per notice kind: its id and, per template field (thing1, time2…), where the value comes from:
 * title (the kind's title), text (the message), line1…line9 (a line of it), time (now), param:<name> (a named
 * part of the notice, e.g. param:course), or =fixed text.
 */
const oaNoticeTemplate = z.object({
  templateId: z.string().regex(/^[\w-]{8,128}$/, 'a template id'),
  fields: z
    .record(
      z.string().regex(/^[a-z_]+\d+$/, 'a template field name such as thing1'),
      z
        .string()
        .regex(
          /^(title|text|time|line[1-9]|param:[a-zA-Z]\w{0,39}|=.{1,40})$/,
          'title, text, time, line1-line9, param:<name> or =fixed text',
        ),
    )
    .refine((f) => Object.keys(f).length > 0 && Object.keys(f).length <= 10, '1-10 fields'),
  url: z.url({ protocol: /^https$/ }).optional(),
  /** Subscription notices: true for a long-term (长期) subscription, else each consent allows one notice. */
  longTerm: z.boolean().optional(),
});
/** A setting holding a JSON object (empty: {}), parsed before its schema; `example` is shown when it is not JSON. */
const jsonObjectEnv = (example: string) =>
  z
    .string()
    .default('{}')
    .transform((v, ctx) => {
      try {
        return JSON.parse(v.trim() || '{}') as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: example });
        return z.NEVER;
      }
    });

const oaNoticeTemplates = jsonObjectEnv(
  'JSON such as {"reminder":{"templateId":"…","fields":{"thing1":"title"}}}',
).pipe(z.partialRecord(z.enum(OA_NOTICE_KINDS), oaNoticeTemplate));
export type OaNoticeTemplate = z.infer<typeof oaNoticeTemplate>;
export type OaNoticeKind = (typeof OA_NOTICE_KINDS)[number];

/** The routes a proactive message can take (src/delivery/routes.ts). */
export const DELIVERY_ROUTES = ['chat', 'wechat_oa', 'sms'] as const;
const deliveryFallback = z
  .string()
  .default('chat,wechat_oa,sms')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.enum(DELIVERY_ROUTES))
      .min(1)
      .refine((l) => new Set(l).size === l.length, 'each route once, e.g. chat,wechat_oa,sms'),
  );

/**
 * One approved SMS template: its id (Aliyun SMS_123456789, Tencent 1234567), the names of its variables in
 * order (Tencent's TemplateParamSet is ordered; Aliyun's TemplateParam is by name), and optionally its approved
 * wording with ${name} placeholders (used to count billed segments and to record what was sent).
 */
const smsTemplate = z.object({
  templateId: z.string().regex(/^[\w-]{1,64}$/, 'a template id such as SMS_123456789 or 1234567'),
  params: z
    .array(z.string().regex(/^[a-z]\w{0,19}$/, 'a variable name such as course'))
    .max(10)
    .default([]),
  text: z.string().min(2).max(500).optional(),
});
const smsTemplates = jsonObjectEnv(
  'JSON such as {"reminder":{"templateId":"SMS_1","params":["course","time"]}}',
).pipe(z.record(z.string().regex(/^[a-z_]{2,40}$/, 'a message kind such as reminder'), smsTemplate));
export type SmsTemplate = z.infer<typeof smsTemplate>;

export const configSchema = z.object({
  /** production: refuse to start without PII_ENCRYPTION_KEY, PII_HASH_KEY and WEB_SESSION_SECRET. */
  JINENG_ENV: z.enum(['development', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Empty: run the embedded PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./.data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().min(1).default('jineng'),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  DEFAULT_LOCALE: z.enum(['zh-CN', 'en']).default('zh-CN'),
  TIMEZONE: z.string().default('Asia/Shanghai'),
  /** AES-256-GCM key for ID numbers; the embedded default is for development only. */
  PII_ENCRYPTION_KEY: hexKey.optional(),
  /** HMAC key for ID-number lookup hashes. */
  PII_HASH_KEY: hexKey.optional(),
  /** Minutes before each class session to remind (default 24 h and 2 h). */
  REMINDER_OFFSETS_MINUTES: minutesList.default([1440, 120]),
  /** Channel identities (channel:externalId) that are admins from config, e.g. terminal:local. */
  ADMIN_IDENTITIES: csv.default([]),
  HANDOFF_PHONE: z.string().default('12333'),
  /** Staff inbox: when staff answer (TIMEZONE), e.g. "Mon-Fri 09:00-17:30"; spans joined by ";". */
  OFFICE_HOURS: z
    .string()
    .default('Mon-Fri 09:00-17:30')
    .transform((v, ctx) => {
      const hours = parseOfficeHours(v);
      if (typeof hours === 'string') {
        ctx.addIssue({ code: 'custom', message: hours });
        return z.NEVER;
      }
      return hours;
    }),
  /** Per-county office hours overriding OFFICE_HOURS: "zhenxiong=Mon-Sat 08:30-18:00|weixin=Mon-Fri 09:00-17:00". */
  OFFICE_HOURS_BY_COUNTY: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const hours = parseCountyOfficeHours(v);
      if (typeof hours === 'string') {
        ctx.addIssue({ code: 'custom', message: hours });
        return z.NEVER;
      }
      return hours;
    }),
  /** Staff inbox: the reply time promised during office hours ("usually within N minutes"). */
  INBOX_REPLY_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** A conversation a staff member claimed goes back to the bot after this many minutes without a staff reply. */
  INBOX_SILENCE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  /** An inbox item still waiting after this many minutes is escalated to the admins (by the maintenance sweep). */
  INBOX_ESCALATE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  /** The console's inbox page, linked from the alerts staff get on Telegram/WeChat; empty: no link. */
  /** Staff are told of waiting people at most once in this many minutes (when an item opens, and by the sweep). */
  INBOX_ALERT_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  INBOX_CONSOLE_URL: optional(z.url({ protocol: /^https?$/ })),
  /** Outbound queues: sends in flight at once per channel worker (each channel's rate limit still applies). */
  OUTBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  /** Attempts for a message whose send failed with a network error, with exponential backoff. */
  OUTBOUND_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** First backoff delay (ms); it doubles with each attempt. */
  OUTBOUND_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
  /** Telegram: proactive messages per second over all chats (Telegram allows about 30). */
  TELEGRAM_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(25),
  /** Telegram: messages per second to one chat (Telegram allows about 1). */
  TELEGRAM_PER_CHAT_PER_SECOND: z.coerce.number().positive().max(100).default(1),
  /** Channels without a setting of their own send at most this many per second (or their declared rate if lower). */
  OUTBOUND_DEFAULT_RATE_PER_SECOND: z.coerce.number().positive().max(10_000).default(30),
  /** How often the sweep rebuilds missing reminder jobs and re-queues lost deliveries from the database. */
  REMINDER_SWEEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /**
   * A reminder's message is written and queued this long before it is due, and sent at its due time: when
   * hundreds fall due together only the sends remain to do.
   */
  REMINDER_PREPARE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Reminders are queued for class sessions up to this many days ahead; the sweep adds later ones in time. */
  REMINDER_HORIZON_DAYS: z.coerce.number().int().min(1).max(366).default(14),
  /** A notice that asks for confirmation: who has not confirmed this long after it was sent gets one follow-up. */
  NOTICE_ACK_FOLLOW_UP_MINUTES: z.coerce.number().int().min(5).max(10_080).default(720),
  /** Local hours (TIMEZONE) when no reminder is sent, "22-7"; a reminder due then goes out at 21:00 before. Empty: none. */
  REMINDER_QUIET_HOURS: z
    .string()
    .regex(/^$|^([01]?\d|2[0-3])-([01]?\d|2[0-3])$/, 'two hours "start-end", e.g. 22-7, or empty')
    .default('22-7'),
  /** Satisfaction and employment questions (docs/surveys.md): how often the survey job looks for due ones. */
  SURVEY_JOB_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** A course nobody marked finished counts as finished this many days after its last class ended; 0: never. */
  SURVEY_FALLBACK_DAYS: z.coerce.number().int().min(0).max(365).default(2),
  /** The satisfaction question goes out only while the course finished less than this many days ago. */
  SURVEY_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** One reminder this many hours after an unanswered question (satisfaction or employment); 0: none. */
  SURVEY_REMINDER_HOURS: z.coerce.number().int().min(0).max(2160).default(48),
  /** Answers are taken this many days after the question was asked. */
  SURVEY_ANSWER_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Employment follow-ups, in months after a course finished. */
  EMPLOYMENT_CHECK_MONTHS: z
    .string()
    .regex(/^$|^\d{1,2}(,\d{1,2})*$/, 'a comma-separated list of months, e.g. 3,6, or empty')
    .default('3,6')
    .transform((v) => [...new Set(v.split(',').filter(Boolean).map(Number))].filter((m) => m > 0)),
  /** A follow-up due longer ago than this many days (the bot was off, say) is not sent; a later one is. */
  EMPLOYMENT_CHECK_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Port of the HTTP server `npm start` opens: web chat, console, /healthz, /readyz, /metrics, Telegram webhook. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Signs the web chat and console cookies; empty: a development secret kept in DATA_DIR/web-secret.json. */
  WEB_SESSION_SECRET: optional(
    z.string().min(32, 'at least 32 characters, e.g. from `openssl rand -hex 32`'),
  ),
  /**
   * Which X-Forwarded-For hops to believe (rate limits, logs): empty or false, none (clients connect directly);
   * a number, that many proxies in front; or the proxies' addresses/CIDRs, comma-separated. true means 1.
   */
  TRUST_PROXY: trustProxy.default(false),
  /** A web chat session (and its cookie) lasts this many days after the last visit. */
  WEB_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  /** Proactive messages for a web chat that was not open are kept this many days for the next visit. */
  WEB_INBOX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Web chat messages one session may send per minute. */
  WEB_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Requests one client address may make per minute to the web chat API and the console. */
  WEB_IP_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
  /** A console sign-in lasts this many hours. */
  CONSOLE_SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  /** Failed console sign-ins (passwords or second-factor codes) within the window that lock an account. */
  CONSOLE_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  CONSOLE_LOCKOUT_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** How long a locked console account refuses every sign-in (an admin can unlock it sooner). */
  CONSOLE_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** Bearer token GET /metrics requires; empty: only clients on this machine (loopback) may read it. */
  METRICS_TOKEN: optional(z.string().min(16, 'at least 16 characters')),
  /** The deliveries gauge of /metrics is read from the database at most this often (seconds). */
  METRICS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Course import: largest upload (MiB), most data rows, and most bytes an .xlsx may unpack to (MiB). */
  IMPORT_MAX_FILE_MB: z.coerce.number().int().min(1).max(100).default(5),
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(100_000).default(2_000),
  IMPORT_MAX_UNZIPPED_MB: z.coerce.number().int().min(1).max(1_000).default(50),
  // ── issue 20: attendance check-in (docs/attendance.md)
  /** HMAC key of the rotating check-in codes; empty: derived from PII_HASH_KEY (the same in every process). */
  CHECKIN_SECRET: optional(z.string().min(32, 'at least 32 characters, e.g. from `openssl rand -hex 32`')),
  /** A check-in code is shown this many minutes; the one before it is still accepted. */
  CHECKIN_STEP_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  /** Check-in opens this many minutes before a class session starts and closes this many after it started. */
  CHECKIN_OPENS_MINUTES: z.coerce.number().int().min(0).max(720).default(30),
  CHECKIN_CLOSES_MINUTES: z.coerce.number().int().min(1).max(720).default(30),
  /** A check-in more than this many minutes after the start counts as late. */
  CHECKIN_LATE_MINUTES: z.coerce.number().int().min(0).max(720).default(10),
  /** The public address of the web chat and console (https://…), for check-in links in chat; empty: the console uses its own address. */
  CHECKIN_LINK_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
  /** The Telegram bot's username (without @): the check-in page adds a QR code for t.me/<bot>?start=ci_… */
  TELEGRAM_BOT_USERNAME: optional(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'a bot username such as jineng_bot'),
  ),
  /** From @BotFather; empty: no Telegram channel. */
  TELEGRAM_BOT_TOKEN: optional(
    z.string().regex(/^\d+:[\w-]{20,}$/, 'a bot token from @BotFather, like 123456789:AAF…'),
  ),
  /** Bot API server: Telegram's, a self-hosted telegram-bot-api, or an emulator in tests. */
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** Set in production: Telegram posts updates here instead of the bot long-polling. */
  TELEGRAM_WEBHOOK_URL: optional(z.url({ protocol: /^https$/ })),
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token with every webhook request; required with the URL. */
  TELEGRAM_WEBHOOK_SECRET: optional(
    z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16-256 characters of A-Z, a-z, 0-9, _ and -'),
  ),
  START_TERMINAL_CHAT: bool.default(true),
  /** Start-up: how long to wait for Redis and PostgreSQL to answer before exiting non-zero with one line. */
  STARTUP_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** On SIGTERM: how long running jobs and turns may take to finish before the process exits anyway. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** auto: load the sample Zhaotong courses into an empty embedded database; always/never as said. */
  SEED_SAMPLE_DATA: z.enum(['auto', 'always', 'never']).default('auto'),
  /** WeChat: the Wechaty puppet module to load (e.g. wechaty-puppet-wechat4u); empty leaves WeChat off. */
  WECHATY_PUPPET: z
    .string()
    .regex(
      /^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/,
      'a Wechaty puppet package name, e.g. wechaty-puppet-wechat4u',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Token for wechaty-puppet-service (WeCom, padlocal, xp… served remotely). */
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().optional(),
  /** personal: a personal WeChat account; wecom: WeCom through a puppet service; official: an Official Account. */
  WECHAT_ACCOUNT_KIND: z.enum(['personal', 'wecom', 'official']).default('personal'),
  /** Friend requests whose greeting contains one of these words are accepted (comma-separated). */
  WECHAT_FRIEND_KEYWORD: csv.default(['培训']),
  /** Slowest pace of the account's outgoing messages: at least this many ms apart, plus random jitter. */
  WECHAT_MIN_INTERVAL_MS: z.coerce.number().int().min(0).default(3000),
  WECHAT_JITTER_MS: z.coerce.number().int().min(0).default(2000),
  /** Proactive messages (reminders, broadcasts) per day from a personal or WeCom account. */
  WECHAT_DAILY_CAP: z.coerce.number().int().min(1).default(200),
  /** Longest text in one WeChat message; longer replies are split on sentence boundaries. */
  WECHAT_MAX_TEXT: z.coerce.number().int().min(200).max(20_000).default(2000),
  /** Messages sent more than this many minutes before the bot logged in are not answered. */
  WECHAT_BACKLOG_MINUTES: z.coerce.number().int().min(0).default(30),
  /** The same text from the same person within this many ms is answered once. */
  WECHAT_REPEAT_WINDOW_MS: z.coerce.number().int().min(0).default(5000),
  // ── issue 19: WeChat Service Account (服务号) on the Official Account API (docs/wechat-official-account.md)
  /** The Service Account's AppID; with WECHAT_OA_APPSECRET and WECHAT_OA_TOKEN it turns the wechat-oa channel on. */
  WECHAT_OA_APPID: optional(z.string().regex(/^wx[0-9a-zA-Z]{8,32}$/, 'an AppID such as wx1234567890abcdef')),
  WECHAT_OA_APPSECRET: optional(z.string().min(16).max(64)),
  /** The Token entered under 服务器配置 (message push): 3-32 letters and digits. */
  WECHAT_OA_TOKEN: optional(z.string().regex(/^[0-9A-Za-z]{3,32}$/, '3-32 letters and digits')),
  /** EncodingAESKey (43 characters) for the encrypted (安全) push mode; empty: plain mode only. */
  WECHAT_OA_ENCODING_AES_KEY: optional(z.string().regex(/^[0-9A-Za-z]{43}$/, '43 letters and digits')),
  /** Path of the message push URL on this server. */
  WECHAT_OA_PUSH_PATH: z
    .string()
    .regex(/^\/[\w\-/]*$/, 'a path such as /wechat-oa/push')
    .default('/wechat-oa/push'),
  /** The Official Account API; a local fake in tests. */
  WECHAT_OA_API_BASE: z.url({ protocol: /^https?$/ }).default('https://api.weixin.qq.com'),
  /** Template messages (outside the 48 h window) per notice kind: JSON, see docs/wechat-official-account.md. */
  WECHAT_OA_TEMPLATES: oaNoticeTemplates,
  /** Subscription notices (message/subscribe/bizsend) per notice kind, sent only with the person's consent. */
  WECHAT_OA_SUBSCRIBE_TEMPLATES: oaNoticeTemplates,
  /** The page with the subscribe button (wx-open-subscribe) offered after a sign-up; empty: our own page
   * (<CHECKIN_LINK_BASE_URL>/wechat-oa/subscribe) when CHECKIN_LINK_BASE_URL is set, else no offer. */
  WECHAT_OA_SUBSCRIBE_URL: optional(z.url({ protocol: /^https?$/ })),
  /** API calls per second the channel's outbound queue may make. */
  WECHAT_OA_RATE_PER_SECOND: z.coerce.number().min(0.1).max(500).default(20),
  // ── issue 19: SMS and the per-message channel decision (docs/sms.md, docs/delivery-routes.md)
  /** Routes a proactive message tries, in order, after the person's own preference: chat, wechat_oa, sms. */
  DELIVERY_FALLBACK: deliveryFallback,
  /** aliyun (@alicloud/dysmsapi20170525) or tencent (tencentcloud-sdk-nodejs-sms); empty leaves SMS off. */
  SMS_PROVIDER: optional(z.enum(['aliyun', 'tencent'])),
  /** The provider's AccessKey ID / SecretId and AccessKey Secret / SecretKey (a RAM user limited to SMS). */
  SMS_ACCESS_KEY_ID: optional(z.string().min(8).max(128)),
  SMS_ACCESS_KEY_SECRET: optional(z.string().min(8).max(128)),
  /** The SendSms API; empty: the provider's own (a local fake in tests, e.g. http://127.0.0.1:9000). */
  SMS_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  /** Tencent only: the region of the SMS application (ap-guangzhou, ap-beijing, ap-nanjing). */
  SMS_REGION: z
    .string()
    .regex(/^[a-z]+-[a-z]+(-\d)?$/, 'a region such as ap-guangzhou')
    .default('ap-guangzhou'),
  /** Tencent only: the SMS application's SdkAppId (1400…). */
  SMS_SDK_APP_ID: optional(z.string().regex(/^14\d{8}$/, 'an SdkAppId such as 1400123456')),
  /** The approved signature (签名), without 【】, e.g. 昭通市人社局. */
  SMS_SIGN_NAME: optional(z.string().trim().min(2).max(12)),
  /** Approved templates per message kind (reminder, broadcast, promotion, …, default): JSON, see docs/sms.md. */
  SMS_TEMPLATES: smsTemplates,
  /** Most SMS one person gets in a day (Asia/Shanghai); more wait for the next day. */
  SMS_DAILY_CAP_PER_PERSON: z.coerce.number().int().min(1).max(100).default(5),
  /** The opt-out words every SMS ends with; empty: the provider's convention (拒收请回复R / 回T退订). */
  SMS_OPT_OUT_TEXT: optional(z.string().trim().min(2).max(20)),
  /** SendSms calls per second (the providers allow far more; this keeps the bill and the phones calm). */
  SMS_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(50),
  /** Path of the delivery-status report endpoint (…/aliyun, …/tencent are appended). */
  SMS_REPORT_PATH: z
    .string()
    .regex(/^\/[\w\-/]*$/, 'a path such as /sms/report')
    .default('/sms/report'),
  /** A secret the report URL must carry as ?token=… (the providers do not sign their pushes). */
  SMS_REPORT_TOKEN: optional(z.string().regex(/^[\w-]{16,128}$/, '16-128 letters, digits, _ or -')),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (process.env by default) into a Config or throws naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  const lines = result.success
    ? crossChecks(result.data)
    : result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
      });
  if (result.success && lines.length === 0) return result.data;
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable.`);
}

/** Without these, development keys from DATA_DIR would be used: production mode refuses to start instead. */
export const PRODUCTION_SECRETS = ['PII_ENCRYPTION_KEY', 'PII_HASH_KEY', 'WEB_SESSION_SECRET'] as const;

/** Rules that involve more than one variable (kept out of the schema so it stays a plain, extendable object). */
function crossChecks(config: Config): string[] {
  const problems: string[] = [];
  const missing = PRODUCTION_SECRETS.filter((name) => !config[name]);
  if (config.JINENG_ENV === 'production' && missing.length)
    problems.push(
      `  JINENG_ENV=production requires ${missing.join(', ')} (not set; development keys are refused)`,
    );
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET)
    problems.push('  TELEGRAM_WEBHOOK_SECRET="": required when TELEGRAM_WEBHOOK_URL is set');
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_BOT_TOKEN)
    problems.push('  TELEGRAM_BOT_TOKEN="": required when TELEGRAM_WEBHOOK_URL is set');
  const oa = ['WECHAT_OA_APPID', 'WECHAT_OA_APPSECRET', 'WECHAT_OA_TOKEN'] as const;
  if (oa.some((name) => config[name]) && !oa.every((name) => config[name]))
    problems.push(
      `  ${oa.filter((name) => !config[name]).join(', ')}="": the Service Account needs all of ${oa.join(', ')}`,
    );
  if (config.SMS_PROVIDER) {
    const needed = ['SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME'] as const;
    const absent = needed.filter((name) => !config[name]);
    if (config.SMS_PROVIDER === 'tencent' && !config.SMS_SDK_APP_ID) absent.push('SMS_SDK_APP_ID' as never);
    if (absent.length)
      problems.push(`  SMS_PROVIDER=${config.SMS_PROVIDER} requires ${absent.join(', ')} (docs/sms.md)`);
  }
  return problems;
}
