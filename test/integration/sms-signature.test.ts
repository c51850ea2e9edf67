import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAliyunSms } from '../../src/channels/sms/aliyun-sms';
import type { SmsProvider } from '../../src/channels/sms/sms-provider';
import { createTencentSms } from '../../src/channels/sms/tencent-sms';
import { type FakeSms, startFakeSms } from '../support/fake-sms';
import { type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';
import { deliveryProbe } from '../support/sms-world';

/**
 * The fake providers recompute every request's signature (Aliyun ACS3-HMAC-SHA256, Tencent TC3-HMAC-SHA256) from
 * the request as received and the configured secret, as the providers do. A right secret sends; a wrong one
 * (say the key's secret was reset in the provider's console) is refused with the provider's documented code, and
 * the SMS channel fails that message once, recorded with the code, instead of retrying it.
 */
const KEY_ID = 'LTAI5tSigKeyId0001';
const SECRET = 'sig-secret-0123456789';
const PROVIDERS = {
  aliyun: {
    templateId: 'SMS_900201',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
    wording: '培训通知：${content1}${content2}拒收请回复R',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
    fakeWording: '培训通知：${content1}${content2}拒收请回复R',
    refused: 'SignatureDoesNotMatch',
  },
  tencent: {
    templateId: '1900201',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
    wording: '培训通知：${content1}${content2}回T退订',
    fakeWording: '培训通知：{1}{2}回T退订',
    refused: 'AuthFailure.SignatureFailure',
  },
} as const;

for (const provider of ['aliyun', 'tencent'] as const) {
  const p = PROVIDERS[provider];
  describe(`SMS signatures, ${provider}`, () => {
    let world: OutreachWorld;
    let fake: FakeSms;

    beforeAll(async () => {
      fake = await startFakeSms({
        accessKeyId: KEY_ID,
        accessKeySecret: SECRET,
        signName: '昭通市人社局',
        sdkAppId: '1400000002',
        templates: { [p.templateId]: p.fakeWording },
      });
      world = await outreachWorld({
        env: {
          SMS_PROVIDER: provider,
          SMS_ENDPOINT: fake.url,
          SMS_ACCESS_KEY_ID: KEY_ID,
          SMS_ACCESS_KEY_SECRET: SECRET,
          SMS_SDK_APP_ID: '1400000002',
          SMS_SIGN_NAME: '昭通市人社局',
          SMS_TEMPLATES: JSON.stringify({
            default: { templateId: p.templateId, params: ['content1', 'content2'], text: p.wording },
          }),
          SMS_DAILY_CAP_PER_PERSON: '10',
        },
      });
    }, 120_000);
    afterAll(async () => {
      await world?.close();
      await fake?.close();
    });

    const { phoneOnly, notice, row, attemptsOf } = deliveryProbe(() => world, '李四');

    it('sends with the right secret: the fake recomputed the signature and accepted it', async () => {
      const personId = await phoneOnly('13900139001');
      const key = await notice(personId, '焊工班周五下午两点在县职校实训楼上课（带身份证）。');
      await until('the SMS is sent', async () => (await row(key)).status === 'sent');
      expect(fake.sent.find((m) => m.phone === '13900139001')?.text).toContain('焊工班周五下午两点');
      expect(fake.refusals).toEqual([]);
    });

    it('a wrong secret is refused by the provider and fails the message once, recorded as a configuration problem', async () => {
      // The AccessKey's secret was reset in the console; the deployment still has the old one.
      fake.setSecret('reset-secret-9876543210');
      const personId = await phoneOnly('13900139002');
      const callsBefore = fake.calls;
      const key = await notice(personId, '通知：明天停课。');
      await until('the message failed', async () => (await row(key)).status === 'failed');
      expect(fake.refusals).toEqual([{ provider, code: p.refused }]);
      expect(fake.sent.some((m) => m.phone === '13900139002')).toBe(false);
      const delivery = await row(key);
      expect(delivery.error).toContain(`invalid: ${provider} ${p.refused}`);
      expect(delivery.error).toContain('SMS_ACCESS_KEY_SECRET');
      const attempts = await attemptsOf(key);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ channel: 'sms', status: 'failed' });
      expect(attempts[0]?.reason).toContain(p.refused);
      // Not retried: a second try would be refused the same way (OUTBOUND_ATTEMPTS is 4 in these worlds).
      await new Promise((r) => setTimeout(r, 800));
      expect(fake.calls - callsBefore).toBe(1);
      expect(await world.runtime.metrics.registry.metrics()).toContain(
        `jineng_sms_refused_total{provider="${provider}",code="${p.refused}"} 1`,
      );

      // The operator puts the new secret in… here the fake gets the old one back: SMS works again.
      fake.setSecret(SECRET);
      const again = await notice(personId, '通知：后天复课。');
      await until('the next message is sent', async () => (await row(again)).status === 'sent');
    });
  });
}

/**
 * The signature covers what is sent: a request changed on the way (here the phone number, by a proxy between
 * the real SDK and the fake) no longer matches and is refused, though key id and secret are right.
 */
describe('SMS signatures cover the request', () => {
  let fake: FakeSms;
  let proxy: http.Server;
  let proxyUrl: string;

  beforeAll(async () => {
    fake = await startFakeSms({
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      signName: '昭通市人社局',
      sdkAppId: '1400000002',
      templates: { SMS_900201: PROVIDERS.aliyun.fakeWording, '1900201': PROVIDERS.tencent.fakeWording },
    });
    const target = new URL(fake.url);
    proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const swap = (s: string) => s.replaceAll('13900139003', '13900139004');
        const body = Buffer.from(swap(Buffer.concat(chunks).toString('utf8')));
        const forward = http.request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: swap(req.url ?? '/'),
            headers: { ...req.headers, 'content-length': String(body.length) },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
    await fake?.close();
  });

  const settings = (endpoint: string) => ({
    accessKeyId: KEY_ID,
    accessKeySecret: SECRET,
    endpoint,
    region: 'ap-guangzhou',
    sdkAppId: '1400000002',
    timeoutMs: 5_000,
  });
  const send = (sms: SmsProvider, templateId: string) =>
    sms.send({
      phone: '13900139003',
      signName: '昭通市人社局',
      templateId,
      params: [
        { name: 'content1', value: '明天 9:00 上课（带笔）' },
        { name: 'content2', value: "100% 到场*!'" },
      ],
      outId: 'ref-1',
    });

  it('Aliyun and Tencent accept the request as the SDK signed it, and refuse it changed', async () => {
    expect(await send(createAliyunSms(settings(fake.url)), 'SMS_900201')).toMatchObject({ ok: true });
    expect(await send(createTencentSms(settings(fake.url)), '1900201')).toMatchObject({ ok: true });
    expect(fake.sent.map((m) => m.text)).toEqual([
      "【昭通市人社局】培训通知：明天 9:00 上课（带笔）100% 到场*!'拒收请回复R",
      "【昭通市人社局】培训通知：明天 9:00 上课（带笔）100% 到场*!'回T退订",
    ]);
    expect(await send(createAliyunSms(settings(proxyUrl)), 'SMS_900201')).toMatchObject({
      ok: false,
      code: 'SignatureDoesNotMatch',
    });
    expect(await send(createTencentSms(settings(proxyUrl)), '1900201')).toMatchObject({
      ok: false,
      code: 'AuthFailure.SignatureFailure',
    });
    expect(fake.sent.some((m) => m.phone === '13900139004')).toBe(false);
  });
});
