import { erasePerson } from '../../people/erase-person';
import type { FlowHandler, IntentHandler } from '../handler';
import { mainMenu } from '../main-menu';
import type { OutreachDialogServices } from '../outreach-services';
import type { DialogServices } from '../services';

const FLOW = 'delete';

/**
 * PIPL deletion: after a confirmation, cancels the person's current sign-ups (promoting whoever waits) and
 * wipes their personal data; an anonymous row keeps attendance counts honest.
 */
export function deleteData(
  services: DialogServices,
  outreach?: OutreachDialogServices,
): { intent: IntentHandler; flow: FlowHandler } {
  return {
    intent(turn) {
      turn.startFlow(FLOW, 'confirm');
      turn.say(turn.t('enrol:delete.confirm'), [
        { label: turn.t('enrol:delete.yes'), action: { type: 'flow', flow: FLOW, value: 'yes' } },
        { label: turn.t('enrol:delete.no'), action: { type: 'flow', flow: FLOW, value: 'no' } },
      ]);
    },
    flow: {
      name: FLOW,
      async handle(turn, input) {
        const yes = input.value === 'yes' || /^(确定|确认|删除|是|yes|y)$/i.test(input.text.trim());
        const no = input.value === 'no' || /^(不|否|不删除|no|n)$/i.test(input.text.trim());
        if (!yes && !no) return 'pass';
        turn.endFlow();
        if (no) {
          turn.say(turn.t('enrol:delete.kept'), mainMenu(turn.t));
          return;
        }
        const outcomes = await erasePerson(services, turn.person.id, turn.now);
        for (const outcome of outcomes) {
          turn.emit({ type: 'cancelled', course: outcome.course });
          if (outcome.promoted)
            turn.emit({ type: 'promoted', course: outcome.course, person: outcome.promoted.personId });
        }
        // The record that it was asked for and done, as for a deletion from the console: ids and counts only.
        await outreach?.coordination.audit(turn.person.id, 'person.deleted', undefined, {
          personId: turn.person.id,
          cancelled: outcomes.length,
          promoted: outcomes.filter((o) => o.promoted).length,
          requestedBy: 'self',
          method: 'chat',
          recordedAt: turn.now.toISOString(),
        });
        turn.emit({ type: 'data_deleted' });
        turn.say(turn.t('enrol:delete.done'));
      },
    },
  };
}
