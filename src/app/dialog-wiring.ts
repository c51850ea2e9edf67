import { cancelEnrolment } from '../core/dialog/flows/cancel.flow';
import { deleteData } from '../core/dialog/flows/delete.flow';
import { enrolFlow } from '../core/dialog/flows/enrol.flow';
import type { FlowHandler, IntentHandler } from '../core/dialog/handler';
import { basicIntents } from '../core/dialog/intents/basic.intents';
import { courseChosen, enrolStart } from '../core/dialog/intents/course-detail';
import { courseSearch, profileReset } from '../core/dialog/intents/course-search';
import { enrolList } from '../core/dialog/intents/enrol-list';
import { policyIntents } from '../core/dialog/intents/policy.intents';
import type { DialogServices } from '../core/dialog/services';
import type { Knowledge } from './knowledge';

/** Every intent handler and flow of the bot, keyed as the engine dispatches them. */
export function buildDialog(
  knowledge: Knowledge,
  services: DialogServices,
): { intents: Record<string, IntentHandler>; flows: FlowHandler[] } {
  const search = courseSearch(services);
  const cancel = cancelEnrolment(services);
  const deletion = deleteData(services);
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
  return { intents, flows: [search.flow, enrolFlow(services), cancel.flow, deletion.flow] };
}
