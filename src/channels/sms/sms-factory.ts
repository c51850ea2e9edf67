import type pg from 'pg';
import type { Config } from '../../config';
import type { Translator } from '../../core/i18n';
import type { Logger } from '../../logger';
import { createAliyunSms } from './aliyun-sms';
import { SmsChannel, type SmsMeter } from './sms-channel';
import { createSmsStore } from './sms-store';
import { createTencentSms } from './tencent-sms';

export interface SmsChannelDeps {
  config: Config;
  logger: Logger;
  translator: Translator;
  pool: pg.Pool;
  meter: SmsMeter;
}

/** The SMS channel when SMS_PROVIDER is set (config.ts checks the rest is there), else undefined. */
export function createSmsChannel(deps: SmsChannelDeps): SmsChannel | undefined {
  const { config } = deps;
  if (
    !config.SMS_PROVIDER ||
    !config.SMS_ACCESS_KEY_ID ||
    !config.SMS_ACCESS_KEY_SECRET ||
    !config.SMS_SIGN_NAME
  )
    return undefined;
  const settings = {
    accessKeyId: config.SMS_ACCESS_KEY_ID,
    accessKeySecret: config.SMS_ACCESS_KEY_SECRET,
    endpoint: config.SMS_ENDPOINT,
    region: config.SMS_REGION,
    sdkAppId: config.SMS_SDK_APP_ID,
    timeoutMs: 10_000,
  };
  const provider = config.SMS_PROVIDER === 'aliyun' ? createAliyunSms(settings) : createTencentSms(settings);
  const t = deps.translator.forLocale('zh-CN');
  return new SmsChannel(
    provider,
    createSmsStore(deps.pool, config.TIMEZONE),
    {
      signName: config.SMS_SIGN_NAME,
      templates: config.SMS_TEMPLATES,
      dailyCapPerPerson: config.SMS_DAILY_CAP_PER_PERSON,
      optOutText: config.SMS_OPT_OUT_TEXT,
      ratePerSecond: config.SMS_RATE_PER_SECOND,
      timezone: config.TIMEZONE,
      reports: { path: config.SMS_REPORT_PATH, token: config.SMS_REPORT_TOKEN },
      defaultWording: (kind) => {
        const key = `sms:wording.${kind}`;
        const text = t(key);
        return text === key || text.endsWith(`wording.${kind}`) ? t('sms:wording.default') : text;
      },
    },
    deps.meter,
    deps.logger.child({ channel: 'sms' }),
  );
}
