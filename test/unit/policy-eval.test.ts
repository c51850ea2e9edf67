import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/core/policy/policy-eval';
import { createPolicyKnowledge } from '../../src/core/policy/policy-index';
import { parsePolicyQuestions } from '../../src/core/policy/policy-loader';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('policy retrieval on the labelled questions', () => {
  const { doc, index } = createPolicyKnowledge({
    policyJson: read('data/policies/zhaotong-2019.json'),
    synonymsJson: read('data/nlu/synonyms.json'),
    userDict: read('data/nlu/userdict-policy.txt'),
  });
  const questions = parsePolicyQuestions(read('test/fixtures/policy-questions.jsonl'));

  it('has a fair fixture: 100+ questions, real clause IDs, about a fifth in English', () => {
    const ids = new Set(doc.clauses.map((c) => c.id));
    expect(questions.length).toBeGreaterThanOrEqual(100);
    for (const q of questions) for (const id of q.clauses) expect(ids, q.q).toContain(id);
    const english = questions.filter((q) => q.lang === 'en').length / questions.length;
    expect(english).toBeGreaterThanOrEqual(0.15);
  });

  it('puts an acceptable clause first for at least 85% of questions', () => {
    const report = evaluatePolicy(index, questions);
    expect(report.questions).toBe(questions.length);
    expect(report.top1, JSON.stringify(report.misses, null, 1)).toBeGreaterThanOrEqual(0.85);
    expect(report.top3).toBeGreaterThanOrEqual(report.top1);
  });

  it('scores an empty question list as zero rather than dividing by zero', () => {
    expect(evaluatePolicy(index, [])).toEqual({ questions: 0, top1: 0, top3: 0, misses: [] });
  });
});
