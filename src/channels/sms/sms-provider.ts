import type { SmsProviderName } from './sms-mapper';

/** One SendSms call for one phone number. */
export interface SmsRequest {
  /** Mainland mobile number, 11 digits (normalisePhone). */
  phone: string;
  signName: string;
  templateId: string;
  /** The template's variables in its order (Tencent sends the values in this order, Aliyun by name). */
  params: { name: string; value: string }[];
  /** Our reference, echoed by Aliyun's report (OutId) and kept by Tencent (SessionContext). */
  outId: string;
}

/** The provider accepted it (messageId: Aliyun BizId, Tencent SerialNo), or answered with an error code. */
export type SmsOutcome =
  | { ok: true; messageId: string; fee?: number }
  | { ok: false; code: string; message: string };

/**
 * One SMS provider's SendSms. Answers with the provider's own code; throws only when no answer came (network,
 * timeout, a non-JSON reply), which the delivery retries.
 */
export interface SmsProvider {
  readonly name: SmsProviderName;
  send(request: SmsRequest): Promise<SmsOutcome>;
}

/** Where and as whom the adapters call: the provider's API or, in tests, a local fake (test/support/fake-sms.ts). */
export interface SmsProviderSettings {
  accessKeyId: string;
  accessKeySecret: string;
  /** http(s)://host[:port]; undefined: the provider's public endpoint. */
  endpoint?: string;
  region: string;
  sdkAppId?: string;
  timeoutMs: number;
}
