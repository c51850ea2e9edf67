import type { CourseView, FamilyMember } from '../../../ports';
import type { ChoiceOption } from '../../chat-session';
import type { FlowStep } from '../../flow';
import type { Turn } from '../../turn';
import { enrol, type FamilyData } from './enrol-steps';
import { whoFor } from './family-sign-up';
import { ADULT_AGE, ageAtStart, countyNeeded } from './sign-up-eligibility';

export type State = FlowStep<(typeof enrol)['steps']>;
export type Ask = Exclude<State['step'], 'confirm' | 'pick'>;
const ASK: Record<Exclude<Ask, 'guardian'>, string> = {
  name: 'enrol:ask.name',
  phone: 'people:phone.ask',
  id_consent: 'people:consent.idNumber.request',
  id_number: 'people:idNumber.ask',
  county: 'enrol:ask.county',
};
/** The same questions about a family member, asked of their proxy. */
const ASK_MEMBER: Record<Ask, string> = {
  name: 'enrol:family.askName',
  phone: 'enrol:family.askPhone',
  id_consent: 'enrol:family.idConsent',
  id_number: 'enrol:family.askIdNumber',
  guardian: 'enrol:family.guardianConsent',
  county: 'enrol:family.askCounty',
};

export const yesNo = (turn: Turn, yes: string, no: string): ChoiceOption[] => [
  enrol.choice(turn.t(yes), 'yes'),
  enrol.choice(turn.t(no), 'no'),
];
export const consentChoices = (turn: Turn) =>
  yesNo(turn, 'people:consent.idNumber.yes', 'people:consent.idNumber.no');

/** The next question of a sign-up, or 'done' when everything the course needs is known. */
export function nextStep(
  turn: Turn,
  course: CourseView,
  timezone: string,
  family: FamilyData | undefined,
  member: FamilyMember | undefined,
  consentAt?: string,
): Ask | 'done' {
  const idStep = consentAt ? 'id_number' : 'id_consent';
  // Who may take a county-funded class is asked before anything else is collected, never guessed.
  if (countyNeeded(course, family ? { county: member?.county ?? family.county } : turn.person))
    return 'county';
  if (family) {
    if (!member) return 'name';
    if (!member.phone && !family.phoneAsked) return 'phone';
    if (course.realNameRequired && !member.hasIdNumber) return idStep;
    const age = ageAtStart(member, course, turn.now, timezone);
    return age !== undefined && age < ADULT_AGE ? 'guardian' : 'done';
  }
  const p = turn.person;
  if (course.realNameRequired && !p.realName) return 'name';
  if (!p.phone) return 'phone';
  if (course.realNameRequired && !p.hasIdNumber) return idStep;
  return 'done';
}

/** Asks a step's question: of the person about themselves, or of the proxy about the family member. */
export function ask(
  turn: Turn,
  course: CourseView,
  timezone: string,
  step: Ask,
  family: FamilyData | undefined,
  member: FamilyMember | undefined,
): void {
  const { t } = turn;
  const counties = (course.eligibleCounties ?? [])
    .map((c) => t(`domain:county.${c}`))
    .join(t('courses:line.listSeparator'));
  if (!family) {
    if (step !== 'guardian')
      turn.say(t(ASK[step], { counties }), step === 'id_consent' ? consentChoices(turn) : []);
    return;
  }
  // The proxy's own county is offered for the member only as a choice the proxy makes, never assumed.
  const own = turn.person.county;
  const params = {
    counties,
    own: own ? t(`domain:county.${own}`) : '',
    who: whoFor(turn, family.relation, member),
    name: member?.realName ?? '',
    code: course.code,
    title: course.title[turn.locale],
    age: (member && ageAtStart(member, course, turn.now, timezone)) ?? '',
  };
  const choices =
    step === 'phone'
      ? [enrol.choice(t('enrol:family.noPhone'), 'skip')]
      : step === 'id_consent'
        ? consentChoices(turn)
        : step === 'guardian'
          ? yesNo(turn, 'enrol:family.guardianYes', 'enrol:family.guardianNo')
          : step === 'county' && own
            ? [enrol.choice(t('enrol:family.sameCounty', { own: t(`domain:county.${own}`) }), 'same')]
            : [];
  turn.say(t(ASK_MEMBER[step], params), choices);
}
