import { describe, expect, it } from 'vitest';
import {
  classifySmsError,
  normalisePhone,
  parseSmsReports,
  renderSms,
  smsSegments,
  templateParams,
} from '../../src/channels/sms/sms-mapper';
import { RouteUnreachableError } from '../../src/core/channel';

const NOW = new Date('2026-12-05T10:00:00+08:00');

describe('the SMS mappers', () => {
  it('counts billed segments: 70 characters in one, 67 per part beyond', () => {
    expect(smsSegments('字'.repeat(70))).toBe(1);
    expect(smsSegments('字'.repeat(71))).toBe(2);
    expect(smsSegments('字'.repeat(134))).toBe(2);
    expect(smsSegments('字'.repeat(135))).toBe(3);
  });

  it('takes mainland mobile numbers as people type them, and nothing else', () => {
    expect(normalisePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalisePhone('0086 13800138000')).toBe('13800138000');
    expect(normalisePhone('0870-1234567')).toBeUndefined();
    expect(normalisePhone('12800138000')).toBeUndefined();
  });

  it("fills a template's variables in its order, splitting a long text over content1…content3", () => {
    const text = '一'.repeat(40) + '二'.repeat(40);
    const params = templateParams({ params: ['course', 'content1', 'content2', 'content3', 'place'] }, text, {
      course: '电工（初级）',
    });
    expect(params.map((p) => p.name)).toEqual(['course', 'content1', 'content2', 'content3', 'place']);
    expect(params[1]!.value).toHaveLength(35);
    expect(params[1]!.value + params[2]!.value + params[3]!.value).toBe(text);
    expect(params[4]!.value).toBe('-');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
    expect(renderSms('昭通市人社局', '${course}开课。', params, '拒收请回复R')).toBe(
      '【昭通市人社局】电工（初级）开课。拒收请回复R',
    );
  });

  it("reads each provider's codes as wait, hold the queue, fall back or fail", () => {
    const tomorrow = classifySmsError(
      'tencent',
      'LimitExceeded.PhoneNumberDailyLimit',
      '',
      NOW,
      'Asia/Shanghai',
    );
    expect(tomorrow.kind).toBe('unavailable');
    expect(tomorrow.retryAfterMs).toBe(14 * 3_600_000 + 60_000);
    expect(classifySmsError('aliyun', 'isv.AMOUNT_NOT_ENOUGH', '', NOW, 'Asia/Shanghai').kind).toBe(
      'rate_limited',
    );
    const wrong = classifySmsError('aliyun', 'isv.MOBILE_NUMBER_ILLEGAL', '', NOW, 'Asia/Shanghai');
    expect(wrong).toBeInstanceOf(RouteUnreachableError);
    expect((wrong as RouteUnreachableError).reason).toBe('sms_phone_invalid');
    expect(classifySmsError('tencent', 'InternalError.Timeout', '', NOW, 'Asia/Shanghai').kind).toBe(
      'network',
    );
  });

  it('parses both report formats and refuses a malformed one whole', () => {
    expect(
      parseSmsReports('aliyun', [
        {
          phone_number: '13800138000',
          success: true,
          err_code: 'DELIVERED',
          biz_id: '12345^0',
          sms_size: '2',
          report_time: '2026-12-05 10:00:01',
        },
      ]),
    ).toEqual([
      {
        provider: 'aliyun',
        messageId: '12345^0',
        delivered: true,
        code: 'DELIVERED',
        segments: 2,
        at: new Date('2026-12-05T02:00:01Z'),
      },
    ]);
    expect(
      parseSmsReports('tencent', [
        { mobile: '13800138000', report_status: 'FAIL', errmsg: 'MK:0001', sid: 's-1' },
      ])?.[0],
    ).toMatchObject({ delivered: false, code: 'MK:0001', messageId: 's-1' });
    expect(parseSmsReports('tencent', [{ sid: 's-1' }])).toBeUndefined();
  });
});
