import { courseList } from '../../../courses/format-course';
import { matchCourses } from '../../../courses/match';
import type { FamilyRelation } from '../../../domain';
import type { CourseView, EnrolOutcome, FamilyMember } from '../../../ports';
import type { ChoiceOption } from '../../chat-session';
import { findCourseCode } from '../../course-code';
import { formatSessionTime } from '../../format-time';
import { tradesIn, type Understanding } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { showCourse } from './course-detail';
import { enrol, type FamilyData } from './enrol-steps';
import { type Refusal, signUpRefusal } from './sign-up-eligibility';

/** "您女儿" / "your daughter". */
export const relationWord = (turn: Turn, relation: FamilyRelation): string =>
  turn.t(`enrol:family.relation.${relation}`);

/** "您女儿王小红" / "your daughter Wang Xiaohong", or just "您女儿" before the name is known. */
export function whoFor(
  turn: Turn,
  relation: FamilyRelation,
  member?: Pick<FamilyMember, 'realName'>,
): string {
  const rel = relationWord(turn, relation);
  return member?.realName ? turn.t('enrol:family.who', { rel, name: member.realName }) : rel;
}

const othersChoice = (turn: Turn): ChoiceOption => ({
  label: turn.t('enrol:course.others'),
  action: { type: 'intent', intent: 'course.search' },
});

/**
 * The course's rules say no: why, politely, naming whose age it is ("按身份证您开课时17岁" or the member's
 * name), with other courses and the menu offered. The flow ends; nothing more is collected.
 */
export function sayRefusal(
  turn: Turn,
  refusal: Refusal,
  member?: FamilyMember,
  relation?: FamilyRelation,
): void {
  const { t } = turn;
  turn.endFlow();
  const rel = member?.relation ?? relation;
  const name = member?.realName ?? (rel ? relationWord(turn, rel) : undefined);
  const key = `enrol:eligibility.${refusal.reason}${name ? 'Member' : ''}`;
  const groups = (refusal.groups ?? []).map((g) => t(`domain:group.${g}`));
  const counties = (refusal.counties ?? []).map((c) => t(`domain:county.${c}`));
  const menu = mainMenu(t).filter((c) => c.action.type !== 'intent' || c.action.intent !== 'course.search');
  // A certificate from elsewhere is for staff to check: a person is offered first.
  const human: ChoiceOption = {
    label: t('common:menu.human'),
    action: { type: 'intent', intent: 'handoff.human' },
  };
  const isHandoff = (c: ChoiceOption) => c.action.type === 'intent' && c.action.intent === 'handoff.human';
  turn.say(
    t(key, {
      age: refusal.age ?? '',
      minAge: refusal.minAge ?? '',
      maxAge: refusal.maxAge ?? '',
      name: name ?? '',
      groups: groups.join(t('enrol:eligibility.groupJoiner')),
      example: groups[0] ?? counties[0] ?? '',
      counties: counties.join(t('enrol:eligibility.groupJoiner')),
      county: refusal.county ? t(`domain:county.${refusal.county}`) : '',
      courses: (refusal.courses ?? []).join(t('enrol:eligibility.groupJoiner')),
    }),
    // "Other courses" first; the menu's own course search would say the same again.
    refusal.reason === 'prerequisite'
      ? [human, othersChoice(turn), ...menu.filter((c) => !isHandoff(c))]
      : [othersChoice(turn), ...menu],
  );
}

/**
 * "帮我女儿报名" with no course named: courses that fit what the message says (trade) and where the proxy
 * lives, to pick from. The member's own age is not known yet: it is checked once their ID number is given.
 */
export async function familyStart(
  turn: Turn,
  services: DialogServices,
  u: Understanding,
  known?: FamilyMember,
): Promise<void> {
  const relation = u.slots.relation;
  if (!relation) return;
  // A member on record was asked for their phone when recorded: it is not asked again.
  const family: FamilyData = known ? { relation, memberId: known.id, phoneAsked: true } : { relation };
  // The one member of that relationship on record is offered again; "someone else" starts a new one.
  if (known) turn.say(turn.t('enrol:family.sameMember', { who: whoFor(turn, relation, known) }));
  const code = findCourseCode(turn.text);
  if (code) return showCourse(turn, services, code, family);
  const interests = tradesIn(u.slots);
  // A member on record with a known age is offered only what they can take.
  const courses = (await services.catalog.listOpen(turn.now)).filter(
    (c) => !known || !signUpRefusal(c, known, turn.now, services.timezone),
  );
  const profile = { county: u.slots.county ?? turn.person.county, groups: [], interests };
  let results = matchCourses(profile, courses, { now: turn.now, limit: 3 });
  // Nothing in what they want to learn ("汽修"): other classes, said to be other classes.
  const widened = !results.length && interests.length > 0;
  if (!results.length)
    results = matchCourses({ ...profile, interests: [] }, courses, {
      now: turn.now,
      limit: 3,
      includeUnrelated: true,
    });
  const who = relationWord(turn, relation);
  if (!results.length) {
    turn.say(turn.t('enrol:family.noCourse', { who, phone: services.handoffPhone }), mainMenu(turn.t));
    return;
  }
  enrol.start(turn, 'pick', { family });
  turn.say(
    `${turn.t(widened ? 'enrol:family.pickCourseWidened' : 'enrol:family.pickCourse', { who })}\n\n${courseList(results, turn.locale, turn.t)}`,
    results.map((r) =>
      enrol.choice(
        turn.t('enrol:suggest.choice', { code: r.course.code, title: r.course.title[turn.locale] }),
        r.course.code,
      ),
    ),
  );
}

/** The outcome of a family member's sign-up, told to the proxy with the member's name. */
export function sayFamilyOutcome(
  turn: Turn,
  services: DialogServices,
  course: CourseView,
  member: FamilyMember,
  outcome: EnrolOutcome,
): void {
  const { t, locale } = turn;
  const params = {
    who: whoFor(turn, member.relation, member),
    code: course.code,
    title: course.title[locale],
  };
  switch (outcome.status) {
    case 'confirmed': {
      turn.emit({
        type: 'family_enrolled',
        course: course.code,
        relation: member.relation,
        status: 'confirmed',
      });
      const s = course.nextSession;
      const first = s
        ? t('enrol:family.done.firstClass', {
            when: formatSessionTime(s.startsAt, locale, services.timezone),
            venue: s.venue[locale],
          })
        : '';
      turn.say(
        `${t('enrol:family.done.confirmed', params)}${first}\n${t('enrol:family.done.reminders')}`,
        mainMenu(t),
      );
      return;
    }
    case 'waitlisted':
      turn.emit({
        type: 'family_enrolled',
        course: course.code,
        relation: member.relation,
        status: 'waitlisted',
      });
      turn.say(t('enrol:family.done.waitlisted', { ...params, position: outcome.position }), mainMenu(t));
      return;
    case 'already':
      turn.say(t('enrol:family.done.already', params), mainMenu(t));
      return;
    case 'closed':
      turn.say(t('enrol:done.closed', { code: course.code, title: params.title }), mainMenu(t));
      return;
    case 'not_found':
      turn.say(t('enrol:course.notFound', { code: course.code }), mainMenu(t));
  }
}
