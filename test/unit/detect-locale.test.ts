import { describe, expect, it } from 'vitest';
import { detectLocale } from '../../src/core/nlu/detect-locale';

describe('detectLocale', () => {
  it.each([
    ['我想学电焊', 'zh-CN'],
    ['你好', 'zh-CN'],
    ['我想学 welding', 'zh-CN'],
    ['SYB培训', 'zh-CN'],
    ['ok 好的', 'zh-CN'],
    ['hello', 'en'],
    ['hi', 'en'],
    ['sign me up for the welding class', 'en'],
    ['English please', 'en'],
    ["I'm 35, from Zhenxiong", 'en'],
    ['ＨＥＬＬＯ', 'en'],
  ] as const)('%s → %s', (text, locale) => {
    expect(detectLocale(text)).toBe(locale);
  });

  it.each(['', '   ', '1', '13812345678', '😀👍', '???', 'a', '\u0000\u200b', '2 😀', 'привет'])(
    'has no opinion on %j',
    (text) => {
      expect(detectLocale(text)).toBeUndefined();
    },
  );

  it('handles a huge paste and never throws', () => {
    expect(detectLocale('x'.repeat(10_000))).toBe('en');
    expect(detectLocale(undefined as unknown as string)).toBeUndefined();
  });
});
