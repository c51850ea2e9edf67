import DysmsapiModule, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';

/** The SDK is CommonJS with `exports.default = Client`: under Node's ESM loader the default import is the module. */
const Dysmsapi = (DysmsapiModule as unknown as { default?: typeof DysmsapiModule }).default ?? DysmsapiModule;

import type { SmsOutcome, SmsProvider, SmsProviderSettings, SmsRequest } from './sms-provider';

/** The public SendSms endpoint of Alibaba Cloud SMS (mainland China). */
const ALIYUN_ENDPOINT = 'https://dysmsapi.aliyuncs.com';

/**
 * Alibaba Cloud SMS through its official SDK (@alicloud/dysmsapi20170525, API version 2017-05-25): SendSms with
 * PhoneNumbers, SignName, TemplateCode and TemplateParam (a JSON object of the template's variables) and OutId.
 * A business refusal (isv.*) comes back as HTTP 200 with its Code; a signature or permission error as an
 * HTTP error the SDK throws with `code` set, which we hand back as the same kind of answer.
 */
export function createAliyunSms(settings: SmsProviderSettings): SmsProvider {
  const url = new URL(settings.endpoint ?? ALIYUN_ENDPOINT);
  const client = new Dysmsapi(
    new $OpenApiUtil.Config({
      accessKeyId: settings.accessKeyId,
      accessKeySecret: settings.accessKeySecret,
      endpoint: url.host,
      protocol: url.protocol.replace(':', ''),
      regionId: 'cn-hangzhou',
      readTimeout: settings.timeoutMs,
      connectTimeout: Math.min(settings.timeoutMs, 5_000),
    }),
  );
  return {
    name: 'aliyun',
    async send(request: SmsRequest): Promise<SmsOutcome> {
      try {
        const response = await client.sendSms(
          new SendSmsRequest({
            phoneNumbers: request.phone,
            signName: request.signName,
            templateCode: request.templateId,
            templateParam: JSON.stringify(Object.fromEntries(request.params.map((p) => [p.name, p.value]))),
            outId: request.outId,
          }),
        );
        const body = response.body;
        if (body?.code === 'OK' && body.bizId) return { ok: true, messageId: body.bizId };
        return { ok: false, code: body?.code ?? 'unknown', message: body?.message ?? '' };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        // An answer with a code (bad key, no permission): the provider's word. Anything else: no answer.
        if (typeof code === 'string' && /^[A-Za-z]/.test(code) && !/^E[A-Z]+$/.test(code))
          return { ok: false, code, message: (error as Error).message };
        throw error;
      }
    },
  };
}
