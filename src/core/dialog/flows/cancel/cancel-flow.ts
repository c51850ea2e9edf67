import { z } from 'zod';
import type { EnrolmentView } from '../../../ports';
import { findCourseCode } from '../../course-code';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { mainMenu } from '../../main-menu';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';

const cancel = defineFlow({
  name: 'cancel',
  version: 1,
  steps: {
    /** Which of several sign-ups: the choices carry the course codes. */
    pick: z.object({}),
    confirm: z.object({ code: z.string() }),
  },
});

/**
 * Frees the person's seat in `code` (whoever waits first moves up) and says so; `notEnrolledKey` is what they are
 * told when there was no sign-up to cancel. Used by this flow and by the answer to a reminder.
 */
export async function cancelAndTell(
  turn: Turn,
  services: Pick<DialogServices, 'enrolments'>,
  code: string,
  notEnrolledKey: string,
): Promise<void> {
  const outcome = await services.enrolments.cancel(turn.person.id, code);
  if (outcome.status === 'not_enrolled') {
    turn.say(turn.t(notEnrolledKey), mainMenu(turn.t));
    return;
  }
  turn.emit({ type: 'cancelled', course: outcome.course });
  if (outcome.promoted)
    turn.emit({ type: 'promoted', course: outcome.course, person: outcome.promoted.personId });
  turn.say(turn.t('enrol:cancel.done', { code: outcome.course }), mainMenu(turn.t));
}

/** Cancelling a sign-up: pick the course if there are several, confirm, then free the seat. */
export function cancelModule(services: DialogServices): DialogModule {
  function confirm(turn: Turn, e: EnrolmentView): void {
    cancel.start(turn, 'confirm', { code: e.course.code });
    turn.say(turn.t('enrol:cancel.confirm', { code: e.course.code, title: e.course.title[turn.locale] }), [
      cancel.choice(turn.t('enrol:cancel.yes'), 'yes'),
      cancel.choice(turn.t('enrol:cancel.no'), 'no'),
    ]);
  }

  const flow = cancel.handler({
    async handle(turn, state, input) {
      if (state?.step === 'pick') {
        const code = input.value ?? findCourseCode(input.text);
        const active = await services.enrolments.listActive(turn.person.id, turn.now);
        const chosen = active.find((e) => e.course.code === code);
        if (!chosen) return 'pass';
        return confirm(turn, chosen);
      }
      if (state?.step !== 'confirm') return 'pass';
      const yes = input.value === 'yes' || /^(确定|确认|是|对|好|yes|y)$/i.test(input.text.trim());
      const no = input.value === 'no' || /^(不|否|不取消|no|n)$/i.test(input.text.trim());
      if (!yes && !no) return 'pass';
      turn.endFlow();
      if (no) {
        turn.say(turn.t('enrol:cancel.kept'), mainMenu(turn.t));
        return;
      }
      await cancelAndTell(turn, services, state.data.code, 'enrol:cancel.none');
    },
  });

  return {
    flows: [flow],
    intents: {
      async 'enrol.cancel'(turn) {
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
        cancel.start(turn, 'pick', {});
        turn.say(
          turn.t('enrol:cancel.pick'),
          active.map((e) =>
            cancel.choice(
              turn.t('enrol:suggest.choice', { code: e.course.code, title: e.course.title[turn.locale] }),
              e.course.code,
            ),
          ),
        );
      },
    },
  };
}
