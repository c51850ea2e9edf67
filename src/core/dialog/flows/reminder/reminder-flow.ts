import { z } from 'zod';
import type { SessionRef } from '../../../outreach-ports';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { formatSessionTime } from '../../format-time';
import type { TurnGate } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { OutreachDialogServices } from '../../outreach-services';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { cancelAndTell } from '../cancel/cancel-flow';

/** The flow a reminder's choices point at; the outbound worker stores them as the person's current choices. */
const reminder = defineFlow({
  name: 'reminder',
  version: 1,
  steps: {
    /** "Cancel the sign-up, miss just this class, or never mind?" about one class of one sign-up. */
    choose: z.object({
      enrolmentId: z.string(),
      sessionId: z.string(),
      code: z.string(),
      when: z.string(),
      /** A family member's class, answered by their proxy. */
      memberId: z.string().optional(),
    }),
  },
});

/** Choice values a reminder carries: "cant:<enrolmentId>:<sessionId>" and "ok:<enrolmentId>:<sessionId>". */
export function reminderChoices(t: Turn['t'], ref: SessionRef): ChoiceOption[] {
  const value = (what: string) => `${what}:${ref.enrolmentId}:${ref.sessionId}`;
  return [
    reminder.choice(t('reminders:cantCome'), value('cant')),
    reminder.choice(t('reminders:coming'), value('ok')),
  ];
}

/** "来不了", "我请个假", "这次去不了", "can't come": not coming to the class a reminder was about. */
const TYPED_LEAVE =
  /^(我|这次|今天|明天|那天)?.{0,4}(来不了|去不了|上不了|不能来|不能去|来不成|去不成|请假|请个假|请一天假)|^(sorry,? )?(i )?(can'?t|cannot|won'?t be able to) (come|make it|attend)|^(i need (a )?)?(day off|leave)/iu;
/** Giving up the sign-up altogether is not leave: the reminder's own choices handle that. */
const CANCEL_WORDS = /取消|退课|退班|不学了|不报了|cancel|withdraw/iu;

const squash = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');

/** The class a reminder's "can't come" choice is about, when those are the choices last offered. */
function reminderRef(choices: ChoiceOption[]): SessionRef | undefined {
  for (const c of choices) {
    if (c.action.type !== 'flow' || c.action.flow !== 'reminder') continue;
    const { what, ref } = parseValue(c.action.value);
    if (what === 'cant' && ref) return ref;
  }
  return undefined;
}

function parseValue(value: string | undefined): { what: string; ref?: SessionRef } {
  const [what = '', enrolmentId, sessionId] = (value ?? '').split(':');
  return { what, ref: enrolmentId && sessionId ? { enrolmentId, sessionId } : undefined };
}

/**
 * "I can't come" from a reminder: cancel the whole sign-up (the seat goes to the next person waiting), or
 * miss just this class and tell the coordinator. Only ever entered through a reminder's choices.
 */
export function reminderModule(services: DialogServices, outreach: OutreachDialogServices): DialogModule {
  const flow = reminder.handler({
    async handle(turn, state, input) {
      const { what, ref } = parseValue(input.value);
      if (what === 'ok') {
        turn.endFlow();
        turn.say(turn.t('reminders:reply.coming'));
        return;
      }
      if (what === 'cant' && ref) return ask(turn, ref);
      if (!state || !input.value) return 'pass';
      const { enrolmentId, sessionId, code, when } = state.data;
      const saved = { enrolmentId, sessionId };
      turn.endFlow();
      if (what === 'keep') {
        turn.say(turn.t('reminders:reply.kept'));
        return;
      }
      if (what === 'absent') return absent(turn, saved, when);
      if (what === 'cancel') {
        const { memberId } = state.data;
        const member = memberId ? await services.family?.member(turn.person.id, memberId) : undefined;
        if (memberId && !member) {
          turn.say(turn.t('reminders:reply.notFound'), mainMenu(turn.t));
          return;
        }
        await cancelAndTell(turn, services, code, 'reminders:reply.notFound', member);
        return;
      }
      return 'pass';
    },
  });
  /**
   * "来不了", "请假" typed (not pressed) in answer to a class reminder: leave for that class, recorded and told
   * to the coordinators, as "only this class" would be. The reminder's choices are still the session's.
   */
  const gate: TurnGate = async (turn) => {
    if (turn.msg.choiceIndex !== undefined) return false;
    const ref = reminderRef(turn.session.choices);
    if (!ref || !TYPED_LEAVE.test(turn.text.trim()) || CANCEL_WORDS.test(turn.text)) return false;
    const cantLabel = turn.session.choices.find(
      (c) => c.action.type === 'flow' && c.action.value.startsWith('cant:'),
    );
    if (cantLabel && squash(cantLabel.label) === squash(turn.text)) return false;
    const context = await outreach.attendance.describe(turn.person.id, ref);
    turn.intent = 'flow.reminder';
    turn.endFlow();
    if (context?.enrolmentStatus !== 'confirmed') {
      turn.say(turn.t('reminders:reply.notFound'), mainMenu(turn.t));
      return true;
    }
    await absent(turn, ref, formatSessionTime(context.startsAt, turn.locale, services.timezone));
    return true;
  };
  return { flows: [flow], gate };

  /** Just this class: leave recorded for it (the coordinator's roster shows it) and the coordinators told. */
  async function absent(turn: Turn, ref: SessionRef, when: string): Promise<void> {
    turn.endFlow();
    const outcome = await outreach.attendance.reportAbsence(turn.person.id, ref);
    if (outcome.status === 'not_found') {
      turn.say(turn.t('reminders:reply.notFound'), mainMenu(turn.t));
      return;
    }
    await services.leave?.record(ref.enrolmentId, ref.sessionId, undefined);
    if (outcome.coordinators === 0) {
      turn.say(turn.t('reminders:reply.noCoordinator', { when, phone: services.handoffPhone }));
    } else {
      turn.say(turn.t('reminders:reply.notified', { when }));
    }
  }

  async function ask(turn: Turn, ref: SessionRef): Promise<void> {
    const context = await outreach.attendance.describe(turn.person.id, ref);
    if (context?.enrolmentStatus !== 'confirmed') {
      turn.endFlow();
      turn.say(turn.t('reminders:reply.notFound'), mainMenu(turn.t));
      return;
    }
    const when = formatSessionTime(context.startsAt, turn.locale, services.timezone);
    reminder.start(turn, 'choose', { ...ref, code: context.course.code, when, memberId: context.memberId });
    const option = (label: string, what: string): ChoiceOption => reminder.choice(turn.t(label), what);
    turn.say(
      turn.t('reminders:reply.ask', {
        code: context.course.code,
        title: context.course.title[turn.locale],
        when,
      }),
      [
        option('reminders:reply.cancelAll', 'cancel'),
        option('reminders:reply.justThis', 'absent'),
        option('reminders:reply.never', 'keep'),
      ],
    );
  }
}
