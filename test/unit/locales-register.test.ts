import { describe, expect, it } from 'vitest';
import { readLocaleResources } from '../../src/i18n/i18n';

/**
 * Issue 18, item 6: one register (您) and no brackets inside brackets, over every zh-CN string.
 * docs/wording-review.md records the reading; this keeps it true for strings added later.
 */

/**
 * Strings that are what the *person* sends, not what the bot says, so the everyday 你好 is right there:
 * - telegram:input.greeting — Telegram's /start is passed on to the dialog as this greeting;
 * - web:hello — the web page sends it as the person's first message when it opens with no transcript.
 * Neither is ever shown as the bot's words.
 */
const PERSON_SENDS = new Set(['telegram:input.greeting', 'web:hello']);

function strings(value: unknown, key: string): Array<[string, string]> {
  if (typeof value === 'string') return [[key, value]];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      strings(v, key.endsWith(':') ? `${key}${k}` : `${key}.${k}`),
    );
  }
  return [];
}

/** The deepest nesting of full-width brackets （…）in a string. */
function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (const ch of text) {
    if (ch === '（') deepest = Math.max(deepest, ++depth);
    else if (ch === '）') depth = Math.max(0, depth - 1);
  }
  return deepest;
}

const zh = readLocaleResources()['zh-CN']!;
const all = Object.entries(zh).flatMap(([ns, tree]) => strings(tree, `${ns}:`));

describe('zh-CN wording (issue 18, item 6)', () => {
  it('reads every namespace', () => {
    expect(all.length).toBeGreaterThan(1000);
    expect(Object.keys(zh)).toEqual(expect.arrayContaining(['enrol', 'people', 'common', 'coordinator']));
  });

  it('addresses the person as 您, never 你, in every bot string', () => {
    const informal = all.filter(([key, text]) => text.includes('你') && !PERSON_SENDS.has(key));
    expect(informal.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it('allow-lists only strings that exist and are the person’s words (a greeting)', () => {
    for (const key of PERSON_SENDS) {
      const text = all.find(([k]) => k === key)?.[1];
      expect(text, key).toBe('你好');
    }
  });

  it('never nests full-width brackets （…（…）…）', () => {
    const nested = all.filter(([, text]) => bracketDepth(text) > 1);
    expect(nested.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it('the bracket check sees nesting and allows brackets side by side', () => {
    expect(bracketDepth('（16天后开班（12月20日））')).toBe(2);
    expect(bracketDepth('开课：12月20日（16天后开班）（周六）')).toBe(1);
  });
});
