import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the two SMS providers' SendSms, at the protocol level, for the real SDKs to call
 * (SMS_ENDPOINT=<url>): Alibaba Cloud's RPC call (POST /?PhoneNumbers=…&SignName=…&TemplateCode=…&TemplateParam=…
 * with x-acs-action: SendSms and an ACS3-HMAC-SHA256 Authorization) and Tencent Cloud's API 3.0 call (POST / with
 * X-TC-Action: SendSms, a TC3-HMAC-SHA256 Authorization and a JSON body). It implements only SendSms, answers
 * with each provider's documented shapes and codes, renders the approved template as the phone would show it,
 * and pushes delivery-status reports (Aliyun SmsReport, Tencent status callback) to a URL of ours.
 * Every request's signature is recomputed from the request as received, with the configured secret, the way the
 * providers document it (aliyunSignature, tencentSignature below), and refused with their documented answers:
 * Aliyun HTTP 400 `SignatureDoesNotMatch` (`IncompleteSignature` when the Authorization header is malformed or
 * leaves a public header unsigned), Tencent `Response.Error.Code` `AuthFailure.SignatureFailure`.
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
  /** The AccessKey Secret / SecretKey every request's signature is recomputed with. */
  accessKeySecret: string;
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
  /** Calls refused before SendSms ran (key id, signature, clock, replayed nonce), with the provider's code. */
  refusals: { provider: 'aliyun' | 'tencent'; code: string }[];
  /** The key's secret is reset in the provider's console: requests signed with the old one are refused. */
  setSecret(secret: string): void;
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
  'AuthFailure.SignatureFailure':
    'The provided credentials could not be validated. Please check your signature is correct.',
  'AuthFailure.SignatureExpire':
    'Signature expired. Timestamp and server time cannot differ by more than 5 minutes.',
  'AuthFailure.InvalidAuthorization': 'Authorization header is not in the Tencent Cloud standard format.',
  'AuthFailure.SecretIdNotFound': 'The SecretId is not found, please ensure that your SecretId is correct.',
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

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sameHex = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
/** RFC 3986 percent-encoding (unreserved characters kept), as Alibaba Cloud's canonical strings use it. */
const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const decodeComponent = (value: string) => {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
};
const header = (headers: http.IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
};

/**
 * Alibaba Cloud's V3 signature (ACS3-HMAC-SHA256), computed from the request as received: the canonical request
 * is the method, the canonical URI (the path, RFC 3986-encoded), the canonical query string (parameters decoded,
 * sorted by name, name=value RFC 3986-encoded, joined by &), the signed headers as `name:value` lines in the order
 * SignedHeaders lists them, SignedHeaders itself and the hex SHA-256 of the body; the string to sign is
 * `ACS3-HMAC-SHA256\n` + hex SHA-256 of that; the signature is hex HMAC-SHA256 with the AccessKey Secret.
 */
export function aliyunSignature(
  request: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer },
  signedHeaders: string[],
  secret: string,
): { signature: string; stringToSign: string } {
  const [path = '/', query = ''] = request.url.split('?', 2);
  const uri = path
    .split('/')
    .map((segment) => rfc3986(decodeComponent(segment)))
    .join('/');
  const pairs = query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0
        ? [decodeComponent(pair), '']
        : [decodeComponent(pair.slice(0, at)), decodeComponent(pair.slice(at + 1))];
    })
    .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalQuery = pairs.map(([k = '', v = '']) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${header(request.headers, name).trim()}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    uri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  return { signature: createHmac('sha256', secret).update(stringToSign).digest('hex'), stringToSign };
}

const ACS3 = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/;
/** Alibaba Cloud accepts an x-acs-date up to 15 minutes from its clock. */
const ALIYUN_SKEW_MS = 15 * 60_000;

