import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/app/knowledge';
import { loadQuestionMatcher } from '../../src/app/question-matcher';
import { CURATED_MATCH_THRESHOLD } from '../../src/core/curated/question-terms';
import { scrubQuestion } from '../../src/core/curated/scrub-question';

const pairs = readFileSync(new URL('../fixtures/curated-paraphrases.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { variant: string; message: string; match: boolean });

describe('the curated-answer threshold', () => {
  const matcher = loadQuestionMatcher(loadKnowledge());
  const scored = pairs.map((p) => ({
    ...p,
    score: matcher.similarity(matcher.terms(p.variant), matcher.terms(p.message)),
  }));

  it('gives no staff answer to a different question that shares most of its words (zh and en)', () => {
    const falseMatches = scored.filter((p) => !p.match && p.score >= CURATED_MATCH_THRESHOLD);
    expect(falseMatches.map((p) => `${p.variant} ≠ ${p.message}`)).toEqual([]);
  });

  it('still answers the close rewordings of a variant, in both languages (figures in docs/curated-answers.md)', () => {
    const caught = scored.filter((p) => p.match && p.score >= CURATED_MATCH_THRESHOLD);
    expect(caught.length).toBeGreaterThanOrEqual(12);
    expect(caught.some((p) => /\p{Script=Han}/u.test(p.message))).toBe(true);
    expect(caught.some((p) => /^[a-z ]+$/i.test(p.message))).toBe(true);
  });
});

describe('what the unanswered log keeps of a question', () => {
  it('takes out ID numbers, phone numbers, e-mail addresses and a name given', () => {
    const kept = scrubQuestion(
      '我叫张三丰，身份证 530621 19900101 123X，电话 138-1234-5678，邮箱 zs@example.com，补贴怎么领',
    );
    expect(kept).not.toMatch(/张三丰|530621|19900101|1234|5678|zs@example/);
    expect(kept).toContain('[ID]');
    expect(kept).toContain('[phone]');
    expect(kept).toContain('补贴怎么领');
    expect(scrubQuestion('My name is John Smith, call +86 13812345678')).not.toMatch(
      /John|Smith|13812345678/,
    );
  });
});
