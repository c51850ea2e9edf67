import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsChannel } from '../../src/channels/sms/sms-channel';
import { registerSmsReports } from '../../src/channels/sms/sms-reports';
import { type FakeSms, startFakeSms } from '../support/fake-sms';
import { type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';
import { deliveryProbe } from '../support/sms-world';

/**
 * SMS as a channel, end to end: the real Alibaba Cloud and Tencent Cloud SDKs call a local fake of their SendSms
 * (test/support/fake-sms.ts), through the outbound queue of the real runtime; the providers' delivery reports
 * come back on our HTTP endpoint.
 */
const PROVIDERS = {
  aliyun: {
    templateId: 'SMS_900001',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
    wording: '培训通知：${content1}${content2}${content3}拒收请回复R',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
    fakeWording: '培训通知：${content1}${content2}${content3}拒收请回复R',
    optOut: '拒收请回复R',
    limit: 'isv.BUSINESS_LIMIT_CONTROL',
    badPhone: 'isv.MOBILE_NUMBER_ILLEGAL',
    broke: 'isv.AMOUNT_NOT_ENOUGH',
  },
  tencent: {
    templateId: '1900001',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
    wording: '培训通知：${content1}${content2}${content3}回T退订',
    fakeWording: '培训通知：{1}{2}{3}回T退订',
    optOut: '回T退订',
    limit: 'LimitExceeded.PhoneNumberDailyLimit',
    badPhone: 'InvalidParameterValue.IncorrectPhoneNumber',
    broke: 'FailedOperation.InsufficientBalanceInSmsPackage',
  },
} as const;

for (const provider of ['aliyun', 'tencent'] as const) {
  const p = PROVIDERS[provider];
  describe(`SMS by ${provider}`, () => {
    let world: OutreachWorld;
    let fake: FakeSms;
    let reports: FastifyInstance;
    let reportUrl: string;

    beforeAll(async () => {
      fake = await startFakeSms({
        accessKeyId: 'LTAI5tTestKeyId01',
        accessKeySecret: 'test-secret-0123456789',
        signName: '昭通市人社局',
        sdkAppId: '1400000001',
        templates: { [p.templateId]: p.fakeWording },
      });
      world = await outreachWorld({
        env: {
          SMS_PROVIDER: provider,
          SMS_ENDPOINT: fake.url,
          SMS_ACCESS_KEY_ID: 'LTAI5tTestKeyId01',
          SMS_ACCESS_KEY_SECRET: 'test-secret-0123456789',
          SMS_SDK_APP_ID: '1400000001',
          SMS_SIGN_NAME: '昭通市人社局',
          SMS_TEMPLATES: JSON.stringify({
            broadcast: {
              templateId: p.templateId,
              params: ['content1', 'content2', 'content3'],
              text: p.wording,
            },
          }),
          SMS_DAILY_CAP_PER_PERSON: '2',
          SMS_REPORT_TOKEN: 'report-token-0123456789',
        },
      });
      const sms = world.runtime.channels.get('sms');
      if (!(sms instanceof SmsChannel))
        throw new Error('the SMS channel was not built from the configuration');
      reports = Fastify();
      registerSmsReports(reports, sms);
      await reports.listen({ port: 0, host: '127.0.0.1' });
      const address = reports.server.address();
      reportUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/sms/report`;
    }, 120_000);
    afterAll(async () => {
      await world?.close();
      await reports?.close();
      await fake?.close();
    });

    const { phoneOnly, notice, row, attemptsOf } = deliveryProbe(() => world, '张三');
    const metrics = () => world.runtime.metrics.registry.metrics();

    it('sends a phone-only person the notice by SMS with the signature and the opt-out words, and counts its cost', async () => {
      const personId = await phoneOnly('138 0013 8001');
      const text =
        '电工班周三的课改到周四上午九点，地点不变。请带身份证和笔，迟到十五分钟以上按缺勤计。有疑问请致电培训学校。';
      const key = await notice(personId, text);
      await until('the SMS is sent', async () => (await row(key)).status === 'sent');
      const sms = fake.sent.find((m) => m.phone === '13800138001');
      expect(sms?.text.startsWith('【昭通市人社局】培训通知：电工班周三的课改到周四上午九点')).toBe(true);
      expect(sms?.text.endsWith(p.optOut)).toBe(true);
      const [attempt] = await attemptsOf(key);
      expect(attempt).toMatchObject({
        channel: 'sms',
        status: 'sent',
        provider,
        providerMessageId: sms?.messageId,
      });
      // 【昭通市人社局】培训通知： + 53 characters + the opt-out words: more than 70, so two billed segments.
      expect(attempt?.segments).toBe(2);
      const text2 = await metrics();
      expect(text2).toContain(`jineng_sms_messages_total{provider="${provider}",kind="broadcast"} 1`);
      expect(text2).toContain(`jineng_sms_segments_total{provider="${provider}",kind="broadcast"} 2`);
    });

    it('records the delivery reports the provider pushes, delivered or not, and refuses a push without the token', async () => {
      const ok = await phoneOnly('13800138002');
      const gone = await phoneOnly('13800138003');
      fake.undeliverable('13800138003');
      const keys = [await notice(ok, '明天上课，请准时。'), await notice(gone, '明天上课，请准时。')];
      await until('both sent', async () =>
        (await Promise.all(keys.map(row))).every((r) => r.status === 'sent'),
      );
      const forbidden = await fetch(`${reportUrl}/${provider}`, {
        method: 'POST',
        body: '[]',
        headers: { 'content-type': 'application/json' },
      });
      expect(forbidden.status).toBe(403);
      expect(await fake.pushReports(reportUrl, 'report-token-0123456789')).toEqual([200]);
      const [delivered] = await attemptsOf(keys[0]!);
      const [failed] = await attemptsOf(keys[1]!);
      expect(delivered).toMatchObject({
        reportStatus: 'delivered',
        reportCode: provider === 'aliyun' ? 'DELIVERED' : 'DELIVRD',
      });
      expect(failed).toMatchObject({ reportStatus: 'failed', reportCode: 'MK:0001' });
      expect(failed?.reportedAt).toBeInstanceOf(Date);
      expect(await metrics()).toContain(`jineng_sms_reports_total{provider="${provider}",status="failed"} 1`);
    });

    it('keeps a person to the daily cap: the third SMS of the day waits for tomorrow, recorded, not dropped', async () => {
      const personId = await phoneOnly('13800138004');
      const keys: string[] = [];
      for (const n of [1, 2, 3]) {
        keys.push(await notice(personId, `第${n}条通知`));
        await until(`notice ${n} handled`, async () =>
          (await attemptsOf(keys[n - 1]!)).some((a) => a.status !== 'sending'),
        );
      }
      expect((await Promise.all(keys.map(row))).map((r) => r.status)).toEqual(['sent', 'sent', 'pending']);
      const [third] = await attemptsOf(keys[2]!);
      expect(third).toMatchObject({ status: 'deferred' });
      expect(third?.reason).toContain('daily SMS cap of 2');
      expect(fake.sent.filter((m) => m.phone === '13800138004')).toHaveLength(2);
    });

    it("maps the provider's own limit, wrong-number and no-balance codes", async () => {
      // The provider's per-number limit: this person's message waits, the others go on.
      const limited = await phoneOnly('13800138005');
      fake.failNext('13800138005', p.limit);
      const waits = await notice(limited, '通知：明天停课。');
      await until('the limit answered', async () =>
        (await attemptsOf(waits)).some((a) => a.status === 'deferred'),
      );
      expect((await row(waits)).status).toBe('pending');
      expect((await attemptsOf(waits))[0]?.reason).toContain(p.limit);

      // A number the provider says is wrong: no other route, so it fails by name and staff see the person.
      const wrong = await phoneOnly('13800138006');
      fake.failNext('13800138006', p.badPhone);
      const fails = await notice(wrong, '通知：明天停课。');
      await until('the wrong number handled', async () => (await row(fails)).status === 'failed');
      expect((await row(fails)).error).toBe('sms_phone_invalid');
      const listed = await world.runtime.db.followUp.findMany({
        where: { personId: wrong, kind: 'no_channel' },
      });
      expect(listed).toHaveLength(1);

      // No balance: the whole SMS queue waits (it is the account, not the message), the message stays pending.
      const broke = await phoneOnly('13800138007');
      fake.failNext('*', p.broke);
      const held = await notice(broke, '通知：明天停课。');
      await until('the balance answered', async () =>
        (await attemptsOf(held)).some((a) => a.status === 'deferred'),
      );
      expect((await row(held)).status).toBe('pending');
      expect(await metrics()).toContain(
        `jineng_sms_refused_total{provider="${provider}",code="${p.broke}"} 1`,
      );
    });
  });
}
