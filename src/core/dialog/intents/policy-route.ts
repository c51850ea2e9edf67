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
        // Only a message that says what it is about gets the plan's basis: "我想找个培训课程" matches the
        // plan's generic words well and would otherwise always be answered with the same clause.
        const { results, confidence } = saysWhat(turn.text)
          ? search(turn.text)
          : { results: [], confidence: 0 };
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

/** Words any wish for a course is made of; a message of nothing else names no subject the plan could speak to. */
const GENERIC =
  /我们?|想要?|要|找|个|一个|参加|报名|培训班?|课程?|班|学习?|一下|有没有|有没得|有吗|没有|吗|呢|嘛|什么|啥|哪些|哪个|的|了|请|帮我?|看看|\b(i|we|want|would|like|to|a|an|the|find|look|for|some|any|training|trainings|course|courses|class|classes|sign|up|join|enrol|enroll|me|please|is|are|there)\b|[\s\p{P}\p{S}]/giu;

function saysWhat(text: string): boolean {
  return text.replace(GENERIC, '').length >= 2;
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
