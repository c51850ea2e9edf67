import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the two SMS providers' SendSms, at the protocol level, for the real SDKs to call
 * (SMS_ENDPOINT=<url>): Alibaba Cloud's RPC call (POST /?PhoneNumbers=…&SignName=…&TemplateCode=…&TemplateParam=…
 * with x-acs-action: SendSms and an ACS3-HMAC-SHA256 Authorization) and Tencent Cloud's API 3.0 call (POST / with
 * X-TC-Action: SendSms, a TC3-HMAC-SHA256 Authorization and a JSON body). It implements only SendSms, answers
 * with each provider's documented shapes and codes, renders the approved template as the phone would show it,
 * and pushes delivery-status reports (Aliyun SmsReport, Tencent status callback) to a URL of ours.
 * Signatures are not recomputed: the key id in the Authorization header must be the configured one.
 */
export interface FakeSmsMessage {
  provider: 'aliyun' | 'tencent';
  phone: string;
  signName: string;
  templateId: string;
  params: Record<string, string> | string[];
  /** What the phone shows: 【signature】 and the template with its variables filled in. */
  text: string;
  messageId: string;
  outId?: string;
  reported: boolean;
}

export interface FakeSmsOptions {
  accessKeyId: string;
  signName: string;
  sdkAppId?: string;
  /** Approved templates by id: Aliyun wording with ${name}, Tencent wording with {1}, {2}… */
  templates: Record<string, string>;
}

export interface FakeSms {
  url: string;
  sent: FakeSmsMessage[];
  /** SendSms calls received, accepted or not. */
  calls: number;
  /** The next send to `phone` (or to every phone: '*') is answered with this code instead. */
  failNext(phone: string, code: string, times?: number): void;
  /** Reports for this phone say it was not delivered. */
  undeliverable(phone: string): void;
  /** POSTs the reports of messages not yet reported to `${baseUrl}/aliyun` or `${baseUrl}/tencent`. */
  pushReports(baseUrl: string, token?: string): Promise<number[]>;
  close(): Promise<void>;
}

const ALIYUN_MESSAGES: Record<string, string> = {
  'isv.BUSINESS_LIMIT_CONTROL': '触发天级流控Permits:10',
  'isv.MOBILE_NUMBER_ILLEGAL': '非法手机号',
  'isv.AMOUNT_NOT_ENOUGH': '账户余额不足',
  'isv.SMS_SIGNATURE_ILLEGAL': '该账号下找不到对应签名',
  'isv.SMS_TEMPLATE_ILLEGAL': '该账号下找不到对应模板',
  'isv.TEMPLATE_MISSING_PARAMETERS': '模板变量中存在未赋值变量',
  'isv.BLACK_KEY_CONTROL_LIMIT': '黑名单管控',
};
const TENCENT_MESSAGES: Record<string, string> = {
  'LimitExceeded.PhoneNumberDailyLimit':
    'the number of sms messages sent from a single mobile number every day exceeds the upper limit',
  'InvalidParameterValue.IncorrectPhoneNumber': 'incorrect phone number',
  'FailedOperation.InsufficientBalanceInSmsPackage': 'insufficient balance in SMS package',
  'FailedOperation.SignatureIncorrectOrUnapproved': 'signature is not approved or is incorrect',
  'FailedOperation.TemplateIncorrectOrUnapproved': 'template is not approved or is incorrect',
  'FailedOperation.PhoneNumberInBlacklist': 'the phone number is in the blacklist',
};
/** Tencent answers these for the whole request (Response.Error); others per number in SendStatusSet. */
const TENCENT_REQUEST_ERRORS = new Set([
  'FailedOperation.InsufficientBalanceInSmsPackage',
  'FailedOperation.SignatureIncorrectOrUnapproved',
  'FailedOperation.TemplateIncorrectOrUnapproved',
  'UnauthorizedOperation.SmsSdkAppIdVerifyFail',
  'AuthFailure.SecretIdNotFound',
]);

const beijingTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
const segments = (text: string) => ([...text].length <= 70 ? 1 : Math.ceil([...text].length / 67));

export async function startFakeSms(options: FakeSmsOptions): Promise<FakeSms> {
  const sent: FakeSmsMessage[] = [];
  const failures = new Map<string, { code: string; times: number }>();
  const undeliverable = new Set<string>();
  let calls = 0;

  const takeFailure = (phone: string): string | undefined => {
    for (const key of [phone, '*']) {
      const f = failures.get(key);
      if (f && f.times > 0) {
        f.times -= 1;
        if (f.times === 0) failures.delete(key);
        return f.code;
      }
    }
    return undefined;
  };

  function aliyun(url: URL, headers: http.IncomingHttpHeaders) {
    const q = url.searchParams;
    const auth = String(headers.authorization ?? '');
    if (
      !auth.startsWith(`ACS3-HMAC-SHA256 Credential=${options.accessKeyId},`) ||
      !/Signature=[0-9a-f]{64}/.test(auth)
    )
      return {
        status: 404,
        body: {
          Code: 'InvalidAccessKeyId.NotFound',
          Message: 'Specified access key is not found.',
          RequestId: randomUUID(),
        },
      };
    const phone = q.get('PhoneNumbers') ?? '';
    const answer = (code: string) => ({
      status: 200,
      body: { Code: code, Message: ALIYUN_MESSAGES[code] ?? code, RequestId: randomUUID() },
    });
    const forced = takeFailure(phone);
    if (forced) return answer(forced);
    if (!/^1[3-9]\d{9}$/.test(phone)) return answer('isv.MOBILE_NUMBER_ILLEGAL');
    if (q.get('SignName') !== options.signName) return answer('isv.SMS_SIGNATURE_ILLEGAL');
    const templateId = q.get('TemplateCode') ?? '';
    const wording = options.templates[templateId];
    if (!wording) return answer('isv.SMS_TEMPLATE_ILLEGAL');
    let params: Record<string, string>;
    try {
      params = JSON.parse(q.get('TemplateParam') ?? '{}') as Record<string, string>;
    } catch {
      return answer('isv.INVALID_JSON_PARAM');
    }
    const names = [...wording.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
    if (names.some((n) => typeof params[n] !== 'string')) return answer('isv.TEMPLATE_MISSING_PARAMETERS');
    const text = `【${options.signName}】${wording.replace(/\$\{(\w+)\}/g, (_, n: string) => params[n] ?? '')}`;
    const messageId = `${Date.now()}${String(sent.length).padStart(6, '0')}^0`;
    sent.push({
      provider: 'aliyun',
      phone,
      signName: options.signName,
      templateId,
      params,
      text,
      messageId,
      outId: q.get('OutId') ?? undefined,
      reported: false,
    });
    return { status: 200, body: { Code: 'OK', Message: 'OK', BizId: messageId, RequestId: randomUUID() } };
  }

  function tencent(raw: string, headers: http.IncomingHttpHeaders) {
    const requestId = randomUUID();
    const error = (code: string) => ({
      status: 200,
      body: {
        Response: { Error: { Code: code, Message: TENCENT_MESSAGES[code] ?? code }, RequestId: requestId },
      },
    });
    const auth = String(headers.authorization ?? '');
    if (
      !auth.startsWith(`TC3-HMAC-SHA256 Credential=${options.accessKeyId}/`) ||
      !/Signature=[0-9a-f]{64}/.test(auth)
    )
      return error('AuthFailure.SecretIdNotFound');
    if (headers['x-tc-action'] !== 'SendSms' || headers['x-tc-version'] !== '2021-01-11')
      return error('InvalidAction');
    const body = JSON.parse(raw || '{}') as {
      PhoneNumberSet?: string[];
      SmsSdkAppId?: string;
      SignName?: string;
      TemplateId?: string;
      TemplateParamSet?: string[];
      SessionContext?: string;
    };
    if (body.SmsSdkAppId !== options.sdkAppId) return error('UnauthorizedOperation.SmsSdkAppIdVerifyFail');
    const numbers = body.PhoneNumberSet ?? [];
    const forcedAll = numbers.map((n) => takeFailure(n.replace(/^\+86/, '')));
    const requestLevel = forcedAll.find((c) => c && TENCENT_REQUEST_ERRORS.has(c));
    if (requestLevel) return error(requestLevel);
    if (body.SignName !== options.signName) return error('FailedOperation.SignatureIncorrectOrUnapproved');
    const wording = options.templates[body.TemplateId ?? ''];
    if (!wording) return error('FailedOperation.TemplateIncorrectOrUnapproved');
    const values = body.TemplateParamSet ?? [];
    const text = `【${options.signName}】${wording.replace(/\{(\d+)\}/g, (_, n: string) => values[Number(n) - 1] ?? '')}`;
    const set = numbers.map((number, i) => {
      const phone = number.replace(/^\+86/, '');
      const code =
        forcedAll[i] ?? (/^1[3-9]\d{9}$/.test(phone) ? 'Ok' : 'InvalidParameterValue.IncorrectPhoneNumber');
      const messageId = code === 'Ok' ? `${randomUUID().slice(0, 8)}:${Date.now()}${i}` : '';
      if (code === 'Ok')
        sent.push({
          provider: 'tencent',
          phone,
          signName: options.signName,
          templateId: body.TemplateId ?? '',
          params: values,
          text,
          messageId,
          outId: body.SessionContext,
          reported: false,
        });
      return {
        SerialNo: messageId,
        PhoneNumber: number,
        Fee: code === 'Ok' ? segments(text) : 0,
        SessionContext: body.SessionContext ?? '',
        Code: code,
        Message: code === 'Ok' ? 'send success' : (TENCENT_MESSAGES[code] ?? code),
        IsoCode: 'CN',
      };
    });
    return { status: 200, body: { Response: { SendStatusSet: set, RequestId: requestId } } };
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      calls += 1;
      const url = new URL(req.url ?? '/', 'http://fake-sms');
      const answer =
        req.method !== 'POST'
          ? { status: 405, body: { error: 'POST only' } }
          : req.headers['x-tc-action']
            ? tencent(raw, req.headers)
            : req.headers['x-acs-action'] === 'SendSms'
              ? aliyun(url, req.headers)
              : {
                  status: 400,
                  body: { Code: 'InvalidAction.NotFound', Message: 'only SendSms is implemented' },
                };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    get calls() {
      return calls;
    },
    failNext(phone, code, times = 1) {
      failures.set(phone, { code, times });
    },
    undeliverable(phone) {
      undeliverable.add(phone);
    },
    async pushReports(baseUrl, token) {
      const due = sent.filter((m) => !m.reported);
      const statuses: number[] = [];
      for (const provider of ['aliyun', 'tencent'] as const) {
        const batch = due.filter((m) => m.provider === provider);
        if (!batch.length) continue;
        const now = new Date();
        const body = batch.map((m) => {
          const ok = !undeliverable.has(m.phone);
          return provider === 'aliyun'
            ? {
                phone_number: m.phone,
                send_time: beijingTime(now),
                report_time: beijingTime(now),
                success: ok,
                err_code: ok ? 'DELIVERED' : 'MK:0001',
                err_msg: ok ? '用户接收成功' : '空号',
                sms_size: String(segments(m.text)),
                biz_id: m.messageId,
                out_id: m.outId ?? '',
              }
            : {
                user_receive_time: beijingTime(now),
                nationcode: '86',
                mobile: m.phone,
                report_status: ok ? 'SUCCESS' : 'FAIL',
                errmsg: ok ? 'DELIVRD' : 'MK:0001',
                description: ok ? '用户短信送达成功' : '空号',
                sid: m.messageId,
              };
        });
        const response = await fetch(`${baseUrl}/${provider}${token ? `?token=${token}` : ''}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        statuses.push(response.status);
        if (response.ok) for (const m of batch) m.reported = true;
      }
      return statuses;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
