import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COUNTIES, GROUPS, TRADES } from '../../src/core/domain';
import { chineseForms, lexiconFileSchema, loadLexicon, parseLexicon } from '../../src/core/nlu/lexicon';
import { extractSlots } from '../../src/core/nlu/slots/extract-slots';

const root = new URL('../../', import.meta.url);
const lexiconPath = new URL('data/nlu/lexicon.json', root);
const lexicon = loadLexicon(lexiconPath.pathname);
const slots = (text: string) => extractSlots(text, lexicon);

describe('extractSlots: a whole message', () => {
  it('reads county, group, age and trade from one colloquial line', () => {
    expect(slots('我是镇雄的 建档立卡户 35岁 想学电商')).toEqual({
      county: 'zhenxiong',
      groups: ['poverty_registered'],
      age: 35,
      trade: 'ecommerce',
      trades: ['ecommerce'],
    });
  });

  it('reads the same facts in English', () => {
    expect(slots("I'm 35, from Zhenxiong, a registered poor household, want to learn e-commerce")).toEqual({
      county: 'zhenxiong',
      groups: ['poverty_registered'],
      age: 35,
      trade: 'ecommerce',
      trades: ['ecommerce'],
    });
  });

  it('returns nothing for a message without facts', () => {
    expect(slots('你好')).toEqual({});
  });
});

describe('county', () => {
  it.each([
    ['镇雄', 'zhenxiong'],
    ['我在镇雄县', 'zhenxiong'],
    ['昭阳区的', 'zhaoyang'],
    ['昭阳', 'zhaoyang'],
    ['水富市', 'shuifu'],
    ['水富县', 'shuifu'],
    ['住水富', 'shuifu'],
    ['鲁甸', 'ludian'],
    ['巧家县', 'qiaojia'],
    ['盐津', 'yanjin'],
    ['大关县城', 'daguan'],
    ['永善', 'yongshan'],
    ['绥江', 'suijiang'],
    ['彝良', 'yiliang'],
    ['威信县', 'weixin'],
    ['I live in Zhenxiong', 'zhenxiong'],
    ['ludian county', 'ludian'],
    ['Zhao Yang district', 'zhaoyang'],
  ] as const)('%s → %s', (text, county) => {
    expect(slots(text).county).toBe(county);
  });

  it('takes the first county named', () => {
    expect(slots('我是彝良的 现在在昭阳打工').county).toBe('yiliang');
  });

  it('does not read a county inside a longer Latin word or the WeChat pinyin', () => {
    expect(slots('add me on weixin').county).toBeUndefined();
    expect(slots('ludianxyz').county).toBeUndefined();
  });
});

describe('trade', () => {
  it.each([
    ['想学电商', 'ecommerce'],
    ['开网店', 'ecommerce'],
    ['直播带货', 'ecommerce'],
    ['淘宝卖东西', 'ecommerce'],
    ['电焊', 'welder'],
    ['焊工', 'welder'],
    ['电焊工', 'welder'],
    ['保姆', 'housekeeping'],
    ['家政', 'housekeeping'],
    ['云嫂', 'housekeeping'],
    ['月嫂', 'maternal_infant_care'],
    ['育婴师', 'maternal_infant_care'],
    ['护工', 'elderly_care'],
    ['养老护理', 'elderly_care'],
    ['厨师', 'chef'],
    ['做饭', 'chef'],
    ['烹饪', 'chef'],
    ['天麻', 'tianma'],
    ['种苹果', 'apple'],
    ['洋芋', 'potato'],
    ['土豆', 'potato'],
    ['马铃薯', 'potato'],
    ['花椒', 'sichuan_pepper'],
    ['养猪', 'livestock'],
    ['养牛', 'livestock'],
    ['养鸡', 'livestock'],
    ['搞养殖', 'livestock'],
    ['刺绣', 'handicraft'],
    ['手工', 'handicraft'],
    ['民族工艺', 'handicraft'],
    ['创业', 'entrepreneurship'],
    ['开店', 'entrepreneurship'],
    ['SYB', 'entrepreneurship'],
    ['学徒', 'apprenticeship'],
    ['技师', 'advanced_skill'],
    ['高级工', 'advanced_skill'],
    ['开挖机', 'construction'],
    ['建筑', 'construction'],
    ['修车', 'auto_repair'],
    ['美发', 'beauty'],
    ['美容', 'beauty'],
    ['电工', 'electrician'],
    ['保安', 'security'],
    ['农家乐', 'tourism'],
    ['I want to learn welding', 'welder'],
    ['online shop', 'ecommerce'],
    ['security guard', 'security'],
    ['car repair', 'auto_repair'],
    ['elderly care', 'elderly_care'],
    ['a chef course', 'chef'],
  ] as const)('%s → %s', (text, trade) => {
    expect(slots(text).trade).toBe(trade);
  });

  it('lists every trade named, in order, once', () => {
    expect(slots('电焊和电工都想学 电焊优先')).toMatchObject({
      trade: 'welder',
      trades: ['welder', 'electrician'],
    });
  });

  it('ignores phrases that only contain a trade word', () => {
    expect(slots('养老保险怎么交').trade).toBeUndefined();
    expect(slots('苹果手机多少钱').trade).toBeUndefined();
    expect(slots('cookies and pineapple').trade).toBeUndefined();
  });
});

