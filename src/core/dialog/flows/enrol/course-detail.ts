import type { MatchReason } from '../../../courses/course-types';
import { describeStart } from '../../../courses/describe-start';
import { translateReason } from '../../../courses/format-course';
import type { CourseView } from '../../../ports';
import { findCourseCode } from '../../course-code';
import { currentCourse, rememberCourse } from '../../current-course';
import { formatSessionTime } from '../../format-time';
import type { IntentHandler } from '../../handler';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { enrol, type FamilyData } from './enrol-steps';

/**
 * A course's details with "sign up" / "other courses" choices; starts the sign-up flow at its first step.
 * `family`: the sign-up is for a family member of the person chatting ("帮我女儿报名").
 */
export async function showCourse(
  turn: Turn,
  services: DialogServices,
  code: string,
  family?: FamilyData,
): Promise<void> {
  const course = await services.catalog.findByCode(code, turn.now);
  if (!course) {
    turn.say(turn.t('enrol:course.notFound', { code }), [
      { label: turn.t('common:menu.courses'), action: { type: 'intent', intent: 'course.search' } },
    ]);
    return;
  }
  enrol.start(turn, 'confirm', { code: course.code, family });
  rememberCourse(turn, course.code);
  const full = course.seatsTaken >= course.capacity;
  const forWhom = family
    ? `\n${turn.t('enrol:family.forWhom', { who: turn.t(`enrol:family.relation.${family.relation}`) })}`
    : '';
  turn.say(describeCourse(turn, services, course) + forWhom, [
    enrol.choice(turn.t(full ? 'courses:detail.joinWaitlist' : 'enrol:course.signUp'), 'yes'),
    ...(family?.memberId ? [enrol.choice(turn.t('enrol:family.someoneElse'), 'other')] : []),
    { label: turn.t('enrol:course.others'), action: { type: 'intent', intent: 'course.search' } },
  ]);
}

export function describeCourse(turn: Turn, services: DialogServices, course: CourseView): string {
  const { t, locale } = turn;
  const lines = [
    t('courses:line.head', {
      code: course.code,
      title: course.title[locale],
      county: t(`domain:county.${course.county}`),
    }),
  ];
  if (course.description[locale]) lines.push(course.description[locale]);
  if (course.nextSession) {
    lines.push(
      t('enrol:course.nextSession', {
        when: formatSessionTime(course.nextSession.startsAt, locale, services.timezone),
        start: startWords(turn, describeStart(course.nextSession.startsAt, turn.now)),
        venue: course.nextSession.venue[locale],
      }),
    );
  }
  const free = course.feeYuan === 0 && course.freeForGroups.length === 0;
  const freeForMe = course.freeForGroups.find((g) => turn.person.groups.includes(g));
  if (free) lines.push(t('courses:reason.free'));
  else if (freeForMe) lines.push(t('courses:reason.freeForGroup', { group: t(`domain:group.${freeForMe}`) }));
  else if (course.feeYuan > 0) lines.push(t('courses:reason.fee', { fee: course.feeYuan }));
  if (course.subsidyText[locale]) lines.push(course.subsidyText[locale]);
  // Who may take it beyond age and groups: a county-funded class, courses or a certificate needed first.
  const counties = course.eligibleCounties ?? [];
  if (counties.length)
    lines.push(
      t('enrol:course.countyOnly', {
        counties: counties.map((c) => t(`domain:county.${c}`)).join(t('enrol:eligibility.groupJoiner')),
      }),
    );
  const required = course.prerequisiteCourseCodes ?? [];
  if (required.length)
    lines.push(
      t('enrol:course.prerequisites', {
        codes: required.map((code) => t('enrol:codeRef', { code })).join(t('enrol:eligibility.groupJoiner')),
      }),
    );
  if (course.prerequisiteNote)
    lines.push(t('enrol:course.prerequisiteNote', { note: course.prerequisiteNote }));
  const left = course.capacity - course.seatsTaken;
  lines.push(left > 0 ? t('courses:reason.seatsLeft', { seats: left }) : t('courses:reason.full'));
  // The 实名制 sentence once: staff's subsidy text often says it already ("实行实名制管理").
  if (course.realNameRequired)
    lines.push(
      t(
        /实名|real[- ]name/iu.test(course.subsidyText[locale] ?? '')
          ? 'enrol:course.realNameNeeds'
          : 'enrol:course.realName',
      ),
    );
  return lines.join('\n');
}

/** "16天后开班" beside the date already shown: no second date in brackets within brackets. */
function startWords(turn: Turn, start: MatchReason): string {
  if (start.key === 'courses:start.inDays')
    return turn.t('courses:start.inDaysShort', { days: start.params?.['days'] ?? '' });
  return translateReason(start, turn.t);
}

/** A pressed course choice, or "报名 ZX-DS-01": show it and offer to sign up. */
export function courseChosen(services: DialogServices): IntentHandler {
  return (turn, u) => showCourse(turn, services, u.target ?? '');
}

/**
 * "我要报名": a course code in the message goes straight to that course, as does the course just viewed;
 * otherwise find one first.
 */
export function enrolStart(services: DialogServices, search: IntentHandler): IntentHandler {
  return async (turn, u) => {
    const code = findCourseCode(turn.text);
    if (code) return showCourse(turn, services, code);
    // "我要报名" right after looking at a course (and asking about it): that course, shown again to confirm.
    const viewed = currentCourse(turn);
    if (viewed?.via === 'viewed') return showCourse(turn, services, viewed.code);
    turn.say(turn.t('enrol:start.findFirst'));
    await search(turn, u);
  };
}
