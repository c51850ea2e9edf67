import type { EnrolmentView } from '../../ports';
import { findCourseCode } from '../course-code';
import type { FlowHandler, IntentHandler } from '../handler';
import { mainMenu } from '../main-menu';
import type { DialogServices } from '../services';
import type { Turn } from '../turn';

const FLOW = 'cancel';

/** Cancelling a sign-up: pick the course if there are several, confirm, then free the seat. */
export function cancelEnrolment(services: DialogServices): { intent: IntentHandler; flow: FlowHandler } {
  function confirm(turn: Turn, e: EnrolmentView): void {
    turn.startFlow(FLOW, 'confirm', { code: e.course.code });
    turn.say(turn.t('enrol:cancel.confirm', { code: e.course.code, title: e.course.title[turn.locale] }), [
      { label: turn.t('enrol:cancel.yes'), action: { type: 'flow', flow: FLOW, value: 'yes' } },
      { label: turn.t('enrol:cancel.no'), action: { type: 'flow', flow: FLOW, value: 'no' } },
    ]);
  }

  return {
    async intent(turn) {
      const active = (await services.enrolments.listActive(turn.person.id, turn.now)).filter(
        (e) => e.status !== 'attended',
      );
      if (!active.length) {
        turn.say(turn.t('enrol:cancel.none'), mainMenu(turn.t));
        return;
      }
      const code = findCourseCode(turn.text);
      const named = active.find((e) => e.course.code === code);
      if (named || active.length === 1) return confirm(turn, named ?? active[0]!);
      turn.startFlow(FLOW, 'pick');
      turn.say(
        turn.t('enrol:cancel.pick'),
        active.map((e) => ({
          label: turn.t('enrol:suggest.choice', { code: e.course.code, title: e.course.title[turn.locale] }),
          action: { type: 'flow', flow: FLOW, value: e.course.code },
        })),
      );
    },
    flow: {
      name: FLOW,
      async handle(turn, input) {
        const step = turn.flow?.step;
        if (step === 'pick') {
          const code = input.value ?? findCourseCode(input.text);
          const active = await services.enrolments.listActive(turn.person.id, turn.now);
          const chosen = active.find((e) => e.course.code === code);
          if (!chosen) return 'pass';
          return confirm(turn, chosen);
        }
        const yes = input.value === 'yes' || /^(确定|确认|是|对|好|yes|y)$/i.test(input.text.trim());
        const no = input.value === 'no' || /^(不|否|不取消|no|n)$/i.test(input.text.trim());
        if (!yes && !no) return 'pass';
        const code = String(turn.flow?.data['code']);
        turn.endFlow();
        if (no) {
          turn.say(turn.t('enrol:cancel.kept'), mainMenu(turn.t));
          return;
        }
        const outcome = await services.enrolments.cancel(turn.person.id, code);
        if (outcome.status === 'not_enrolled') {
          turn.say(turn.t('enrol:cancel.none'), mainMenu(turn.t));
          return;
        }
        turn.emit({ type: 'cancelled', course: outcome.course });
        if (outcome.promoted)
          turn.emit({ type: 'promoted', course: outcome.course, person: outcome.promoted.personId });
        turn.say(turn.t('enrol:cancel.done', { code: outcome.course }), mainMenu(turn.t));
      },
    },
  };
}
