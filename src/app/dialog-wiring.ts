import { broadcastFlow } from '../core/dialog/flows/broadcast-flow';
import { cancelEnrolment } from '../core/dialog/flows/cancel-flow';
import { deleteData } from '../core/dialog/flows/delete-flow';
import { enrolFlow } from '../core/dialog/flows/enrol-flow';
import { reminderReplyFlow } from '../core/dialog/flows/reminder-reply-flow';
import type { FlowHandler, IntentHandler } from '../core/dialog/handler';
import { basicIntents } from '../core/dialog/intents/basic-intents';
import { coordinatorIntents } from '../core/dialog/intents/coordinator-intents';
import { courseChosen, enrolStart } from '../core/dialog/intents/course-detail';
import { courseSearch, profileReset } from '../core/dialog/intents/course-search';
import { enrolList } from '../core/dialog/intents/enrol-list';
import { policyIntents } from '../core/dialog/intents/policy-intents';
import type { OutreachDialogServices } from '../core/dialog/outreach-services';
import type { DialogServices } from '../core/dialog/services';
import type { Knowledge } from './knowledge';

/** Every intent handler and flow of the bot, keyed as the engine dispatches them. */
export function buildDialog(
  knowledge: Knowledge,
  services: DialogServices,
  outreach?: OutreachDialogServices,
): { intents: Record<string, IntentHandler>; flows: FlowHandler[] } {
  const search = courseSearch(services);
  const cancel = cancelEnrolment(services);
  const deletion = deleteData(services, outreach);
  const intents: Record<string, IntentHandler> = {
    ...basicIntents({
      handoffPhone: services.handoffPhone,
      updateLocale: async (personId, locale) => {
        await services.people.updateProfile(personId, { locale });
      },
    }),
    ...policyIntents(knowledge.policy, services),
    'course.search': search.intent,
    'profile.reset': profileReset(services),
    'choice.course': courseChosen(services),
    'enrol.start': enrolStart(services, search.intent),
    'enrol.list': enrolList(services),
    'enrol.cancel': cancel.intent,
    'privacy.delete': deletion.intent,
  };
  const flows = [search.flow, enrolFlow(services), cancel.flow, deletion.flow];
  if (outreach) {
    // Coordinators (invites, notices, delivery reports) and answers to reminders.
    const broadcast = broadcastFlow(outreach);
    Object.assign(intents, coordinatorIntents(services, outreach), { 'broadcast.send': broadcast.intent });
    flows.push(broadcast.flow, reminderReplyFlow(services, outreach));
  }
  return { intents, flows };
}
