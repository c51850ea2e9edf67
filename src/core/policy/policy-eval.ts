import type { PolicyIndex } from './policy-index';
import type { PolicyQuestion } from './policy-schema';

export interface PolicyEvalMiss {
  q: string;
  expected: string[];
  got: string[];
}

export interface PolicyEvalReport {
  questions: number;
  /** Share of questions whose first result is an acceptable clause. */
  top1: number;
  /** Share of questions with an acceptable clause among the first three results. */
  top3: number;
  misses: PolicyEvalMiss[];
}

/** Measures retrieval on labelled questions; pure, so a CLI and a test can share it. */
export function evaluatePolicy(
  index: Pick<PolicyIndex, 'search'>,
  questions: readonly PolicyQuestion[],
): PolicyEvalReport {
  let top1 = 0;
  let top3 = 0;
  const misses: PolicyEvalMiss[] = [];
  for (const question of questions) {
    const got = index.search(question.q, 3).map((r) => r.clauseId);
    const ok = (id: string | undefined): boolean => id !== undefined && question.clauses.includes(id);
    if (ok(got[0])) top1++;
    else misses.push({ q: question.q, expected: question.clauses, got });
    if (got.some(ok)) top3++;
  }
  const count = questions.length;
  return {
    questions: count,
    top1: count === 0 ? 0 : top1 / count,
    top3: count === 0 ? 0 : top3 / count,
    misses,
  };
}
