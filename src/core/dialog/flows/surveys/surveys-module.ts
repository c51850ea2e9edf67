import { matchCourses } from '../../../courses/match';
import type { County, Trade } from '../../../domain';
import { maskPersonalText, storableText } from '../../../inbox/mask-text';
import {
  COMMENT_MAX,
  type EmploymentAnswer,
  type SurveyAnswerOutcome,
  type SurveyPort,
  TRADE_TEXT_MAX,
} from '../../../outcomes/surveys';
import { parseEmploymentAnswer, parseRating } from '../../../outcomes/surveys-answers';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import type { FlowInput } from '../../flow';
import type { IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import { toMatchProfile } from '../../profile';
import { looksLikeQuestion } from '../../question-words';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { COURSES_FOUND, sayCourseList } from '../courses/course-list';
import { signUpRefusal } from '../enrol/sign-up-eligibility';
import { readSurveyChoice, skipChoice, surveysFlow } from './surveys-flow';

/** "没有", "不用了", "no": nothing to add. */
const NOTHING = /^(没有|没|无|不用了?|不了|没什么|没啥|没意见|没有了|no|none|nothing|nope|n\/a)$/i;

/** A request rather than an answer: a question the NLU is sure of ("补贴什么时候发？"). */
const isRequest = (input: FlowInput) =>
  looksLikeQuestion(input.text) &&
  input.understanding.confidence >= 0.75 &&
  input.understanding.intent !== 'unknown';

/**
 * Answers to the satisfaction question and the employment follow-up (docs/surveys.md): by the message's
 * choices, by a typed answer while the person has such a question open ("5", "很满意", "还在找工作"), then
 * the optional comment, or trade and county. People still looking are offered matching courses and a person.
 */
export function surveysModule(services: DialogServices & { surveys: SurveyPort }): DialogModule {
  const port = services.surveys;

  /** The same words for every question that takes no answer any more. */
  function notTaken(turn: Turn, outcome: Exclude<SurveyAnswerOutcome, 'saved'>): void {
    turn.endFlow();
    if (outcome === 'already') turn.say(turn.t('surveys:already'));
    else if (outcome === 'closed') turn.say(turn.t('surveys:closed'), mainMenu(turn.t));
    else turn.say(turn.t('surveys:notFound'), mainMenu(turn.t));
  }

  async function rate(turn: Turn, surveyId: string, rating: number): Promise<void> {
    const outcome = await port.rate(turn.person.id, surveyId, rating, turn.now);
    if (outcome !== 'saved') return notTaken(turn, outcome);
    surveysFlow.start(turn, 'comment', { surveyId });
    turn.say(turn.t('surveys:satisfaction.thanks', { rating }), [skipChoice(turn.t)]);
  }

  async function comment(turn: Turn, surveyId: string, input: FlowInput): Promise<undefined | 'pass'> {
    const text = input.text.trim();
    if (input.value === 'skip' || NOTHING.test(text)) {
      turn.endFlow();
      turn.say(turn.t('surveys:satisfaction.done'));
      return;
    }
    if (!text || isRequest(input)) return 'pass';
    // Another rating typed instead of a comment: the first one stands, the comment is still welcome.
    if (parseRating(text) !== undefined && text.length <= 4) {
      turn.say(turn.t('surveys:satisfaction.ratedAlready'), [skipChoice(turn.t)]);
      return;
    }
    const cut = [...text].length > COMMENT_MAX;
    const kept = maskPersonalText(storableText([...text].slice(0, COMMENT_MAX).join('')));
    const outcome = await port.comment(turn.person.id, surveyId, kept);
    if (outcome !== 'saved') {
      notTaken(turn, outcome);
      return;
    }
    turn.endFlow();
    turn.say(
      `${cut ? `${turn.t('surveys:satisfaction.cut', { max: COMMENT_MAX })}\n` : ''}${turn.t('surveys:satisfaction.commented')}`,
    );
  }

  async function work(turn: Turn, checkId: string, answer: EmploymentAnswer): Promise<void> {
    const outcome = await port.answerEmployment(turn.person.id, checkId, answer, turn.now);
    if (outcome !== 'saved') return notTaken(turn, outcome);
    if (answer === 'not_looking') {
      turn.endFlow();
      turn.say(turn.t('surveys:employment.thanksNotLooking'));
      return;
    }
    surveysFlow.start(turn, 'details', { checkId, answer });
    turn.say(turn.t(`surveys:employment.askDetails.${answer}`), [skipChoice(turn.t)]);
  }

  async function details(
    turn: Turn,
    state: { checkId: string; answer: EmploymentAnswer },
    input: FlowInput,
  ): Promise<undefined | 'pass'> {
    const text = input.text.trim();
    const skipped = input.value === 'skip' || NOTHING.test(text);
    const slots = input.understanding.slots;
    const trade = skipped ? undefined : (slots.trade ?? slots.trades?.[0]);
    const county = skipped ? undefined : slots.county;
    if (!skipped && !trade && !county && (!text || isRequest(input))) return 'pass';
    // A trade nobody recognised ("修手机") is kept as the person said it, short and masked.
    const tradeText =
      trade ??
      (!skipped && !county
        ? maskPersonalText(storableText([...text].slice(0, TRADE_TEXT_MAX).join('')))
        : undefined);
    const outcome = skipped
      ? 'saved'
      : await port.employmentDetails(turn.person.id, state.checkId, { trade: tradeText, county });
    if (outcome !== 'saved') {
      notTaken(turn, outcome);
      return;
    }
    turn.endFlow();
    if (state.answer !== 'looking') {
      turn.say(turn.t('surveys:employment.thanks'));
      return;
    }
    await offerHelp(turn, { trade, county });
  }

  /** Still looking: courses that fit what they look for (the course matcher), and a person to talk to. */
  async function offerHelp(turn: Turn, wanted: { trade?: Trade; county?: County }) {
    const staff: ChoiceOption = {
      label: turn.t('surveys:employment.staff'),
      action: { type: 'intent', intent: 'handoff.human' },
    };
    const courses = (await services.catalog.listOpen(turn.now)).filter(
      (c) => !signUpRefusal(c, turn.person, turn.now, services.timezone),
    );
    const profile = toMatchProfile(turn.person);
    if (wanted.county) profile.county = wanted.county;
    if (wanted.trade) profile.interests = [wanted.trade];
    let results = matchCourses(profile, courses, { now: turn.now, limit: COURSES_FOUND });
    if (!results.length)
      results = matchCourses({ ...profile, interests: [] }, courses, {
        now: turn.now,
        limit: COURSES_FOUND,
        includeUnrelated: true,
      });
    if (!results.length) {
      turn.say(turn.t('surveys:employment.noCourses'), [staff]);
      return;
    }
    turn.answer = 'course';
    sayCourseList(turn, results, turn.t('surveys:employment.courses'), [staff]);
  }

  const flow = surveysFlow.handler({
    async handle(turn, state, input) {
      const choice = readSurveyChoice(input.value);
      if (choice.kind === 'rate') return rate(turn, choice.id, choice.rating);
      if (choice.kind === 'work') return work(turn, choice.id, choice.answer);
      if (state?.step === 'comment') return comment(turn, state.data.surveyId, input);
      if (state?.step === 'details') return details(turn, state.data, input);
      return 'pass';
    },
    onCancel(turn) {
      turn.say(turn.t('surveys:done'));
    },
  });

  /** A typed answer while a question is open (the database says which): "很满意", "一般", "还在找工作". */
  const route: IntentRoute = async (turn, u, next) => {
    const rating = parseRating(turn.text);
    const answer = parseEmploymentAnswer(turn.text);
    if (rating === undefined && !answer) return next(u);
    const open = await port.open(turn.person.id, turn.now);
    if (open?.kind === 'satisfaction' && rating !== undefined) {
      turn.intent = 'flow.surveys';
      return rate(turn, open.id, rating);
    }
    if (open?.kind === 'employment' && answer) {
      turn.intent = 'flow.surveys';
      return work(turn, open.id, answer);
    }
    return next(u);
  };

  return { flows: [flow], route };
}
