import type { DialogModule } from '../core/dialog/dialog-module';
import type { FlowHandler } from '../core/dialog/flow';
import { broadcastModule } from '../core/dialog/flows/broadcast/broadcast-flow';
import { cancelModule } from '../core/dialog/flows/cancel/cancel-flow';
import { courseListModule } from '../core/dialog/flows/courses/course-list';
import { deleteModule } from '../core/dialog/flows/delete/delete-flow';
import { enrolModule } from '../core/dialog/flows/enrol/enrol-flow';
import type { InboxDialogServices } from '../core/dialog/flows/inbox/inbox-dialog-services';
import { inboxModule } from '../core/dialog/flows/inbox/inbox-module';
import { leaveModule } from '../core/dialog/flows/leave/leave-flow';
import { myDetailsModule } from '../core/dialog/flows/my-details/my-details-module';
import { profileModule } from '../core/dialog/flows/profile/course-search';
import { reminderModule } from '../core/dialog/flows/reminder/reminder-flow';
import type { IntentRoute, IntentTable, TurnGate } from '../core/dialog/handler';
import { basicIntents } from '../core/dialog/intents/basic-intents';
import { coordinatorIntents } from '../core/dialog/intents/coordinator-intents';
import { courseFactsModule } from '../core/dialog/intents/course-facts-route';
import { type CuratedModuleDeps, curatedModule } from '../core/dialog/intents/curated-route';
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
  /** Curated answers first, unanswered questions logged (docs/curated-answers.md). */
  curated?: Pick<CuratedModuleDeps, 'book' | 'unanswered' | 'matcher'>,
  /** The staff inbox: handoffs, callbacks, complaints (docs/staff-inbox.md). */
  inbox?: InboxDialogServices,
): { intents: IntentTable; flows: FlowHandler[]; routes: IntentRoute[]; gates: TurnGate[] } {
  const profile = profileModule(services);
  const modules: DialogModule[] = [
    basicIntents({
      handoffPhone: services.handoffPhone,
      updateLocale: async (personId, locale) => {
        await services.people.updateProfile(personId, { locale });
      },
    }),
    // The staff inbox: a real handoff (replaces the hotline-only answer above), complaints, callbacks.
    ...(inbox ? [inboxModule(inbox)] : []),
    // View and correct one's details, questions about a class: before anything that could cancel or delete.
    myDetailsModule(services),
    leaveModule(services),
    policyModule(knowledge.policy),
    // Follow-ups about the course just shown, bare codes, "第二个", "收到": before curated answers and the plan.
    courseFactsModule(services),
    ...(curated
      ? [
          curatedModule({
            ...curated,
            policy: knowledge.policy,
            timezone: services.timezone,
          }),
        ]
      : []),
    { route: policyRoute(knowledge.policy) },
    profile,
    enrolModule(services, profile.search),
    courseListModule(services),
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
    gates: modules.flatMap((m) => (m.gate ? [m.gate] : [])),
  };
}
