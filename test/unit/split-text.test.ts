import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/channels/split-text';

describe('splitText', () => {
  it('leaves a text within the limit alone', () => {
    expect(splitText('培训要钱吗？', 4096)).toEqual(['培训要钱吗？']);
    expect(splitText('', 10)).toEqual(['']);
  });

  it('cuts after the last sentence end that fits', () => {
    expect(splitText('第一句。第二句！第三句', 9)).toEqual(['第一句。第二句！', '第三句']);
    expect(splitText('One. Two? Three', 10)).toEqual(['One. Two?', ' Three']);
  });

  it('keeps closing quotes with their sentence and does not cut decimals', () => {
    expect(splitText('他说：“好。”然后走了', 8)).toEqual(['他说：“好。”', '然后走了']);
    expect(splitText('补贴4.5万元 每人', 8)).toEqual(['补贴4.5万元 ', '每人']);
  });

  it('cuts a text with no sentence end at a space, else anywhere but inside a surrogate pair', () => {
    expect(splitText('aaaa bbbb cccc', 7)).toEqual(['aaaa ', 'bbbb ', 'cccc']);
    expect(splitText('😀😀😀', 3)).toEqual(['😀', '😀', '😀']);
  });

  it('never loses, adds or reorders a character, and respects the limit', () => {
    const alphabet = fc.constantFrom('a', ' ', '。', '？', '.', '\n', '字', '😀', '”', '4');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 400 }), fc.integer({ min: 2, max: 60 }), (chars, limit) => {
        const text = chars.join('');
        const parts = splitText(text, limit);
        expect(parts.join('')).toBe(text);
        for (const p of parts) expect(p.length).toBeLessThanOrEqual(limit);
      }),
    );
  });
});