describe('groups', () => {
  it.each([
    ['建档立卡', 'poverty_registered'],
    ['我家是贫困户', 'poverty_registered'],
    ['两后生', 'two_after'],
    ['没考上高中', 'two_after'],
    ['初中毕业没读了', 'two_after'],
    ['大学生', 'graduate'],
    ['刚毕业的大专生', 'graduate'],
    ['退役军人', 'veteran'],
    ['当过兵', 'veteran'],
    ['残疾人', 'disabled'],
    ['有残疾', 'disabled'],
    ['失业了', 'unemployed'],
    ['没工作', 'unemployed'],
    ['下岗了', 'laid_off'],
    ['转岗', 'laid_off'],
    ['返乡', 'returnee'],
    ['搬迁户', 'relocated'],
    ['农民', 'rural_worker'],
    ["I'm a veteran", 'veteran'],
    ['unemployed', 'unemployed'],
    ['got laid off', 'laid_off'],
    ['I have a disability', 'disabled'],
    ['recent graduate', 'graduate'],
  ] as const)('%s → %s', (text, group) => {
    expect(slots(text).groups).toEqual([group]);
  });

  it('keeps several groups in order', () => {
    expect(slots('我是退伍军人 也是建档立卡户').groups).toEqual(['veteran', 'poverty_registered']);
  });

  it('reads 回乡创业 as a returnee who wants entrepreneurship', () => {
    expect(slots('回乡创业')).toMatchObject({ groups: ['returnee'], trade: 'entrepreneurship' });
  });

  it('does not read 失业保险 as being unemployed', () => {
    expect(slots('失业保险技能提升补贴').groups).toBeUndefined();
  });
});

describe('age and birth year', () => {
  it.each([
    ['35岁', 35],
    ['我今年35', 35],
    ['三十五岁', 35],
    ['十八岁', 18],
    ['四十岁了', 40],
    ['今年五十了', 50],
    ['55周岁', 55],
    ["I'm 35", 35],
    ['I am 42 and want to learn', 42],
    ['35 years old', 35],
    ['a 28-year-old', 28],
    ['age: 30', 30],
  ] as const)('%s → %d', (text, age) => {
    expect(slots(text).age).toBe(age);
  });

  it.each(['5岁', '十岁', '90岁', '200岁', 'I am 8', 'I have 20 years of experience', "I'm 35kg"])(
    'treats %s as no age',
    (text) => {
      expect(slots(text).age).toBeUndefined();
    },
  );

  it('skips a child’s age for the speaker’s', () => {
    expect(slots('儿子5岁 我35岁').age).toBe(35);
  });

  it.each([
    ['1990年生', 1990],
    ['1990年出生的', 1990],
    ['90年的', 1990],
    ['我是85年生', 1985],
    ['05年的', 2005],
    ['出生于1978', 1978],
    ['born in 1988', 1988],
  ] as const)('%s → born %d', (text, year) => {
    expect(slots(text).birthYear).toBe(year);
  });

  it('does not read a year or age out of an ID number', () => {
    const s = slots('身份证530621199001011234');
    expect(s.birthYear).toBeUndefined();
    expect(s.age).toBeUndefined();
  });
});

