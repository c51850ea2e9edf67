import { idNumberFailureKey, validateIdNumber } from '../../../people/id-number';
import { maskIdNumber } from '../../../people/mask';
import { mobileFailureKey, normalizeMobile } from '../../../people/phone';
import type { CourseView, EnrolOutcome } from '../../../ports';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import type { FlowInput, FlowStep } from '../../flow';
import { formatSessionTime } from '../../format-time';
import type { IntentHandler } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { courseChosen, enrolStart } from './course-detail';
import { enrol } from './enrol-steps';

type State = FlowStep<(typeof enrol)['steps']>;
type Step = State['step'];
const ASK: Record<'name' | 'phone' | 'id_number', string> = {
  name: 'enrol:ask.name',
  phone: 'people:phone.ask',
  id_number: 'people:idNumber.ask',
};
const NAME = /^[\p{Script=Han}·•]{2,12}$|^[A-Za-z][A-Za-z .'-]{1,59}$/u;
/**
 * Words of a sentence, not of a name: "培训要钱吗", "我不想报了", "你好", "怎么报名" are not what someone is called.
 * Only particles, question words and whole words, never single characters that are also in names (李想, 张培华,
 * 王好, 钱有福) or English words that begin names ("My Linh", "I Made").
 */
const NOT_A_NAME =
  /[吗呢吧啊呀嘛哦嗯您么怎什哪谁]|培训|报名|不想|不要|不报|不用|怎么|什么|你好|谢谢|请问|多少|知道|可以|^(hello|hi|yes|no|ok|okay|thanks|thank you)$/iu;
/** Saying no to giving the ID number, in other words than the consent buttons. */
const DECLINE =
  /^(那|那我|我|我还是)?(不同意|不想|不要|不给|不愿意|算了|不报了|不提供|没有身份证)|^(no\b|don'?t|i don'?t want|i'd rather not)/i;

/**
 * Sign-up: confirm → real name → mobile → consent to collect the ID number → ID number → seat or waitlist.
 * Only what the course needs and we do not already have is asked; the ID number only for real-name
 * (subsidised) courses and only after separate consent (PIPL). `search` finds a course first when "I want to
 * sign up" names none.
 */
export function enrolModule(services: DialogServices, search: IntentHandler): DialogModule {
  const consentChoices = (turn: Turn): ChoiceOption[] => [
    enrol.choice(turn.t('people:consent.idNumber.yes'), 'yes'),
    enrol.choice(turn.t('people:consent.idNumber.no'), 'no'),
  ];

  function nextStep(turn: Turn, course: CourseView, consentAt?: string): Exclude<Step, 'confirm'> | 'done' {
    const p = turn.person;
    if (course.realNameRequired && !p.realName) return 'name';
    if (!p.phone) return 'phone';
    if (course.realNameRequired && !p.hasIdNumber) return consentAt ? 'id_number' : 'id_consent';
    return 'done';
  }

  async function advance(turn: Turn, course: CourseView, consentAt?: string): Promise<void> {
    const step = nextStep(turn, course, consentAt);
    if (step === 'done') return finish(turn, course);
    const code = course.code;
    if (step === 'id_number' && consentAt) enrol.start(turn, step, { code, consentAt });
    else if (step !== 'id_number') enrol.start(turn, step, { code });
    if (step === 'id_consent') {
      turn.say(turn.t('people:consent.idNumber.request'), consentChoices(turn));
    } else {
      turn.say(turn.t(ASK[step]));
    }
  }

  async function finish(turn: Turn, course: CourseView): Promise<void> {
    const outcome = await services.enrolments.enrol(turn.person.id, course.code);
    turn.endFlow();
    sayOutcome(turn, services, course, outcome);
  }

  /** The answer to the current question: true to go on, false when the turn has said what it needed. */
  async function answer(
    turn: Turn,
    state: State,
    input: FlowInput,
    code: string,
  ): Promise<{ next: boolean; consentAt?: string } | 'pass'> {
    const { t } = turn;
    const stop = { next: false };
    switch (state.step) {
      case 'confirm':
        // Names, phones and ID numbers are never collected in a group chat where everyone can read them.
        if (turn.msg.isGroup) {
          turn.endFlow();
          turn.say(t('enrol:privateOnly'));
          return stop;
        }
        if (
          input.value === 'yes' ||
          /^(好|是|对|要|报名|确定|确认|嗯|yes|y|ok|sure)$/i.test(input.text.trim())
        )
          return { next: true };
        if (input.value === 'no') {
          turn.endFlow();
          turn.say(t('common:flowCancelled'), mainMenu(t));
          return stop;
        }
        return 'pass';
      case 'name': {
        const name = input.text.trim().replace(/^(我叫|我是|名字是|姓名[:：]?|my name is|i am|i'm)\s*/i, '');
        if (!NAME.test(name) || NOT_A_NAME.test(name)) {
          turn.say(t('enrol:invalid.name'));
          return stop;
        }
        turn.person = await services.people.updateProfile(turn.person.id, {
          realName: name,
          profileConsentAt: turn.now,
        });
        return { next: true };
      }
      case 'phone': {
        const phone = normalizeMobile(input.understanding.slots.phone ?? input.text);
        if (!phone.ok) {
          turn.say(t(mobileFailureKey(phone.reason)));
          return stop;
        }
        turn.person = await services.people.updateProfile(turn.person.id, {
          phone: phone.value,
          profileConsentAt: turn.now,
        });
        return { next: true };
      }
      case 'id_consent':
        if (input.value === 'yes' || /^(同意|好|可以|yes|agree|ok)$/i.test(input.text.trim())) {
          return { next: true, consentAt: turn.now.toISOString() };
        }
        if (input.value === 'no' || /^不$/.test(input.text.trim()) || DECLINE.test(input.text.trim())) {
          turn.endFlow();
          turn.say(t('people:consent.idNumber.declined'), mainMenu(t));
          return stop;
        }
        turn.say(t('people:consent.idNumber.request'), consentChoices(turn));
        return stop;
      case 'id_number': {
        // Changed their mind after agreeing: no "wrong number of digits" for a "no".
        if (!input.understanding.slots.idNumber && DECLINE.test(input.text.trim())) {
          turn.endFlow();
          turn.say(t('people:consent.idNumber.declined'), mainMenu(t));
          return stop;
        }
        const checked = validateIdNumber(input.understanding.slots.idNumber ?? input.text, turn.now);
        if (!checked.ok) {
          turn.say(t(idNumberFailureKey(checked.reason)));
          return stop;
        }
        const consentAt = new Date(state.data.consentAt);
        // The same answer whether or not the number is registered to someone else: telling would let anyone
        // test whose number is on file. A clash is recorded for staff, and this sign-up goes on as any other.
        await services.people.claimIdNumber(turn.person.id, checked.value, consentAt, code);
        turn.person = { ...turn.person, hasIdNumber: true, maskedIdNumber: maskIdNumber(checked.value) };
        turn.say(t('people:idNumber.saved', { masked: maskIdNumber(checked.value) }));
        return { next: true };
      }
    }
  }

  const flow = enrol.handler({
    async handle(turn, state, input) {
      if (!state) return 'pass';
      const { code } = state.data;
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
      const result = await answer(turn, state, input, course.code);
      if (result === 'pass') return 'pass';
      const consentAt = result.consentAt ?? (state.step === 'id_number' ? state.data.consentAt : undefined);
      if (result.next && turn.flow) await advance(turn, course, consentAt);
    },
    onCancel(turn) {
      turn.say(turn.t('enrol:cancelledFlow'), mainMenu(turn.t));
    },
  });

  return {
    flows: [flow],
    intents: { 'choice.course': courseChosen(services), 'enrol.start': enrolStart(services, search) },
  };
}

export function sayOutcome(
  turn: Turn,
  services: DialogServices,
  course: CourseView,
  outcome: EnrolOutcome,
): void {
  const { t, locale } = turn;
  const title = course.title[locale];
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
