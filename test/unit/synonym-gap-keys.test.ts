import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../../src/core/nlu/tokenizer';
import { createQueryAnalyzer, synonymTableSchema } from '../../src/core/policy/policy-query';

const table = synonymTableSchema.parse({
  groups: [{ match: ['钱…从哪', '钱从哪来'], add: ['资金'] }],
  stopwords: { 'zh-CN': [], en: [] },
});
const analyzer = createQueryAnalyzer(createTokenizer(''), table);
const reads = (text: string) => analyzer.analyze(text).concepts.some((c) => c.terms.includes('资金'));

describe('synonym keys with a gap ("钱…从哪")', () => {
  it('read the phrase with a few words between its parts, as people say it', () => {
    expect(reads('培训的钱到底从哪来')).toBe(true);
    expect(reads('培训的钱是从哪里出')).toBe(true);
    expect(reads('钱从哪来')).toBe(true);
  });

  it('never reach across a clause mark or a long stretch', () => {
    expect(reads('我没钱，从哪里开始学')).toBe(false);
    expect(reads('钱的事我们以后再说从哪开始')).toBe(false);
  });
});
