import { factQuestion } from '../../../courses/course-fact-question';
import { idNumberFailureKey, validateIdNumber } from '../../../people/id-number';
import { maskIdNumber } from '../../../people/mask';
import { mobileFailureKey, normalizeMobile } from '../../../people/phone';
import type { CourseView, EnrolOutcome, FamilyMember } from '../../../ports';
import { findCourseCode } from '../../course-code';
import { rememberCourse } from '../../current-course';
import type { DialogModule } from '../../dialog-module';
import type { FlowInput } from '../../flow';
import { formatSessionTime } from '../../format-time';
import type { IntentHandler } from '../../handler';
import { mainMenu } from '../../main-menu';
import { looksLikeQuestion } from '../../question-words';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { courseChosen, enrolStart, showCourse } from './course-detail';
import { AGREE, DECLINE, NO_PHONE, nameIn, plainNameIn } from './enrol-answers';
import { ask, nextStep, type State } from './enrol-questions';
import { enrol, type FamilyData } from './enrol-steps';
import { familyStart, sayFamilyOutcome, sayRefusal, whoFor } from './family-sign-up';
import { type Refusal, signUpRefusal } from './sign-up-eligibility';

interface Answer {
  next: boolean;
  consentAt?: string;
  family?: FamilyData;
}

/**
 * Sign-up: confirm → real name → mobile → consent to collect the ID number → ID number → seat or waitlist.
 * Only what the course needs and we do not already have is asked; the ID number only for real-name
 * (subsidised) courses and only after separate consent (PIPL). The course's age limits (at its first class,
 * from the ID number's birth date) and group limits are checked before anything is stored. `search` finds a
 * course first when "I want to sign up" names none.
 *
 * For a family member ("帮我女儿报名") the same steps ask the proxy for the member's details (phone optional),
 * the member is recorded with the relationship, and a minor at the course start needs the guardian's consent.
 */
