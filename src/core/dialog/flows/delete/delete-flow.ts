import { z } from 'zod';
import { erasePerson } from '../../../people/erase-person';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { mainMenu } from '../../main-menu';
import type { OutreachDialogServices } from '../../outreach-services';
import type { DialogServices } from '../../services';

const deletion = defineFlow({ name: 'delete', version: 1, steps: { confirm: z.object({}) } });

/**
 * PIPL deletion: after a confirmation, cancels the person's current sign-ups (promoting whoever waits) and
 * wipes their personal data; an anonymous row keeps attendance counts honest.
 */
export function deleteModule(services: DialogServices, outreach?: OutreachDialogServices): DialogModule {
  const flow = deletion.handler({
    async handle(turn, _state, input) {
      const yes = input.value === 'yes' || /^(确定|确认|删除|是|yes|y)$/i.test(input.text.trim());
      const no =
        input.value === 'no' ||
        /^(不|否|不删除|不删|不删了|不要删|别删|不用了|不用|不要|no|n)[。.!！]?$/i.test(input.text.trim());
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
  });
  return {
    flows: [flow],
    intents: {
      'privacy.delete'(turn) {
        deletion.start(turn, 'confirm', {});
        turn.say(turn.t('enrol:delete.confirm'), [
          deletion.choice(turn.t('enrol:delete.yes'), 'yes'),
          deletion.choice(turn.t('enrol:delete.no'), 'no'),
        ]);
      },
    },
  };
}
