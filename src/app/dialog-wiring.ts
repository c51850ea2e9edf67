import type { DialogModule } from '../core/dialog/dialog-module';
import type { FlowHandler } from '../core/dialog/flow';
import { broadcastModule, broadcastWordsRoute } from '../core/dialog/flows/broadcast/broadcast-flow';
import { rosterModule } from '../core/dialog/flows/broadcast/roster-flow';
import { cancelModule } from '../core/dialog/flows/cancel/cancel-flow';
import { certificatesModule } from '../core/dialog/flows/certificates/certificates-module';
import { type CheckinModule, checkinModule } from '../core/dialog/flows/checkin/checkin-module';
import { contactRouteModule } from '../core/dialog/flows/contact-route/contact-route-module';
import { courseListModule } from '../core/dialog/flows/courses/course-list';
import { deleteModule } from '../core/dialog/flows/delete/delete-flow';
import { enrolModule } from '../core/dialog/flows/enrol/enrol-flow';
import type { InboxDialogServices } from '../core/dialog/flows/inbox/inbox-dialog-services';
import { inboxModule } from '../core/dialog/flows/inbox/inbox-module';
import { leaveModule } from '../core/dialog/flows/leave/leave-flow';
import {
  type LinkAccountModule,
  linkAccountModule,
} from '../core/dialog/flows/link-account/link-account-module';
import { myDetailsModule } from '../core/dialog/flows/my-details/my-details-module';
import { noticeAckModule } from '../core/dialog/flows/opt-out/notice-ack';
import { optOutModule } from '../core/dialog/flows/opt-out/opt-out-module';
import { profileModule } from '../core/dialog/flows/profile/course-search';
import { reminderModule } from '../core/dialog/flows/reminder/reminder-flow';
import { myScheduleModule } from '../core/dialog/flows/schedule/my-schedule';
import { scheduleCommandModule } from '../core/dialog/flows/schedule/schedule-command';
import { subsidyStatusModule } from '../core/dialog/flows/subsidy-status/subsidy-status-module';
import { surveysModule } from '../core/dialog/flows/surveys/surveys-module';
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
  // Check-in offers linking to a chat with no sign-up; linking completes the check-in that led to it.
  const link: LinkAccountModule | undefined = services.linkAccount
    ? linkAccountModule({
        link: services.linkAccount,
        resumeCheckin: async (turn, personId, pending): Promise<void> => {
          await checkin?.resume(turn, personId, pending);
        },
      })
    : undefined;
  const checkin: CheckinModule | undefined = services.checkin
    ? checkinModule({ checkin: services.checkin, timezone: services.timezone, offerLink: link?.offer })
    : undefined;
  const modules: DialogModule[] = [
    basicIntents({
      handoffPhone: services.handoffPhone,
      updateLocale: async (personId, locale) => {
        await services.people.updateProfile(personId, { locale });
      },
    }),
    // "退订"/"TD"/"stop" and "恢复提醒" on any channel (issue 19): a gate, before anything reads those words.
    ...(services.preferences
      ? [
          optOutModule(services.preferences, {
            contact: services.contactRoute,
            writesFirst: services.writesFirst,
          }),
        ]
      : []),
    // "通知方式", "以后用短信通知我" (issue 19, item 3): the route messages try first, among those possible.
    ...(services.contactRoute ? [contactRouteModule(services.contactRoute)] : []),
    // Words with 通知 in them from someone who is not a coordinator: an ordinary message unless typed as a
    // notice command (only that is refused); before the routes that leave a notice request alone.
    ...(outreach ? [{ route: broadcastWordsRoute(outreach) }] : []),
    // The staff inbox: a real handoff (replaces the hotline-only answer above), complaints, callbacks.
    ...(inbox ? [inboxModule(inbox)] : []),
    // "签到 123456", the QR link, a coordinator's "签到码": read before anything could take six digits.
    ...(checkin ? [checkin] : []),
    // "绑定账号", and the offer a check-in from a chat with no sign-up makes: phone, SMS code, linked.
    ...(link ? [link] : []),
    // Answers to the satisfaction question and the employment follow-up ("5", "很满意", "还在找工作"), typed
    // while one is open: before anything else reads those words.
    ...(services.surveys ? [surveysModule({ ...services, surveys: services.surveys })] : []),
    // View and correct one's details, questions about a class: before anything that could cancel or delete.
    myDetailsModule(services),
    // A coordinator's "谁请假了" / "花名册" (issue 18 item 7): before the trainee's own leave request.
    ...(outreach ? [rosterModule(outreach)] : []),
    // "我的课表": coming classes with the reminders to be sent (issue 19).
    ...(services.schedule
      ? [myScheduleModule(services.schedule, services.timezone, services.preferences)]
      : []),
    // "我的证书", "补贴发了没": one's own records (issue 20), before the plan's answers on certificates and subsidies.
    certificatesModule(services),
    subsidyStatusModule(services),
    leaveModule(services, outreach),
    policyModule(knowledge.policy),
    // "收到"/"1" right after a notice that asks for confirmation is recorded (issue 19), before the plain ack.
    ...(services.noticeAcks ? [noticeAckModule(services.noticeAcks)] : []),
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
      ...(outreach.scheduleChanges ? [scheduleCommandModule(outreach, outreach.scheduleChanges)] : []),
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