export function enrolModule(services: DialogServices, search: IntentHandler): DialogModule {
  /** The family member a sign-up is for, if it is for one who has been recorded (and is this proxy's). */
  const memberOf = async (turn: Turn, family: FamilyData | undefined) =>
    family?.memberId ? services.family?.member(turn.person.id, family.memberId) : undefined;

  async function advance(turn: Turn, course: CourseView, family?: FamilyData, consentAt?: string) {
    const member = await memberOf(turn, family);
    if (family?.memberId && !member) {
      turn.endFlow();
      turn.say(turn.t('enrol:family.memberGone'), mainMenu(turn.t));
      return;
    }
    const candidate = member
      ? { ...member, county: member.county ?? family?.county }
      : family
        ? { groups: [], county: family.county }
        : turn.person;
    const refusal =
      signUpRefusal(course, candidate, turn.now, services.timezone) ??
      (await missingPrerequisites(turn, course, family ? member?.id : turn.person.id, Boolean(family)));
    if (refusal) return sayRefusal(turn, refusal, member, family?.relation);
    const step = nextStep(turn, course, services.timezone, family, member, consentAt);
    if (step === 'done') return member ? finishFamily(turn, course, member) : finish(turn, course);
    const code = course.code;
    if (step === 'id_number' && consentAt) enrol.start(turn, step, { code, family, consentAt });
    else if (step !== 'id_number') enrol.start(turn, step, { code, family });
    ask(turn, course, services.timezone, step, family, member);
  }

  /**
   * A course that requires another one first: the required courses with no completion on record (a person
   * not recorded yet has none). Checked before anything is collected; staff check certificates from elsewhere.
   */
  async function missingPrerequisites(
    turn: Turn,
    course: CourseView,
    personId: string | undefined,
    forMember: boolean,
  ): Promise<Refusal | undefined> {
    const required = course.prerequisiteCourseCodes ?? [];
    if (!required.length || !services.completions || (!personId && !forMember)) return undefined;
    const done = personId ? await services.completions.completedCodes(personId, required) : [];
    const missing = required.filter((code) => !done.includes(code.toUpperCase()));
    if (!missing.length) return undefined;
    const names = await Promise.all(
      missing.map(async (code) => {
        const c = await services.catalog.findByCode(code, turn.now);
        return c
          ? turn.t('enrol:courseRef', { code: c.code, title: c.title[turn.locale] })
          : turn.t('enrol:codeRef', { code });
      }),
    );
    return { reason: 'prerequisite', courses: names };
  }

  async function finish(turn: Turn, course: CourseView): Promise<void> {
    const outcome = await services.enrolments.enrol(turn.person.id, course.code);
    turn.endFlow();
    sayOutcome(turn, services, course, outcome);
  }

  /** The member takes the seat (seats are counted per person enrolled), the proxy is told. */
  async function finishFamily(turn: Turn, course: CourseView, member: FamilyMember): Promise<void> {
    const outcome = await services.enrolments.enrol(member.id, course.code, 'family');
    turn.endFlow();
    sayFamilyOutcome(turn, services, course, member, outcome);
  }

  const declined = (turn: Turn, member: FamilyMember | undefined) => {
    turn.endFlow();
    turn.say(
      member
        ? turn.t('enrol:family.idDeclined', { who: whoFor(turn, member.relation, member) })
        : turn.t('people:consent.idNumber.declined'),
      mainMenu(turn.t),
    );
  };

  /** The answer to the current question: next to go on, or not when the turn has said what it needed. */
  async function answer(
    turn: Turn,
    state: Exclude<State, { step: 'pick' }>,
    input: FlowInput,
    course: CourseView,
    member: FamilyMember | undefined,
  ): Promise<Answer | 'pass'> {
    const { t } = turn;
    const stop = { next: false };
    const { family } = state.data;
    const text = input.text.trim();
    // "在哪里上课", "我报名的课程" where a name, a number or a yes/no is asked: answered as what it is, not
    // taken for a wrong answer and the same question asked again. The details given so far are kept.
    const countyGiven = state.step === 'county' && Boolean(input.understanding.slots.county);
    if (state.step !== 'confirm' && !countyGiven && asksSomethingElse(input, state.step === 'name'))
      return 'pass';
    switch (state.step) {
      case 'confirm':
        // Names, phones and ID numbers are never collected in a group chat where everyone can read them.
        if (turn.msg.isGroup) {
          turn.endFlow();
          turn.say(t('enrol:privateOnly'));
          return stop;
        }
        if (input.value === 'yes' || /^(好|是|对|要|报名|确定|确认|嗯|yes|y|ok|sure)$/i.test(text))
          return { next: true };
        // "我要报名", "sign up", "I want to sign up" about the course on screen (not naming another one).
        if (input.understanding.intent === 'enrol.start' && !findCourseCode(text)) return { next: true };
        // "Not her, someone else": the member on record is not the one; ask for the new one's details.
        if (input.value === 'other' && family) return { next: true, family: { relation: family.relation } };
        if (input.value === 'no') {
          turn.endFlow();
          turn.say(t('common:flowCancelled'), mainMenu(t));
          return stop;
        }
        // "王小红" typed instead of pressing 报名这个班 for a family member: yes, and that is their name.
        if (family && services.family && !input.value) {
          const name = typedMemberName(input);
          if (!name) return 'pass';
          if (member?.realName === name) return { next: true };
          const added = await services.family.addMember(
            turn.person.id,
            family.relation,
            name,
            turn.locale,
            turn.now,
          );
          return { next: true, family: { relation: family.relation, memberId: added.id } };
        }
        return 'pass';
      case 'name': {
        const name = nameIn(input.text);
        if (!name) {
          turn.say(t(family ? 'enrol:family.invalidName' : 'enrol:invalid.name'));
          return stop;
        }
        if (family && services.family) {
          const added = await services.family.addMember(
            turn.person.id,
            family.relation,
            name,
            turn.locale,
            turn.now,
          );
          if (family.county) await services.people.updateProfile(added.id, { county: family.county });
          return { next: true, family: { ...family, memberId: added.id } };
        }
        turn.person = await services.people.updateProfile(turn.person.id, {
          realName: name,
          profileConsentAt: turn.now,
        });
        return { next: true };
      }
      case 'phone': {
        if (family && (input.value === 'skip' || NO_PHONE.test(text)))
          return { next: true, family: { ...family, phoneAsked: true } };
        const phone = normalizeMobile(input.understanding.slots.phone ?? input.text);
        if (!phone.ok) {
          turn.say(t(mobileFailureKey(phone.reason)));
          return stop;
        }
        const subject = member?.id ?? turn.person.id;
        const updated = await services.people.updateProfile(subject, {
          phone: phone.value,
          profileConsentAt: turn.now,
        });
        if (!member) turn.person = updated;
        return { next: true, family: family && { ...family, phoneAsked: true } };
      }
      case 'id_consent':
        if (input.value === 'yes' || AGREE.test(text))
          return { next: true, consentAt: turn.now.toISOString() };
        if (input.value === 'no' || /^不$/.test(text) || DECLINE.test(text)) {
          declined(turn, member);
          return stop;
        }
        ask(turn, course, services.timezone, 'id_consent', family, member);
        return stop;
      case 'id_number': {
        // Changed their mind after agreeing: no "wrong number of digits" for a "no".
        if (!input.understanding.slots.idNumber && DECLINE.test(text)) {
          declined(turn, member);
          return stop;
        }
        const checked = validateIdNumber(input.understanding.slots.idNumber ?? input.text, turn.now);
        if (!checked.ok) {
          turn.say(t(idNumberFailureKey(checked.reason)));
          return stop;
        }
        // Too young or too old by the ID number: said before the number is stored, and it is not stored.
        const candidate = { birthDate: checked.birthDate, groups: (member ?? turn.person).groups };
        const refusal = signUpRefusal(course, candidate, turn.now, services.timezone);
        if (refusal) {
          sayRefusal(turn, refusal, member);
          return stop;
        }
        const consentAt = new Date(state.data.consentAt);
        // The same answer whether or not the number is registered to someone else: telling would let anyone
        // test whose number is on file. A clash is recorded for staff, and this sign-up goes on as any other.
        const claimed = await services.people.claimIdNumber(
          member?.id ?? turn.person.id,
          checked.value,
          consentAt,
          course.code,
        );
        const masked = maskIdNumber(checked.value);
        if (!member)
          turn.person = {
            ...turn.person,
            hasIdNumber: true,
            maskedIdNumber: masked,
            birthDate: checked.birthDate,
          };
        // Already on someone else's record (signed up before from another account, or by a relative): said,
        // masked, with what happens next; the sign-up goes on and the menu after it offers a person.
        turn.say(t(claimed === 'clash' ? 'people:idNumber.clash' : 'people:idNumber.saved', { masked }));
        return { next: true };
      }
      case 'county': {
        const own = turn.person.county;
        const county = input.value === 'same' && own ? own : input.understanding.slots.county;
        if (!county) {
          ask(turn, course, services.timezone, 'county', family, member);
          return stop;
        }
        if (family) {
          if (member) await services.people.updateProfile(member.id, { county });
          return { next: true, family: { ...family, county } };
        }
        turn.person = await services.people.updateProfile(turn.person.id, { county });
        return { next: true };
      }
      case 'guardian': {
        if (!member || !services.family) return 'pass';
        if (input.value === 'yes' || AGREE.test(text)) {
          await services.family.recordGuardianConsent(turn.person.id, member.id, course.code, turn.now);
          await finishFamily(turn, course, member);
          return stop;
        }
        if (input.value === 'no' || /^不$/.test(text) || DECLINE.test(text)) {
          turn.endFlow();
          turn.say(
            t('enrol:family.guardianDeclined', { who: whoFor(turn, member.relation, member) }),
            mainMenu(t),
          );
          return stop;
        }
        ask(turn, course, services.timezone, 'guardian', family, member);
        return stop;
      }
    }
  }

  const flow = enrol.handler({
    async handle(turn, state, input) {
      if (!state) return 'pass';
      if (state.step === 'pick') {
        const code = input.value ?? findCourseCode(input.text);
        if (!code) return 'pass';
        return showCourse(turn, services, code, state.data.family);
      }
      const { code, family } = state.data;
      const course = await services.catalog.findByCode(code, turn.now);
      if (!course) {
        turn.endFlow();
        turn.say(turn.t('enrol:course.notFound', { code }), mainMenu(turn.t));
        return;
      }
      // A sign-up started in private stays there: what a group reads never fills it in.
      if (turn.msg.isGroup && state.step !== 'confirm') {
        turn.say(turn.t('enrol:privateOnly'));
        return;
      }
      const member = await memberOf(turn, family);
      const result = await answer(turn, state, input, course, member);
      if (result === 'pass') return 'pass';
      const consentAt = result.consentAt ?? (state.step === 'id_number' ? state.data.consentAt : undefined);
      if (result.next && turn.flow) await advance(turn, course, result.family ?? family, consentAt);
    },
    onCancel(turn) {
      turn.say(turn.t('enrol:cancelledFlow'), mainMenu(turn.t));
    },
  });

  const start = enrolStart(services, search);
  return {
    flows: [flow],
    intents: {
      'choice.course': courseChosen(services),
      async 'enrol.start'(turn, u) {
        const relation = u.slots.relation;
        if (!relation || !services.family) return start(turn, u);
        // The one member of that relationship already recorded is offered again (with "someone else").
        const known = (await services.family.members(turn.person.id)).filter((m) => m.relation === relation);
        return familyStart(turn, services, u, known.length === 1 ? known[0] : undefined);
      },
    },
  };
}