/** Alibaba Cloud's checks before the API runs; undefined: authenticated. */
function aliyunAuth(
  req: http.IncomingMessage,
  body: Buffer,
  secret: string,
  accessKeyId: string,
  nonces: Set<string>,
): { status: number; body: { Code: string; Message: string; RequestId: string } } | undefined {
  const refuse = (status: number, Code: string, Message: string) => ({
    status,
    body: { Code, Message, RequestId: randomUUID() },
  });
  const auth = ACS3.exec(header(req.headers, 'authorization'));
  if (!auth)
    return refuse(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  const [, keyId = '', signed = '', signature = ''] = auth;
  if (keyId !== accessKeyId)
    return refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  const signedHeaders = signed.split(';');
  // Every public header present must be signed: host and each x-acs-* header (x-acs-date, -signature-nonce,
  // -content-sha256, -action, -version…).
  const mustSign = ['host', ...Object.keys(req.headers).filter((name) => name.startsWith('x-acs-'))];
  if (mustSign.some((name) => !signedHeaders.includes(name)))
    return refuse(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  const expected = aliyunSignature(
    { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
    signedHeaders,
    secret,
  );
  if (
    !sameHex(signature, expected.signature) ||
    header(req.headers, 'x-acs-content-sha256') !== sha256Hex(body)
  )
    return refuse(
      400,
      'SignatureDoesNotMatch',
      `Specified signature does not match our calculation. server StringToSign is [${expected.stringToSign.replace('\n', ' ')}]`,
    );
  const date = Date.parse(header(req.headers, 'x-acs-date'));
  if (!Number.isFinite(date) || Math.abs(Date.now() - date) > ALIYUN_SKEW_MS)
    return refuse(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  const nonce = header(req.headers, 'x-acs-signature-nonce');
  if (nonces.has(nonce))
    return refuse(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  nonces.add(nonce);
  return undefined;
}

/**
 * Tencent Cloud's signature v3 (TC3-HMAC-SHA256), computed from the request as received: the canonical request
 * is the method, `/`, the query string (empty for POST), the signed headers as lower-case `name:value` lines,
 * SignedHeaders and the hex SHA-256 of the body; the string to sign is `TC3-HMAC-SHA256`, X-TC-Timestamp, the
 * credential scope `date/service/tc3_request` and the hex SHA-256 of the canonical request, one a line; the key
 * is HMAC-SHA256 chained over "TC3"+SecretKey → date → service → "tc3_request".
 * The host signed is the host name without a port, as the SDK signs it (the real endpoint is on 443, where the
 * Host header has no port either).
 */
export function tencentSignature(
  request: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer },
  scope: { date: string; service: string; timestamp: string },
  signedHeaders: string[],
  secret: string,
): string {
  const [path = '/', query = ''] = request.url.split('?', 2);
  const value = (name: string) => {
    const v = header(request.headers, name).trim().toLowerCase();
    return name === 'host' ? v.replace(/:\d+$/, '') : v;
  };
  const canonicalRequest = [
    request.method,
    path,
    request.method === 'POST' ? '' : query,
    signedHeaders.map((name) => `${name}:${value(name)}\n`).join(''),
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
  const credentialScope = `${scope.date}/${scope.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${scope.timestamp}\n${credentialScope}\n${sha256Hex(canonicalRequest)}`;
  const kDate = hmac(`TC3${secret}`, scope.date);
  const kService = hmac(kDate, scope.service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}

const TC3 =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;
/** Tencent Cloud accepts an X-TC-Timestamp up to five minutes from its clock. */
const TENCENT_SKEW_S = 300;

/** Tencent Cloud's checks before the API runs: an AuthFailure code, or undefined when authenticated. */
function tencentAuth(
  req: http.IncomingMessage,
  body: Buffer,
  secret: string,
  secretId: string,
): string | undefined {
  const auth = TC3.exec(header(req.headers, 'authorization'));
  if (!auth) return 'AuthFailure.InvalidAuthorization';
  const [, id = '', date = '', service = '', signed = '', signature = ''] = auth;
  if (id !== secretId) return 'AuthFailure.SecretIdNotFound';
  const signedHeaders = signed.split(';');
  if (!signedHeaders.includes('content-type') || !signedHeaders.includes('host'))
    return 'AuthFailure.InvalidAuthorization';
  const timestamp = header(req.headers, 'x-tc-timestamp');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > TENCENT_SKEW_S)
    return 'AuthFailure.SignatureExpire';
  // The credential's date is the UTC date of X-TC-Timestamp, and its service the product of the domain called
  // (sms for sms.tencentcloudapi.com; the SDK takes the host's first label, so "127" for this fake).
  const utcDate = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
  const product = header(req.headers, 'host').split('.')[0];
  if (date !== utcDate || service !== product) return 'AuthFailure.SignatureFailure';
  const expected = tencentSignature(
    { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
    { date, service, timestamp },
    signedHeaders,
    secret,
  );
  return sameHex(signature, expected) ? undefined : 'AuthFailure.SignatureFailure';
}

const beijingTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
const segments = (text: string) => ([...text].length <= 70 ? 1 : Math.ceil([...text].length / 67));

export async function startFakeSms(options: FakeSmsOptions): Promise<FakeSms> {
  const sent: FakeSmsMessage[] = [];
  const failures = new Map<string, { code: string; times: number }>();
  const undeliverable = new Set<string>();
  const refusals: FakeSms['refusals'] = [];
  /** Aliyun refuses a signature nonce it has seen (SignatureNonceUsed): replay protection. */
  const nonces = new Set<string>();
  let secret = options.accessKeySecret;
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

  function aliyun(req: http.IncomingMessage, raw: Buffer) {
    const url = new URL(req.url ?? '/', 'http://fake-sms');
    const q = url.searchParams;
    const refused = aliyunAuth(req, raw, secret, options.accessKeyId, nonces);
    if (refused) {
      refusals.push({ provider: 'aliyun', code: refused.body.Code });
      return refused;
    }
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

  function tencent(req: http.IncomingMessage, rawBody: Buffer) {
    const headers = req.headers;
    const raw = rawBody.toString('utf8');
    const requestId = randomUUID();
    const error = (code: string) => ({
      status: 200,
      body: {
        Response: { Error: { Code: code, Message: TENCENT_MESSAGES[code] ?? code }, RequestId: requestId },
      },
    });
    const refused = tencentAuth(req, rawBody, secret, options.accessKeyId);
    if (refused) {
      refusals.push({ provider: 'tencent', code: refused });
      return error(refused);
    }
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
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
    });
    req.on('end', () => {
      calls += 1;
      const raw = Buffer.concat(chunks);
      const answer =
        req.method !== 'POST'
          ? { status: 405, body: { error: 'POST only' } }
          : req.headers['x-tc-action']
            ? tencent(req, raw)
            : req.headers['x-acs-action'] === 'SendSms'
              ? aliyun(req, raw)
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
    refusals,
    setSecret(next) {
      secret = next;
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
