import { matchCourses } from '../../../courses/match';
import type { County, Trade } from '../../../domain';
import { maskPersonalText, storableText } from '../../../inbox/mask-text';
import {
  COMMENT_MAX,
  type EmploymentAnswer,
  type OpenQuestion,
  type SurveyAnswerOutcome,
  type SurveyMember,
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
import { whoFor } from '../enrol/family-sign-up';
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

  /** "您女儿王小红" when the question is about a family member the person signed up; else undefined. */
  const whoOf = (turn: Turn, member: SurveyMember | undefined) =>
    member ? whoFor(turn, member.relation, { realName: member.name ?? undefined }) : undefined;

  /** Whose question this is (a pressed choice names only the question): the open one with this id. */
  async function memberOf(turn: Turn, id: string): Promise<string | undefined> {
    const open = await port.openAll(turn.person.id, turn.now);
    return whoOf(turn, open.find((q) => q.id === id)?.member);
  }

  async function rate(turn: Turn, surveyId: string, rating: number, known?: OpenQuestion): Promise<void> {
    const who = known ? whoOf(turn, known.member) : await memberOf(turn, surveyId);
    const outcome = await port.rate(turn.person.id, surveyId, rating, turn.now);
    if (outcome !== 'saved') return notTaken(turn, outcome);
    surveysFlow.start(turn, 'comment', { surveyId, who });
    turn.say(
      who
        ? turn.t('surveys:satisfaction.thanksFamily', { rating, who })
        : turn.t('surveys:satisfaction.thanks', { rating }),
      [skipChoice(turn.t)],
    );
  }

  async function comment(
    turn: Turn,
    { surveyId, who }: { surveyId: string; who?: string },
    input: FlowInput,
  ): Promise<undefined | 'pass'> {
    const text = input.text.trim();
    if (input.value === 'skip' || NOTHING.test(text)) {
      turn.endFlow();
      turn.say(turn.t('surveys:satisfaction.done'));
      return;
    }
    if (!text || isRequest(input)) return 'pass';
    // Another rating typed instead of a comment: the first one stands, the comment is still welcome.
    const rating = parseRating(text);
    if (rating !== undefined && text.length <= 4) {
      // Meant for another question still open (a proxy rating a second family member's course): that one.
      const others = (await port.openAll(turn.person.id, turn.now)).filter(
        (q) => q.kind === 'satisfaction' && q.id !== surveyId,
      );
      if (others.length) {
        turn.endFlow();
        await typedAnswer(turn, others, rating, undefined);
        return;
      }
      turn.say(
        who
          ? turn.t('surveys:satisfaction.ratedAlreadyFamily', { who })
          : turn.t('surveys:satisfaction.ratedAlready'),
        [skipChoice(turn.t)],
      );
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

  async function work(
    turn: Turn,
    checkId: string,
    answer: EmploymentAnswer,
    known?: OpenQuestion,
  ): Promise<void> {
    const who = known ? whoOf(turn, known.member) : await memberOf(turn, checkId);
    const outcome = await port.answerEmployment(turn.person.id, checkId, answer, turn.now);
    if (outcome !== 'saved') return notTaken(turn, outcome);
    if (answer === 'not_looking') {
      turn.endFlow();
      turn.say(
        who
          ? turn.t('surveys:employment.thanksFamily', { who })
          : turn.t('surveys:employment.thanksNotLooking'),
      );
      return;
    }
    surveysFlow.start(turn, 'details', { checkId, answer, who });
    turn.say(
      who
        ? turn.t(`surveys:employment.askDetailsFamily.${answer}`, { who })
        : turn.t(`surveys:employment.askDetails.${answer}`),
      [skipChoice(turn.t)],
    );
  }

  async function details(
    turn: Turn,
    state: { checkId: string; answer: EmploymentAnswer; who?: string },
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
    if (state.who) {
      // About a family member: no courses fitted to the proxy's profile; staff can help the member, or a new sign-up.
      turn.say(
        turn.t(
          state.answer === 'looking' ? 'surveys:employment.familyLooking' : 'surveys:employment.thanksFamily',
          { who: state.who },
        ),
        state.answer === 'looking'
          ? [
              {
                label: turn.t('surveys:employment.staff'),
                action: { type: 'intent', intent: 'handoff.human' },
              },
            ]
          : undefined,
      );
      return;
    }
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
      if (state?.step === 'comment') return comment(turn, state.data, input);
      if (state?.step === 'details') return details(turn, state.data, input);
      return 'pass';
    },
    onCancel(turn) {
      turn.say(turn.t('surveys:done'));
    },
  });

  /**
   * A typed answer to one of `open` (questions of its kind): with one, that one; with several (a proxy asked
   * about two family members, or about a member and themselves) it is not guessed: the person picks whose it is.
   */
  function typedAnswer(
    turn: Turn,
    open: readonly OpenQuestion[],
    rating: number | undefined,
    answer: EmploymentAnswer | undefined,
  ): Promise<void> {
    turn.intent = 'flow.surveys';
    const [only] = open;
    if (open.length === 1 && only) {
      if (only.kind === 'satisfaction' && rating !== undefined) return rate(turn, only.id, rating, only);
      if (only.kind === 'employment' && answer) return work(turn, only.id, answer, only);
    }
    const choices = open.map((q) => {
      const whose = whoOf(turn, q.member) ?? turn.t('surveys:which.self');
      const label = turn.t('surveys:which.option', {
        who: whose,
        code: q.course.code,
        title: turn.locale === 'en' ? q.course.title.en : q.course.title['zh-CN'],
      });
      return surveysFlow.choice(
        label,
        q.kind === 'satisfaction' ? `rate:${q.id}:${rating}` : `work:${q.id}:${answer}`,
      );
    });
    turn.say(
      rating !== undefined
        ? turn.t('surveys:which.rating', { rating, count: open.length })
        : turn.t('surveys:which.employment', {
            answer: turn.t(`surveys:employment.choice.${answer}`),
            count: open.length,
          }),
      choices,
    );
    return Promise.resolve();
  }

  /** A typed answer while a question is open (the database says which): "很满意", "一般", "还在找工作". */
  const route: IntentRoute = async (turn, u, next) => {
    const rating = parseRating(turn.text);
    const answer = parseEmploymentAnswer(turn.text);
    if (rating === undefined && !answer) return next(u);
    const open = await port.openAll(turn.person.id, turn.now);
    // The latest question asked decides what kind of answer the words are (as before), then every open one of it.
    const latest = open[0];
    if (latest?.kind === 'satisfaction' && rating !== undefined)
      return typedAnswer(
        turn,
        open.filter((q) => q.kind === 'satisfaction'),
        rating,
        undefined,
      );
    if (latest?.kind === 'employment' && answer)
      return typedAnswer(
        turn,
        open.filter((q) => q.kind === 'employment'),
        undefined,
        answer,
      );
    return next(u);
  };

  return { flows: [flow], route };
}
