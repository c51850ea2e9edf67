import { createHash } from 'node:crypto';
import type { SmsTemplate } from '../../config';
import {
  type Channel,
  type ChannelCapabilities,
  ChannelSendError,
  RouteUnreachableError,
  type SendResult,
} from '../../core/channel';
import type { ChatAddress, OutboundMessage } from '../../core/message';
import type { Logger } from '../../logger';
import {
  classifySmsError,
  normalisePhone,
  OPT_OUT_TEXT,
  renderSms,
  SmsCredentialError,
  smsSegments,
  templateFor,
  templateParams,
  untilTomorrow,
} from './sms-mapper';
import type { SmsProvider } from './sms-provider';
import type { SmsStore } from './sms-store';

/** Kinds outside the per-person daily cap, and not counted in it. */
const UNCAPPED_KINDS: ReadonlySet<string> = new Set(['link_code']);

/** Counts for /metrics (src/app/metrics.ts): what SMS cost and how they fared. */
export interface SmsMeter {
  sent(provider: string, kind: string, segments: number): void;
  refused(provider: string, code: string): void;
  reported(provider: string, status: 'delivered' | 'failed'): void;
}

export interface SmsChannelSettings {
  signName: string;
  templates: Record<string, SmsTemplate>;
  dailyCapPerPerson: number;
  /** Appended to every message's wording when the wording does not end with it already. */
  optOutText?: string;
  ratePerSecond: number;
  timezone: string;
  /** The wording of a kind's template when the configuration gives none (locales/zh-CN/sms.json). */
  defaultWording(kind: string): string;
  /** Where delivery reports are pushed (sms-reports.ts) and the token their URL must carry. */
  reports: { path: string; token?: string };
}

/**
 * SMS as a channel: the address's chat id is the person's id, so the phone number is read when the message goes
 * out (never stored in the ledger) and the day's cap is counted per person. Only approved templates can be
 * sent: the message's kind picks one (SMS_TEMPLATES), its variables are filled from the message, and the text
 * the phone will show (signature, wording, opt-out words) is rendered here to count billed segments.
 */
export class SmsChannel implements Channel {
  readonly name = 'sms' as const;
  readonly capabilities: ChannelCapabilities;
  readonly optOut: string;
  readonly reports: SmsChannelSettings['reports'];

  constructor(
    readonly provider: SmsProvider,
    readonly store: SmsStore,
    private readonly settings: SmsChannelSettings,
    readonly meter: SmsMeter,
    readonly logger: Logger,
  ) {
    this.optOut = settings.optOutText ?? OPT_OUT_TEXT[provider.name];
    this.reports = settings.reports;
    this.capabilities = {
      buttons: false,
      maxTextLength: 500,
      sendRatePerSecond: settings.ratePerSecond,
      groups: false,
      proactive: true,
    };
    for (const [kind, template] of Object.entries(settings.templates))
      if (template.text && !template.text.endsWith(this.optOut))
        logger.warn(
          { kind, templateId: template.templateId, optOut: this.optOut },
          'SMS template wording does not end with the opt-out words: apply for one that does (docs/sms.md)',
        );
  }

  /** Nothing comes in on SMS: delivery reports arrive on the HTTP endpoint (sms-reports.ts). */
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async send(address: ChatAddress, message: OutboundMessage): Promise<SendResult> {
    const personId = address.chatId;
    const raw = await this.store.phoneOf(personId);
    const phone = raw ? normalisePhone(raw) : undefined;
    if (!phone)
      throw new RouteUnreachableError(
        'no mainland mobile number',
        raw ? 'sms_phone_invalid' : 'sms_no_phone',
      );
    const kind = message.notice?.kind ?? 'other';
    const template = templateFor(this.settings.templates, kind);
    if (!template) throw new RouteUnreachableError(`no SMS template for ${kind}`, 'sms_no_template');
    const now = new Date();
    // Account-linking codes are neither held back by the daily cap nor counted in it: someone who knows a
    // trainee's number must not use up the reminders' SMS (the linking service limits codes per phone itself).
    if (
      !UNCAPPED_KINDS.has(kind) &&
      (await this.store.sentToday(personId, [...UNCAPPED_KINDS])) >= this.settings.dailyCapPerPerson
    )
      throw new ChannelSendError(
        `daily SMS cap of ${this.settings.dailyCapPerPerson} reached`,
        'unavailable',
        untilTomorrow(now, this.settings.timezone),
      );
    const params = templateParams(template, message.text, message.notice?.params);
    const text = renderSms(
      this.settings.signName,
      template.text ?? this.settings.defaultWording(kind),
      params,
      this.optOut,
    );
    const outId = createHash('sha256')
      .update(message.deliveryKey ?? `${personId}:${now.getTime()}`)
      .digest('hex')
      .slice(0, 32);
    let outcome: Awaited<ReturnType<SmsProvider['send']>>;
    try {
      outcome = await this.provider.send({
        phone,
        signName: this.settings.signName,
        templateId: template.templateId,
        params,
        outId,
      });
    } catch (error) {
      throw new ChannelSendError(`${this.provider.name}: ${(error as Error).message}`, 'network');
    }
    if (!outcome.ok) {
      this.meter.refused(this.provider.name, outcome.code);
      const refused = classifySmsError(
        this.provider.name,
        outcome.code,
        outcome.message,
        now,
        this.settings.timezone,
      );
      if (refused instanceof SmsCredentialError)
        this.logger.error(
          { provider: this.provider.name, code: outcome.code },
          'the SMS provider refused our credentials: check SMS_ACCESS_KEY_ID and SMS_ACCESS_KEY_SECRET (docs/sms.md)',
        );
      throw refused;
    }
    const segments = outcome.fee || smsSegments(text);
    this.meter.sent(this.provider.name, kind, segments);
    return { ok: true, platformMessageId: outcome.messageId, provider: this.provider.name, segments };
  }
}