/** A family member's name typed at the course's "sign up?" question; never a question about the course. */
/** A question or request of its own instead of the asked-for detail (no name, phone or ID number in it). */
function asksSomethingElse(input: FlowInput, nameAsked: boolean): boolean {
  const { intent, confidence, slots } = input.understanding;
  if (slots.phone || slots.idNumber || input.value !== undefined) return false;
  if (factQuestion(input.text).length) return true;
  if (confidence < 0.75 || STAYS_IN_SIGN_UP.has(intent)) return false;
  // Where a name is asked, only a question leaves: a name can read like anything else.
  return !nameAsked || looksLikeQuestion(input.text);
}

/** Intents a sign-up answer is often mistaken for ("好的", "报名", a bare name). */
const STAYS_IN_SIGN_UP = new Set<string>(['unknown', 'enrol.start', 'greeting', 'course.search', 'ack']);

function typedMemberName(input: FlowInput): string | undefined {
  const { intent, confidence } = input.understanding;
  if (
    factQuestion(input.text).length ||
    (confidence >= 0.75 && intent !== 'unknown' && intent !== 'enrol.start')
  )
    return undefined;
  return plainNameIn(input.text);
}

export function sayOutcome(
  turn: Turn,
  services: DialogServices,
  course: CourseView,
  outcome: EnrolOutcome,
): void {
  const { t, locale } = turn;
  const title = course.title[locale];
  // Follow-ups ("在哪上课", "要带什么") are about the course just signed up for.
  if (outcome.status !== 'closed' && outcome.status !== 'not_found')
    rememberCourse(turn, course.code, 'enrolled');
  switch (outcome.status) {
    case 'confirmed': {
      turn.emit({ type: 'enrolled', course: course.code });
      const s = course.nextSession;
      turn.say(
        s
          ? t('enrol:done.confirmed', {
              code: course.code,
              title,
              when: formatSessionTime(s.startsAt, locale, services.timezone),
              venue: s.venue[locale],
            })
          : t('enrol:done.confirmedNoSession', { code: course.code, title }),
        mainMenu(t),
      );
      return;
    }
    case 'waitlisted':
      turn.emit({ type: 'waitlisted', course: course.code, position: outcome.position });
      turn.say(
        t('enrol:done.waitlisted', { code: course.code, title, position: outcome.position }),
        mainMenu(t),
      );
      return;
    case 'already':
      turn.say(
        outcome.current === 'confirmed'
          ? t('enrol:done.alreadyConfirmed', { code: course.code, title })
          : t('enrol:done.alreadyWaitlisted', {
              code: course.code,
              title,
              position: outcome.position ?? '?',
            }),
        mainMenu(t),
      );
      return;
    case 'closed':
      turn.say(t('enrol:done.closed', { code: course.code, title }), mainMenu(t));
      return;
    case 'not_found':
      turn.say(t('enrol:course.notFound', { code: course.code }), mainMenu(t));
  }
}
