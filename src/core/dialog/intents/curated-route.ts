import type { CuratedAnswerBook, PreparedCuratedAnswer, UnansweredLog } from '../../curated/curated-ports';
import { CURATED_MATCH_THRESHOLD, type QuestionMatcher } from '../../curated/question-terms';
import { scrubQuestion } from '../../curated/scrub-question';
import type { PolicyKnowledge } from '../../policy/policy-index';
import { BASIS_CONFIDENCE_THRESHOLD } from '../../policy/thresholds';
import type { DialogModule } from '../dialog-module';
import type { IntentRoute } from '../handler';
import type { HandledIntent } from '../intent-name';
import { looksLikeQuestion } from '../question-words';
import type { Turn } from '../turn';
import { searchPlan } from './plan-search';

/**
 * A plan answer below this confidence counts as low-confidence and is logged for staff (the stricter bar the
 * plan's basis needs beside a course answer: below it the bot was answering, but not surely).
 */
export const LOW_CONFIDENCE_BELOW = BASIS_CONFIDENCE_THRESHOLD;

/** Intents a curated answer may answer whatever the wording. */
const ANSWERABLE = new Set<HandledIntent>(['unknown', 'policy.ask', 'course.search']);
/** Never: asking for a person, deleting one's data, cancelling, commands. */
const NEVER = new Set<HandledIntent>([
  'handoff.human',
  'privacy.delete',
  'enrol.cancel',
  'language.switch',
  'broadcast.send',
  'broadcast.report',
  'coordinator.redeem',
  'profile.reset',
  'policy.menu',
]);

/**
 * Other intents (a sign-up, "my classes", help) only when the message asks something: "can I bring my dog to
 * class" may be read as "my classes" by the classifier, and a staff answer written for it should win.
 */
const mayAnswer = (intent: HandledIntent, text: string) =>
  ANSWERABLE.has(intent) || (!NEVER.has(intent) && looksLikeQuestion(text));

export interface CuratedModuleDeps {
  book: CuratedAnswerBook;
  unanswered: UnansweredLog;
  policy: PolicyKnowledge;
  matcher: QuestionMatcher;
  timezone: string;
}

/**
 * Staff answers first, unanswered questions logged (docs/curated-answers.md). Its route sits before the
 * policy route: a message close enough to a live curated answer's question variant gets that answer, with its
 * basis (the cited clauses, and that it is a staff answer of its date); anything else goes on to the plan, and
 * what the plan then abstains on, asks back about or answers without confidence is logged, without personal data.
 */
export function curatedModule(deps: CuratedModuleDeps): DialogModule {
  const today = dayIn(deps.timezone);

  const route: IntentRoute = async (turn, u, next) => {
    if (mayAnswer(u.intent, turn.text)) {
      const found = match(await deps.book.live(), turn, today(turn.now));
      if (found) return answer(turn, found, deps.policy, deps.timezone);
    }
    await next(u);
    logIfUnanswered(turn, deps);
  };

  function match(answers: readonly PreparedCuratedAnswer[], turn: Turn, day: string) {
    if (answers.length === 0) return undefined;
    const terms = deps.matcher.terms(turn.text);
    let best: { answer: PreparedCuratedAnswer; score: number } | undefined;
    for (const a of answers) {
      if (a.validUntil && a.validUntil < day) continue;
      if (a.county && turn.person.county && a.county !== turn.person.county) continue;
      const score = deps.matcher.best(terms, a.variants);
      if (score >= CURATED_MATCH_THRESHOLD && (!best || score > best.score)) best = { answer: a, score };
    }
    return best?.answer;
  }

  return { route };
}

function answer(turn: Turn, found: PreparedCuratedAnswer, policy: PolicyKnowledge, timezone: string): void {
  turn.intent = 'policy.ask';
  turn.answer = 'curated';
  turn.session.topic = undefined;
  const basis = found.clauseIds.flatMap((id) => {
    const clause = policy.index.clause(id);
    return clause
      ? [
          turn.t('curated:basis', {
            document: policy.doc.shortTitle[turn.locale],
            ref: clause.ref,
            topic: clause.topic?.[turn.locale] ?? clause.heading,
          }),
        ]
      : [];
  });
  const staff = turn.t('curated:staffAnswer', { date: dayIn(timezone)(found.updatedAt) });
  turn.say([found.answer, ...basis, staff].join('\n'));
  turn.cite(found.clauseIds.filter((id) => policy.index.clause(id)));
}

/** Abstained, asked back, or answered below LOW_CONFIDENCE_BELOW: logged, fire and forget. */
function logIfUnanswered(turn: Turn, deps: CuratedModuleDeps): void {
  const kind = turn.answer ?? (turn.citations.length ? 'policy' : undefined);
  if (kind !== 'abstain' && kind !== 'clarify' && kind !== 'policy') return;
  const { results, confidence } = searchPlan(turn, deps.policy.index, turn.planQuery ?? turn.text);
  if (kind === 'policy' && confidence >= LOW_CONFIDENCE_BELOW) return;
  deps.unanswered.record({
    text: scrubQuestion(turn.text),
    channel: turn.msg.address.channel,
    locale: turn.locale,
    answer: kind,
    clauseId: results[0]?.clauseId,
    confidence,
    county: turn.person.county,
    askedAt: turn.now,
  });
}

/** The calendar day (YYYY-MM-DD) of an instant in the programme's time zone. */
function dayIn(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (at) => format.format(at);
}
