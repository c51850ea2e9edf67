import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { validateIdNumber } from '../../src/core/people/id-number';
import { maskIdNumber, redactIdNumbers, redactIdNumbersDeep } from '../../src/core/people/mask';
import { createLogger } from '../../src/logger';

const ID = '530621199001011270';
const MASKED = '5306**********1270';
const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const NOW = new Date('2025-06-15T04:00:00Z');

/** Forms a person may type an ID number in; the validator accepts each of them as this very number. */
const TYPED_FORMS: [string, string][] = [
  ['full-width digits', fullWidth(ID)],
  ['ideographic spaces', '530621\u300019900101\u30001270'],
  ['double spaces', '530621  19900101  1270'],
  ['a line break', '530621\n19900101\n1270'],
  ['a tab and a no-break space', '530621\t19900101\u00a01270'],
  ['spaces in fours', '5306 2119 9001 0112 70'],
];

describe('ID numbers in free text', () => {
  it.each(TYPED_FORMS)('are masked when typed with %s, as the validator accepts them', (_, form) => {
    expect(validateIdNumber(form, NOW)).toMatchObject({ ok: true, value: ID });
    const text = `母亲 王秀英 身份证${form}，请核对`;
    const masked = redactIdNumbers(text);
    expect(masked).toBe(`母亲 王秀英 身份证${MASKED}，请核对`);
    expect(masked.replace(/\D/g, '')).not.toContain('19900101');
  });

  it('are masked when glued to letters or written with dashes', () => {
    expect(redactIdNumbers(`ID${ID}`)).toBe(`ID${MASKED}`);
    expect(redactIdNumbers(`id:${ID.slice(0, 17)}x;next`)).toBe('id:5306**********127X;next');
    expect(redactIdNumbers('530621-19900101-1270')).toBe(MASKED);
    expect(redactIdNumbers(`ＩＤ${fullWidth(ID)}号`)).toBe(`ＩＤ${MASKED}号`);
    expect(maskIdNumber(fullWidth(ID))).toBe(MASKED);
  });

  it('leave phone numbers, course codes, dates, bank cards and UUIDs alone', () => {
    const ordinary = [
      '请拨打 13812345678 或 138 1234 5678，座机0870-2123456',
      '课程 ZX-DS-01 于 2026-12-01 09:00 开课',
      '订单号1234567890123456，银行卡6222021234567890123',
      '两个号码 13812345678 13912345678',
      'person 3f2a9c1e-5306-2119-9001-011270bc4d1e joined',
      'hash 0a530621199001011270b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
      '2025-06-15T04:00:00.000Z',
    ];
    for (const text of ordinary) expect(redactIdNumbers(text), text).toBe(text);
  });

  it('are masked in every string of a stored audit detail', () => {
    const detail = {
      personId: 'c0ffee00-0000-4000-8000-000000000001',
      consent: { relation: `母亲 王秀英 身份证${fullWidth(ID)}`, method: 'phone' },
      notes: ['5306 2119 9001 0112 70'],
      count: 3,
    };
    expect(redactIdNumbersDeep(detail)).toEqual({
      ...detail,
      consent: { relation: `母亲 王秀英 身份证${MASKED}`, method: 'phone' },
      notes: [MASKED],
    });
  });
});

describe('the logger', () => {
  it('writes no ID number, whatever form it was typed in and wherever it sits in the line', async () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createLogger('info', stream);
    for (const [, form] of TYPED_FORMS) {
      logger.info({ text: `typed ${form}` }, `a message quoting ${form}`);
      logger.warn({ nested: { value: `ID${form}` } }, 'nested');
    }
    logger.error({ err: new Error(`bad input ${fullWidth(ID)}`) }, 'failed');
    await new Promise((resolve) => setImmediate(resolve));
    const output = lines.join('');
    expect(output).toContain(MASKED);
    const digitsOnly = output.replace(/\\[nt]|\\u3000|[^0-9０-９]/g, '').normalize('NFKC');
    expect(digitsOnly).not.toContain('19900101');
    expect(output).toContain('a message quoting');
  });
});
