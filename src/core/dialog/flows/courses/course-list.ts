import { z } from 'zod';
import type { MatchResult } from '../../../courses/course-types';
import { courseList } from '../../../courses/format-course';
import { matchCourses } from '../../../courses/match';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { toMatchProfile } from '../../profile';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';

/** How many courses a list shows at once (one short bubble on a phone), and how many it finds in all. */
export const COURSES_SHOWN = 3;
export const COURSES_FOUND = 8;

/** "更多": the rest of a course list; the choice's value holds the codes still to show. */
const more = defineFlow({ name: 'course-list', version: 1, steps: { more: z.object({}) } });

/** A course as a choice: a full one says it takes a waitlist place (候补), not a seat (报名). */
export function courseChoice(turn: Turn, result: MatchResult): ChoiceOption {
  const { course } = result;
  const key = result.full ? 'courses:list.choiceFull' : 'enrol:suggest.choice';
  return {
    label: turn.t(key, { code: course.code, title: course.title[turn.locale] }),
    action: { type: 'course', code: course.code },
  };
}

/**
 * A list of matched courses, compact: the first three with their reasons, a "更多" choice for the rest,
 * then `extra` choices (e.g. "change my details").
 */
export function sayCourseList(
  turn: Turn,
  results: readonly MatchResult[],
  intro: string,
  extra: ChoiceOption[] = [],
): void {
  // A new list: a follow-up ("学几天？") no longer means the course seen before it.
  turn.session.course = undefined;
  const shown = results.slice(0, COURSES_SHOWN);
  const rest = results.slice(COURSES_SHOWN);
  const choices = shown.map((r) => courseChoice(turn, r));
  const parts = [intro, courseList(shown, turn.locale, turn.t)];
  if (rest.length) {
    choices.push(more.choice(turn.t('courses:list.more'), rest.map((r) => r.course.code).join(',')));
    parts.push(turn.t('courses:list.moreHint', { count: rest.length }));
  }
  parts.push(turn.t('enrol:suggest.pick'));
  turn.say(parts.join('\n\n'), [...choices, ...extra]);
}

/** Shows the rest of a list when "更多" is chosen, with the same reasons as the first part. */
export function courseListModule(services: DialogServices): DialogModule {
  const flow = more.handler({
    async handle(turn, _state, input) {
      if (!input.value) return 'pass';
      const codes = input.value.split(',').slice(0, COURSES_FOUND);
      const open = (await services.catalog.listOpen(turn.now)).filter((c) => codes.includes(c.code));
      const results = matchCourses(toMatchProfile(turn.person), open, {
        now: turn.now,
        limit: codes.length,
        includeUnrelated: true,
      }).sort((a, b) => codes.indexOf(a.course.code) - codes.indexOf(b.course.code));
      turn.answer = 'course';
      if (!results.length) {
        turn.say(turn.t('courses:list.moreGone'), [
          { label: turn.t('common:menu.courses'), action: { type: 'intent', intent: 'course.search' } },
        ]);
        return;
      }
      turn.say(
        [
          turn.t('courses:list.moreIntro'),
          courseList(results, turn.locale, turn.t),
          turn.t('enrol:suggest.pick'),
        ].join('\n\n'),
        results.map((r) => courseChoice(turn, r)),
      );
    },
  });
  return { flows: [flow] };
}
