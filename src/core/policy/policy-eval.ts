import { z } from 'zod';
import type { PolicyIndex } from './policy-index';
import type { PolicyQuestion } from './policy-schema';
import { type Referrals, referralFor } from './referrals';

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

/** One line of a calibration file: like a PolicyQuestion, but clauses may be empty (the plan does not answer). */
export const calibrationQuestionSchema = z.object({
  q: z.string().min(1),
  clauses: z.array(z.string().min(1)),
  lang: z.enum(['zh-CN', 'en']),
  /** What the bot should do: answer from the plan, say the plan does not cover it, or search courses. */
  expect: z.enum(['policy', 'abstain', 'course']).default('policy'),
  /** Earlier messages a follow-up leans on: such a question is measured through the dialog only. */
  context: z.array(z.string()).optional(),
});
export type CalibrationQuestion = z.infer<typeof calibrationQuestionSchema>;

/**
 * Parses a calibration file (JSON lines, blank lines ignored); tuning lines without `expect` count as policy.
 * Follow-ups (lines with `context`) are left out: retrieval alone cannot read them.
 */
export function parseCalibrationQuestions(jsonl: string, sourceName = 'questions'): CalibrationQuestion[] {
  return jsonl
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      const result = calibrationQuestionSchema.safeParse(JSON.parse(line));
      if (!result.success) throw new Error(`${sourceName} line ${n} is invalid: ${result.error.message}`);
      return result.data;
    })
    .filter((q) => !q.context?.length);
}

export interface CalibrationReport {
  questions: number;
  /** Of questions the plan answers: first result acceptable and confidence at or above the threshold. */
  rightFirst: number;
  /** Of all questions: confident (≥ threshold) and the first result is not acceptable (any clause, when none is). */
  confidentlyWrong: number;
  /** Of questions the plan does not cover (expect abstain): confidence below the threshold. */
  outOfPlanAbstained: number;
  /** Of course wishes for trades the plan does not name: confidence below the basis threshold. */
  unnamedTradeBelowBasis: number;
  /** Of course wishes for trades the plan names: right first clause at or above the basis threshold. */
  namedTradeAboveBasis: number;
  wrong: { q: string; expected: string[]; got: string | undefined; confidence: number }[];
}

/** Retrieval-level calibration figures at the given thresholds; pure, shared by a script and a test. */
export function evaluateCalibration(
  index: Pick<PolicyIndex, 'search' | 'confidence'>,
  questions: readonly CalibrationQuestion[],
  threshold: number,
  basisThreshold: number,
  /** Topics referred to another office (as the dialog does): such a question counts as abstained on. */
  referrals?: Referrals,
): CalibrationReport {
  const share = (hits: number, of: number): number => (of === 0 ? 1 : hits / of);
  let answerable = 0;
  let right = 0;
  let wrongCount = 0;
  let outOfPlan = 0;
  let abstained = 0;
  let unnamed = 0;
  let unnamedBelow = 0;
  let named = 0;
  let namedAbove = 0;
  const wrong: CalibrationReport['wrong'] = [];
  for (const question of questions) {
    const results = index.search(question.q, 5);
    const planConfidence = index.confidence(results);
    const referred = referrals && referralFor(referrals, question.q, () => planConfidence);
    const confidence = referred ? 0 : planConfidence;
    const top = results[0]?.clauseId;
    const ok = top !== undefined && question.clauses.includes(top);
    if (question.clauses.length > 0) {
      answerable++;
      if (ok && confidence >= threshold) right++;
    }
    // A course wish cites a clause only above the basis threshold (the dialog's rule), a question above the other.
    if (confidence >= (question.expect === 'course' ? basisThreshold : threshold) && !ok) {
      wrongCount++;
      wrong.push({ q: question.q, expected: question.clauses, got: top, confidence });
    }
    if (question.expect === 'abstain') {
      outOfPlan++;
      if (confidence < threshold) abstained++;
    }
    if (question.expect === 'course' && question.clauses.length === 0) {
      unnamed++;
      if (confidence < basisThreshold) unnamedBelow++;
    }
    if (question.expect === 'course' && question.clauses.length > 0) {
      named++;
      if (ok && confidence >= basisThreshold) namedAbove++;
    }
  }
  return {
    questions: questions.length,
    rightFirst: share(right, answerable),
    confidentlyWrong: questions.length === 0 ? 0 : wrongCount / questions.length,
    outOfPlanAbstained: share(abstained, outOfPlan),
    unnamedTradeBelowBasis: share(unnamedBelow, unnamed),
    namedTradeAboveBasis: share(namedAbove, named),
    wrong,
  };
}
