import { z } from 'zod';
import type { SessionRef } from '../../../outreach-ports';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { formatSessionTime } from '../../format-time';
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
      if (what === 'absent') {
        const outcome = await outreach.attendance.reportAbsence(turn.person.id, saved);
        if (outcome.status === 'not_found') {
          turn.say(turn.t('reminders:reply.notFound'), mainMenu(turn.t));
        } else if (outcome.coordinators === 0) {
          turn.say(turn.t('reminders:reply.noCoordinator', { when, phone: services.handoffPhone }));
        } else {
          turn.say(turn.t('reminders:reply.notified', { when }));
        }
        return;
      }
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
  return { flows: [flow] };

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
