import type { DialogModule } from '../core/dialog/dialog-module';
import type { FlowHandler } from '../core/dialog/flow';
import { broadcastModule } from '../core/dialog/flows/broadcast/broadcast-flow';
import { cancelModule } from '../core/dialog/flows/cancel/cancel-flow';
import { deleteModule } from '../core/dialog/flows/delete/delete-flow';
import { enrolModule } from '../core/dialog/flows/enrol/enrol-flow';
import { profileModule } from '../core/dialog/flows/profile/course-search';
import { reminderModule } from '../core/dialog/flows/reminder/reminder-flow';
import type { IntentRoute, IntentTable } from '../core/dialog/handler';
import { basicIntents } from '../core/dialog/intents/basic-intents';
import { coordinatorIntents } from '../core/dialog/intents/coordinator-intents';
import { enrolList } from '../core/dialog/intents/enrol-list';
import { policyModule } from '../core/dialog/intents/policy-intents';
import { policyRoute } from '../core/dialog/intents/policy-route';
import type { OutreachDialogServices } from '../core/dialog/outreach-services';
import type { DialogServices } from '../core/dialog/services';
import type { Knowledge } from './knowledge';

/**
 * The registry: every part of the dialog, one per line. A flow lives in its own folder under
 * src/core/dialog/flows/ and is added here; the engine dispatches the intents and flows they declare.
 */
export function buildDialog(
  knowledge: Knowledge,
  services: DialogServices,
  outreach?: OutreachDialogServices,
): { intents: IntentTable; flows: FlowHandler[]; routes: IntentRoute[] } {
  const profile = profileModule(services);
  const modules: DialogModule[] = [
    basicIntents({
      handoffPhone: services.handoffPhone,
      updateLocale: async (personId, locale) => {
        await services.people.updateProfile(personId, { locale });
      },
    }),
    policyModule(knowledge.policy),
    { route: policyRoute(knowledge.policy) },
    profile,
    enrolModule(services, profile.search),
    { intents: { 'enrol.list': enrolList(services) } },
    cancelModule(services),
    deleteModule(services, outreach),
  ];
  if (outreach) {
    // Coordinators (invites, notices, delivery reports) and answers to reminders.
    modules.push(
      { intents: coordinatorIntents(services, outreach) },
      broadcastModule(outreach),
      reminderModule(services, outreach),
    );
  }
  return {
    intents: Object.assign({}, ...modules.map((m) => m.intents ?? {})),
    flows: modules.flatMap((m) => m.flows ?? []),
    routes: modules.flatMap((m) => (m.route ? [m.route] : [])),
  };
}