describe('phone', () => {
  it.each([
    ['+86 138 1234 5678', '13812345678'],
    ['13812345678', '13812345678'],
    ['电话138-1234-5678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['(+86)15912345678', '15912345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['my number is 199 8765 4321 thanks', '19987654321'],
    ['电话13812345678 35岁', '13812345678'],
  ] as const)('%s → %s', (text, phone) => {
    expect(slots(text).phone).toBe(phone);
  });

  it.each(['12812345678', '1381234567', '138123456789', '530621199001011234', '订单号 2138123456789'])(
    'treats %s as no phone',
    (text) => {
      expect(slots(text).phone).toBeUndefined();
    },
  );
});

describe('ID number candidate', () => {
  it.each([
    ['530621199001011234', '530621199001011234'],
    ['身份证号53062119900101123x', '53062119900101123X'],
    ['ID 53062119900101123X please', '53062119900101123X'],
    ['老身份证530621900101123', '530621900101123'],
  ] as const)('%s → %s', (text, id) => {
    expect(slots(text).idNumber).toBe(id);
  });

  it('does not take a phone, a 16-digit run or a 19-digit run for an ID', () => {
    expect(slots('13812345678').idNumber).toBeUndefined();
    expect(slots('5306211990010112').idNumber).toBeUndefined();
    expect(slots('5306211990010112345').idNumber).toBeUndefined();
  });

  it('reads both an ID and a phone in one message', () => {
    expect(slots('530621199001011234 13812345678')).toMatchObject({
      idNumber: '530621199001011234',
      phone: '13812345678',
    });
  });
});

describe('bad input', () => {
  const nasty = [
    '',
    '   ',
    '😀😀😀🙏',
    '\u0000\u0001\u0007\u001b[31m\u200b\ufeff',
    "'; DROP TABLE people; -- 镇雄 35岁",
    'x'.repeat(10_000),
    '镇雄'.repeat(5_000),
    '1'.repeat(10_000),
    '\ud800\udfff\ud83d',
    '<script>alert(1)</script>',
  ];
  it.each(nasty.map((t) => [t.slice(0, 20), t]))('never throws: %j', (_, text) => {
    expect(() => slots(text)).not.toThrow();
  });

  it('returns nothing for empty, emoji-only and control characters', () => {
    expect(slots('')).toEqual({});
    expect(slots('😀😀😀')).toEqual({});
    expect(slots('\u0000\u0007')).toEqual({});
    expect(slots(undefined as unknown as string)).toEqual({});
  });

  it('still reads facts around SQL-looking text', () => {
    expect(slots("'; DROP TABLE people; -- 镇雄 35岁")).toEqual({ county: 'zhenxiong', age: 35 });
  });
});

describe('lexicon data', () => {
  const file = lexiconFileSchema.parse(JSON.parse(readFileSync(lexiconPath, 'utf8')));

  it('has Chinese and English forms for every county, trade and group', () => {
    for (const [ids, forms] of [
      [COUNTIES, file.counties],
      [TRADES, file.trades],
      [GROUPS, file.groups],
    ] as const) {
      for (const id of ids) {
        const f = (forms as Record<string, { zh: string[]; en: string[] }>)[id];
        expect(f?.zh.length, id).toBeGreaterThan(0);
        expect(f?.en.length, id).toBeGreaterThan(0);
      }
    }
  });

  it('reads every display name in locales back to its own id', () => {
    for (const lng of ['zh-CN', 'en']) {
      const names = JSON.parse(readFileSync(new URL(`locales/${lng}/domain.json`, root), 'utf8'));
      for (const [id, name] of Object.entries<string>(names.county))
        expect(slots(name).county, name).toBe(id);
      for (const [id, name] of Object.entries<string>(names.trade)) expect(slots(name).trade, name).toBe(id);
      for (const [id, name] of Object.entries<string>(names.group))
        expect(slots(name).groups?.[0], name).toBe(id);
    }
  });

  it('rejects a file with an unknown id or a missing county', () => {
    const json = JSON.parse(readFileSync(lexiconPath, 'utf8'));
    expect(() =>
      parseLexicon({ ...json, trades: { ...json.trades, plumbing: { zh: ['水管'], en: [] } } }),
    ).toThrow();
    const { zhenxiong: _dropped, ...rest } = json.counties;
    expect(() => parseLexicon({ ...json, counties: rest })).toThrow();
  });

  it('has every Chinese form in the jieba user dictionary, one "word freq tag" per line', () => {
    const lines = readFileSync(new URL('data/nlu/userdict-slots.txt', root), 'utf8').trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^\S+ \d+ [a-z]+$/);
    const words = new Set(lines.map((l) => l.split(' ')[0]));
    for (const form of chineseForms(file)) expect(words.has(form), form).toBe(true);
  });
});
