import { z } from 'zod';
import { matchCourses } from '../../../courses/match';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { type IntentHandler, tradesIn, type Understanding } from '../../handler';
import type { HandledIntent } from '../../intent-name';
import { profilePatchFromSlots, toMatchProfile } from '../../profile';
import { looksLikeQuestion } from '../../question-words';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { COURSES_FOUND, sayCourseList } from '../courses/course-list';
import { signUpRefusal } from '../enrol/sign-up-eligibility';

/** How many of the two profile questions have been asked. */
const asked = z.object({ asked: z.int().min(0).max(2) });
const profile = defineFlow({ name: 'profile', version: 1, steps: { basics: asked, details: asked } });
const ANSWER_LIKE = new Set<HandledIntent>(['course.search', 'enrol.start', 'unknown', 'greeting']);
const NONE = /^(没有|无|都不是|不是|没|none|no|nope)$/i;

/** "35岁 建档立卡户", "镇雄 电商": facts about the person, the answer the profile questions ask for. */
function describesPerson(text: string, u: Understanding): boolean {
  const s = u.slots;
  const facts = Boolean(s.county || s.trade || s.trades?.length || s.groups?.length || s.age || s.birthYear);
  return facts && !looksLikeQuestion(text);
}

/** Saves what the message told us about the person (county, age, groups, interests). */
export async function applyProfileSlots(
  turn: Turn,
  services: DialogServices,
  u: Understanding,
): Promise<void> {
  const patch = profilePatchFromSlots(turn.person, u.slots, turn.now);
  const fields = Object.keys(patch);
  if (!fields.length) return;
  turn.person = await services.people.updateProfile(turn.person.id, patch);
  turn.emit({ type: 'profile_updated', fields });
}

/**
 * Finds courses for the person, asking at most two short questions first (where and what; then age and
 * group) and only for what is still unknown. Answers given out of order or all at once are all taken.
 */
export function profileModule(services: DialogServices): DialogModule & { search: IntentHandler } {
  async function proceed(turn: Turn, asked: number, skipped: boolean): Promise<void> {
    const p = turn.person;
    if (!skipped && asked < 1 && (!p.county || !p.interests.length)) {
      profile.start(turn, 'basics', { asked: 1 });
      turn.say(askBasics(turn), [skipChoice(turn)]);
      return;
    }
    if (!skipped && asked < 2 && !p.birthYear && !p.groups.length) {
      profile.start(turn, 'details', { asked: 2 });
      turn.say(turn.t('enrol:profile.askDetails'), [skipChoice(turn)]);
      return;
    }
    turn.endFlow();
    await suggest(turn);
  }

  async function suggest(turn: Turn): Promise<void> {
    // Issue 18: never offer what the person cannot take (age at the first class from the ID number, groups).
    const courses = (await services.catalog.listOpen(turn.now)).filter(
      (c) => !signUpRefusal(c, turn.person, turn.now, services.timezone),
    );
    const profile = toMatchProfile(turn.person);
    let results = matchCourses(profile, courses, { now: turn.now, limit: COURSES_FOUND });
    let widened = false;
    if (!results.length && (profile.county || profile.interests.length)) {
      results = matchCourses({ ...profile, interests: [] }, courses, {
        now: turn.now,
        limit: COURSES_FOUND,
        includeUnrelated: true,
      });
      widened = true;
    }
    if (!results.length) {
      turn.say(turn.t('enrol:suggest.none', { phone: services.handoffPhone }), [
        { label: turn.t('common:menu.human'), action: { type: 'intent', intent: 'handoff.human' } },
      ]);
      return;
    }
    const intro = turn.t(widened ? 'enrol:suggest.widened' : 'enrol:suggest.intro');
    // Three at a time with "更多" for the rest (flows/courses/course-list.ts).
    sayCourseList(turn, results, intro, [
      { label: turn.t('enrol:suggest.changeProfile'), action: { type: 'intent', intent: 'profile.reset' } },
    ]);
  }

  const search: IntentHandler = async (turn, u) => {
    await applyProfileSlots(turn, services, u);
    await proceed(turn, 0, false);
  };
  const flow = profile.handler({
    async handle(turn, state, input) {
      const skipped = input.value === 'skip';
      const { intent, confidence } = input.understanding;
      // A clear question or request instead of an answer ("学徒制补贴多少钱?") leaves the flow and is
      // answered as such; answers like "镇雄 电商" read as course searches or as nothing in particular.
      // "35岁 建档立卡户" is an answer even though it reads like a topic of the plan.
      const answer = describesPerson(input.text, input.understanding);
      if (!skipped && !answer && confidence >= 0.75 && !ANSWER_LIKE.has(intent)) return 'pass';
      // "天麻呢" after "种苹果有培训吗": a question about another trade, asked afresh (with what the plan says of
      // it), not an answer to "您在哪个县区？".
      if (
        !skipped &&
        !answer &&
        tradesIn(input.understanding.slots).length > 0 &&
        looksLikeQuestion(input.text)
      )
        return 'pass';
      const before = turn.events.length;
      await applyProfileSlots(turn, services, input.understanding);
      const understood = skipped || turn.events.length > before || NONE.test(input.text.trim());
      if (!understood && confidence >= 0.6 && intent !== 'course.search') return 'pass';
      // "能拿证不", "要钱不": a question, not an answer, even when the NLU is unsure what it asks.
      if (!understood && looksLikeQuestion(input.text)) return 'pass';
      await proceed(turn, state?.data.asked ?? 0, skipped);
    },
  });
  return {
    search,
    flows: [flow],
    intents: { 'course.search': search, 'profile.reset': profileReset(services) },
  };
}

/** Where and what, asking only for what is not known yet: a county already given is never asked again. */
function askBasics(turn: Turn): string {
  const { county, interests } = turn.person;
  if (county && !interests.length)
    return turn.t('enrol:profile.askTrade', { county: turn.t(`domain:county.${county}`) });
  if (!county && interests.length) return turn.t('enrol:profile.askCounty');
  return turn.t('enrol:profile.askBasics');
}

function skipChoice(turn: Turn): ChoiceOption {
  return profile.choice(turn.t('enrol:profile.skip'), 'skip');
}

/** "Change my details": forgets county, age, groups and interests, then asks again. */
function profileReset(services: DialogServices): IntentHandler {
  return async (turn) => {
    turn.person = await services.people.updateProfile(turn.person.id, {
      county: null,
      birthYear: null,
      groups: [],
      interests: [],
    });
    turn.emit({ type: 'profile_updated', fields: ['county', 'birthYear', 'groups', 'interests'] });
    profile.start(turn, 'basics', { asked: 1 });
    turn.say(turn.t('enrol:profile.askBasics'), [skipChoice(turn)]);
  };
}
