import {
  BASIS_CONFIDENCE_THRESHOLD,
  POLICY_CONFIDENCE_THRESHOLD,
  type PolicyKnowledge,
} from '../../policy/policy-index';
import type { IntentRoute } from '../handler';
import { looksLikeQuestion } from '../question-words';
import type { Turn } from '../turn';

/**
 * Below this a policy question is taken as not in the plan: the bot says so instead of offering near clauses
 * ("did you mean…?", between this and POLICY_CONFIDENCE_THRESHOLD). Calibrated on the tuning questions and
 * test/fixtures/policy-dev.jsonl (never on test/heldout): at 0.5, 78 % of out-of-plan questions are answered
 * "not in the plan" while 3 % of in-plan questions whose best clause is right would be.
 */
export const ABSTAIN_BELOW = 0.5;

/**
 * The one answer decision for free text: intent classification has spoken, and the plan is searched too.
 * A question the classifier did not place but the plan answers gets the plan's answer; a course search or a
 * sign-up the plan speaks to gets the plan's basis first ("both"); a policy question the plan does not cover
 * gets an honest "the plan does not say" with where to ask, and one the plan may cover in two ways a choice.
 */
export function policyRoute(policy: PolicyKnowledge): IntentRoute {
  const search = (text: string) => {
    const results = policy.index.search(text, 3);
    return { results, confidence: policy.index.confidence(results) };
  };

  return async (turn, u, next) => {
    switch (u.intent) {
      case 'unknown': {
        const { confidence } = search(turn.text);
        if (confidence >= POLICY_CONFIDENCE_THRESHOLD) return next({ ...u, intent: 'policy.ask' });
        // A question nothing here answers ("医保怎么交"): the plain truth beats "I did not understand".
        if (looksLikeQuestion(turn.text)) return abstain(turn, policy);
        return next(u);
      }
      case 'course.search':
      case 'enrol.start': {
        const { results, confidence } = search(turn.text);
        const clause =
          confidence >= BASIS_CONFIDENCE_THRESHOLD ? policy.index.clause(results[0]!.clauseId) : undefined;
        if (clause) {
          turn.say(
            turn.t('courses:policyBasis', {
              document: policy.doc.shortTitle[turn.locale],
              ref: clause.ref,
              topic: clause.topic?.[turn.locale] ?? clause.heading,
              summary: clause.summary[turn.locale],
            }),
          );
          turn.cite([clause.id]);
        }
        await next(u);
        if (clause) turn.answer = 'both';
        return;
      }
      case 'policy.ask': {
        const { confidence } = search(turn.text);
        if (confidence < ABSTAIN_BELOW) return abstain(turn, policy);
        await next(u);
        if (!turn.citations.length) turn.answer = offersClauses(turn) ? 'clarify' : 'abstain';
        return;
      }
      default:
        return next(u);
    }
  };
}

function offersClauses(turn: Turn): boolean {
  return turn.session.choices.some((c) => c.action.type === 'clause');
}

/** The plan does not cover it: said plainly, with where such questions go and a person to ask. */
function abstain(turn: Turn, policy: PolicyKnowledge): void {
  turn.intent = 'policy.ask';
  turn.answer = 'abstain';
  const hotline = turn.t('policy:hotline');
  turn.say(turn.t('policy:abstain', { document: policy.doc.shortTitle[turn.locale], hotline }), [
    {
      label: turn.t('policy:choice.human', { hotline }),
      action: { type: 'intent', intent: 'handoff.human' },
    },
    { label: turn.t('policy:choice.courses'), action: { type: 'intent', intent: 'course.search' } },
  ]);
}
