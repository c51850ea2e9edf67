import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { rosterCsv } from '../../src/http/console/roster-export';
import { decodeText } from '../../src/services/course-import/decode-text';
import { readTable } from '../../src/services/course-import/read-table';
import {
  courseFieldsSchema,
  fieldErrors,
  importRowSchema,
  scheduleOf,
} from '../../src/services/course-input-schema';

const t = (key: string) => key.split('.').at(-1) ?? key;

describe('decoding uploaded CSV', () => {
  const text = '课程编号,课程名称\nZX-DS-01,电子商务培训班\n';
  it('reads UTF-8 with and without BOM, UTF-16 and GBK', () => {
    expect(decodeText(Buffer.from(text)).text).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).text).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])).text).toBe(
      text,
    );
    const gbk = decodeText(iconv.encode(text, 'gbk'));
    expect(gbk.text).toBe(text);
    expect(gbk.encoding).toBe('GB18030');
  });

  it('keeps the rows before and after a broken one, and says which line broke', async () => {
    const table = await readTable(Buffer.from('a,b\n1,2\n3,"4\n5,6\n'));
    expect(table.header).toEqual(['a', 'b']);
    expect(table.rows[0]).toEqual({ line: 2, cells: ['1', '2'] });
    expect(table.broken.length).toBe(1);
  });
});

describe('course fields', () => {
  it('take ids or Chinese and English names', () => {
    const parsed = courseFieldsSchema.parse({
      code: 'zx-ds-09',
      title: '电商班',
      trade: '电子商务',
      trainingType: 'upskilling',
      county: '镇雄',
      venue: '镇雄县',
      capacity: '30',
      realNameRequired: '否',
    });
    expect(parsed).toMatchObject({
      code: 'ZX-DS-09',
      trade: 'ecommerce',
      county: 'zhenxiong',
      capacity: 30,
      feeYuan: 0,
      realNameRequired: false,
      status: 'open',
    });
    const english = {
      code: 'ZX-DS-09',
      title: 't',
      venue: 'v',
      capacity: '1',
      county: 'Zhenxiong County',
      trade: 'E-commerce',
    };
    expect(courseFieldsSchema.parse(english)).toMatchObject({ county: 'zhenxiong', trade: 'ecommerce' });
  });

  it('name the field and the reason of each mistake', () => {
    const result = courseFieldsSchema.safeParse({
      code: 'bad',
      trade: '飞行员',
      county: '火星',
      capacity: '多',
    });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual(
      expect.arrayContaining([
        { field: 'code', key: 'code_format' },
        { field: 'title', key: 'required' },
        { field: 'trade', key: 'choice' },
        { field: 'county', key: 'choice' },
        { field: 'capacity', key: 'number' },
      ]),
    );
  });

  it('read times in the programme’s time zone and repeat sessions', () => {
    const row = importRowSchema('Asia/Shanghai').parse({
      code: 'ZX-DS-09',
      title: '电商班',
      trade: 'ecommerce',
      county: 'zhenxiong',
      venue: '镇雄县',
      capacity: '30',
      startsAt: '2030-03-02 09:00',
      endsAt: '2030/3/2 17:00',
      sessions: '3',
      everyDays: '7',
    });
    const sessions = scheduleOf(row, 'Asia/Shanghai');
    expect(sessions.map((s) => s.startsAt.toISOString())).toEqual([
      '2030-03-02T01:00:00.000Z',
      '2030-03-09T01:00:00.000Z',
      '2030-03-16T01:00:00.000Z',
    ]);
  });
});

describe('roster export', () => {
  it('keeps a name that looks like a formula as text', () => {
    const csv = rosterCsv(
      [
        {
          enrolmentId: '3f1c6a52-0000-4000-8000-000000000001',
          deleted: false,
          name: '=HYPERLINK("http://evil")',
          phone: '13812345678',
          idNumber: '5306**********123X',
          status: 'confirmed',
          source: 'self',
          channel: 'web',
          enrolledAt: new Date(0),
        },
      ],
      t,
      () => 'd',
    ).toString('utf8');
    // The row's internal id is for the page's actions, not for the exported file.
    expect(csv).not.toContain('3f1c6a52');
    expect(csv).toContain('"\'=HYPERLINK(""http://evil"")"');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
  });
});
