import { composePolicyAnswer, type PolicyChoice } from '../../policy/policy-answer';
import type { PolicyKnowledge } from '../../policy/policy-index';
import type { ChoiceAction, ChoiceOption } from '../chat-session';
import type { DialogModule } from '../dialog-module';
import type { Turn } from '../turn';
import { searchPlan } from './plan-search';

const ACTIONS: Record<Exclude<PolicyChoice['kind'], 'clause'>, ChoiceAction> = {
  courses: { type: 'intent', intent: 'course.search' },
  signUp: { type: 'intent', intent: 'enrol.start' },
  human: { type: 'intent', intent: 'handoff.human' },
};
const ASK: ChoiceAction = { type: 'intent', intent: 'policy.ask' };
const EXAMPLES = ['free', 'poor', 'apprentice', 'twoAfter', 'startup'] as const;

/** Policy questions answered from the plan's clauses, with the clause cited; unsure answers offer a person. */
export function policyModule(policy: PolicyKnowledge): DialogModule {
  const toOptions = (choices: PolicyChoice[]): ChoiceOption[] =>
    choices.map((c) => ({
      label: c.label,
      action: c.kind === 'clause' ? { type: 'clause', id: c.clauseId! } : ACTIONS[c.kind],
    }));

  const answer = (
    turn: Turn,
    results: { clauseId: string; score?: number }[],
    confidence: number,
    question?: string,
  ) => {
    const reply = composePolicyAnswer({
      results,
      confidence,
      doc: policy.doc,
      locale: turn.locale,
      t: turn.t,
      question,
      followUp: turn.planQuery !== undefined,
      correctTypos: policy.index.correctTypos,
    });
    if (reply.noFigure) return noFigure(turn, reply.citations[0]!);
    turn.cite(reply.citations);
    turn.say(reply.text, toOptions(reply.choices));
  };

  /**
   * "创业培训补贴每人补多少", "技能大赛一等奖奖金是多少": the plan gives no such figure, so none is quoted as if
   * it answered; where to ask, and the clause on the subject offered to read.
   */
  const noFigure = (turn: Turn, clauseId: string) => {
    const clause = policy.index.clause(clauseId);
    const hotline = turn.t('policy:hotline');
    turn.answer = 'abstain';
    turn.say(turn.t('policy:noFigure', { document: policy.doc.shortTitle[turn.locale], hotline }), [
      ...(clause
        ? [
            {
              label: turn.t('policy:nearest', { topic: clause.topic?.[turn.locale] ?? clause.heading }),
              action: { type: 'clause' as const, id: clause.id },
            },
          ]
        : []),
      { label: turn.t('policy:choice.human', { hotline }), action: ACTIONS.human },
    ]);
  };

  const intents: DialogModule['intents'] = {
    /** The menu entry: invite a question and offer common ones (a pressed example is asked as typed). */
    'policy.menu'(turn) {
      turn.say(
        turn.t('policy:invite'),
        EXAMPLES.map((key) => ({ label: turn.t(`policy:examples.${key}`), action: ASK })),
      );
    },
    'policy.ask'(turn) {
      const { results, confidence } = searchPlan(turn, policy.index, turn.planQuery ?? turn.text);
      answer(turn, results, confidence, turn.text);
    },
    /** A clause offered as "did you mean…?" was chosen: answer from it with full confidence. */
    'choice.clause'(turn, u) {
      turn.intent = 'policy.ask';
      answer(turn, [{ clauseId: u.target ?? '' }], 1);
    },
  };
  return { intents };
}
