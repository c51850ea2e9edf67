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

  const answer = (turn: Turn, results: { clauseId: string }[], confidence: number, question?: string) => {
    const reply = composePolicyAnswer({
      results,
      confidence,
      doc: policy.doc,
      locale: turn.locale,
      t: turn.t,
      question,
      followUp: turn.planQuery !== undefined,
    });
    turn.cite(reply.citations);
    turn.say(reply.text, toOptions(reply.choices));
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
