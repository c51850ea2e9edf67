import { sms } from 'tencentcloud-sdk-nodejs-sms';
import type { SmsOutcome, SmsProvider, SmsProviderSettings, SmsRequest } from './sms-provider';

/** The public endpoint of Tencent Cloud SMS. */
const TENCENT_ENDPOINT = 'https://sms.tencentcloudapi.com';

/**
 * Tencent Cloud SMS through its official SDK (tencentcloud-sdk-nodejs-sms, API version 2021-01-11): SendSms
 * with PhoneNumberSet (+86…), SmsSdkAppId, SignName, TemplateId and TemplateParamSet (the variables' values in
 * the template's order). Each number's result is in SendStatusSet (Code "Ok" or an error code, Fee = billed
 * segments); a request-level error (balance, signature, auth) is thrown by the SDK with `code` set.
 */
export function createTencentSms(settings: SmsProviderSettings): SmsProvider {
  const url = new URL(settings.endpoint ?? TENCENT_ENDPOINT);
  const client = new sms.v20210111.Client({
    credential: { secretId: settings.accessKeyId, secretKey: settings.accessKeySecret },
    region: settings.region,
    profile: {
      httpProfile: {
        endpoint: url.host,
        protocol: `${url.protocol}//`,
        reqTimeout: Math.max(1, Math.ceil(settings.timeoutMs / 1000)),
      },
    },
  });
  return {
    name: 'tencent',
    async send(request: SmsRequest): Promise<SmsOutcome> {
      try {
        const response = await client.SendSms({
          PhoneNumberSet: [`+86${request.phone}`],
          SmsSdkAppId: settings.sdkAppId ?? '',
          SignName: request.signName,
          TemplateId: request.templateId,
          TemplateParamSet: request.params.map((p) => p.value),
          SessionContext: request.outId,
        });
        const status = response.SendStatusSet?.[0];
        if (!status) return { ok: false, code: 'NoSendStatus', message: 'no SendStatusSet in the answer' };
        if (status.Code === 'Ok' && status.SerialNo)
          return { ok: true, messageId: status.SerialNo, fee: status.Fee };
        return { ok: false, code: status.Code ?? 'unknown', message: status.Message ?? '' };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && code) return { ok: false, code, message: (error as Error).message };
        throw error;
      }
    },
  };
}
