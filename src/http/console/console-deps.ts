import type { Config } from '../../config';
import type { Translator } from '../../core/i18n';
import type { Acks } from '../../services/acks-service';
import type { AuditLogReader } from '../../services/audit-log-service';
import type { BroadcastAdmin } from '../../services/broadcast-admin-service';
import type { BroadcastService } from '../../services/broadcast-service';
import type { Certificates } from '../../services/certificates-service';
import type { CheckinConsole } from '../../services/checkin-console-service';
import type { AccountAdmin } from '../../services/console-account-admin-service';
import type { ConsoleAccounts } from '../../services/console-accounts-service';
import type { OwnAccount } from '../../services/console-own-account-service';
import type { ConsoleTotp } from '../../services/console-totp-service';
import type { ContactRouteConsole } from '../../services/contact-route-console-service';
import type { CoordinatorService } from '../../services/coordinator-service';
import type { CourseAdmin } from '../../services/course-admin-service';
import type { CourseImport } from '../../services/course-import/course-import-service';
import type { ScheduleImport } from '../../services/course-import/schedule-import';
import type { CourseResults } from '../../services/course-results-service';
import type { CuratedAnswers } from '../../services/curated-answers-service';
import type { FollowUps } from '../../services/follow-ups-service';
import type { InboxChange } from '../../services/inbox-events';
import type { InboxService } from '../../services/inbox-service';
import type { OnBehalfEnrolment } from '../../services/on-behalf-enrolment-service';
import type { OutcomeReports } from '../../services/outcome-report-service';
import type { PersonDeletion } from '../../services/person-deletion-service';
import type { Roster } from '../../services/roster-service';
import type { ScheduleChanges } from '../../services/schedule-change-service';
import type { SubsidyClaims } from '../../services/subsidy-claims-service';
import type { SurveyAnswersService } from '../../services/survey-answers-service';
import type { Unanswered } from '../../services/unanswered-service';

/**
 * What the console's pages work with. Built once by the composition root (src/app/console-services.ts), so it
 * shares the runtime's database, queues, cipher and rules.
 */
export interface ConsoleDeps {
  config: Config;
  translator: Translator;
  accounts: ConsoleAccounts;
  ownAccount: OwnAccount;
  accountAdmin: AccountAdmin;
  totp: ConsoleTotp;
  coordinators: CoordinatorService;
  courses: CourseAdmin;
  importer: CourseImport;
  roster: Roster;
  onBehalf: OnBehalfEnrolment;
  personDeletion: PersonDeletion;
  /** A person's contact preference from a roster (issue 19, item 3; docs/notices-and-preferences.md). */
  contactRoutes: ContactRouteConsole;
  broadcasts: BroadcastService;
  broadcastAdmin: BroadcastAdmin;
  auditLog: AuditLogReader;
  /** Attendance check-in (docs/attendance.md): sessions, the projector's rotating code, hand corrections. */
  checkin: CheckinConsole;
  followUps: FollowUps;
  /** Training outcomes per county, provider and course (docs/reports.md). */
  reports: OutcomeReports;
  /** Staff-written answers the dialog gives first, and the questions the bot could not answer, grouped. */
  curatedAnswers: CuratedAnswers;
  unanswered: Unanswered;
  /** The staff inbox (docs/staff-inbox.md): handoffs, call-backs and complaints, in the account's scope. */
  inbox: InboxService;
  /** Opens this process's subscription to inbox changes (one Redis connection; the console's live page owns it). */
  inboxChanges: InboxChangeSource;
  /** Class sessions moved or cancelled after a preview, the people told (issue 19, item 6). */
  scheduleChanges?: ScheduleChanges;
  /** The confirmation of an import's changes to existing class sessions (import-routes.ts). */
  scheduleImport?: ScheduleImport;
  /** Who confirmed a notice that asked for "收到" (issue 19, item 5). */
  acks?: Acks;
  /** Completion, certificates and subsidy claims (issue 20; docs/results-and-subsidies.md). */
  courseResults: CourseResults;
  certificates: Certificates;
  subsidyClaims: SubsidyClaims;
  /** Raw survey answers in scope: names for bureau staff, anonymous for providers (docs/surveys.md). */
  surveyAnswers: SurveyAnswersService;
}

/** Calls `listener` for every inbox change of the deployment until the returned function is called. */
export type InboxChangeSource = (listener: (change: InboxChange) => void) => Promise<() => Promise<void>>;
