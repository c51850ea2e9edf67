import type { SessionRef } from '../../outreach-ports';
import { formatSessionTime } from '../format-time';
import type { FlowHandler } from '../handler';
import { mainMenu } from '../main-menu';
import type { OutreachDialogServices } from '../outreach-services';
import type { DialogServices } from '../services';
import type { ChoiceOption } from '../session';
import type { Turn } from '../turn';

/** The flow a reminder's choices point at; the outbound worker stores them as the person's current choices. */
export const REMINDER_FLOW = 'reminder';

/** Choice values a reminder carries: "cant:<enrolmentId>:<sessionId>" and "ok:<enrolmentId>:<sessionId>". */
export function reminderChoices(t: Turn['t'], ref: SessionRef): ChoiceOption[] {
  const value = (what: string) => `${what}:${ref.enrolmentId}:${ref.sessionId}`;
  return [
    { label: t('reminders:cantCome'), action: { type: 'flow', flow: REMINDER_FLOW, value: value('cant') } },
    { label: t('reminders:coming'), action: { type: 'flow', flow: REMINDER_FLOW, value: value('ok') } },
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
export function reminderReplyFlow(services: DialogServices, outreach: OutreachDialogServices): FlowHandler {
  return {
    name: REMINDER_FLOW,
    async handle(turn, input) {
      const { what, ref } = parseValue(input.value);
      if (what === 'ok') {
        turn.endFlow();
        turn.say(turn.t('reminders:reply.coming'));
        return;
      }
      if (what === 'cant' && ref) return ask(turn, ref);
      const data = turn.flow?.step === 'choose' ? turn.flow.data : undefined;
      if (!data || !input.value) return 'pass';
      const saved = { enrolmentId: String(data['enrolmentId']), sessionId: String(data['sessionId']) };
      const when = String(data['when'] ?? '');
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
        const code = String(data['code']);
        const outcome = await services.enrolments.cancel(turn.person.id, code);
        if (outcome.status === 'not_enrolled') {
          turn.say(turn.t('reminders:reply.notFound'), mainMenu(turn.t));
          return;
        }
        turn.emit({ type: 'cancelled', course: outcome.course });
        if (outcome.promoted)
          turn.emit({ type: 'promoted', course: outcome.course, person: outcome.promoted.personId });
        turn.say(turn.t('enrol:cancel.done', { code: outcome.course }), mainMenu(turn.t));
        return;
      }
      return 'pass';
    },
  };

  async function ask(turn: Turn, ref: SessionRef): Promise<void> {
    const context = await outreach.attendance.describe(turn.person.id, ref);
    if (context?.enrolmentStatus !== 'confirmed') {
      turn.endFlow();
      turn.say(turn.t('reminders:reply.notFound'), mainMenu(turn.t));
      return;
    }
    const when = formatSessionTime(context.startsAt, turn.locale, services.timezone);
    turn.startFlow(REMINDER_FLOW, 'choose', { ...ref, code: context.course.code, when });
    const option = (label: string, what: string): ChoiceOption => ({
      label: turn.t(label),
      action: { type: 'flow', flow: REMINDER_FLOW, value: what },
    });
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
