import type { Config } from '../config';
import type { QuestionMatcher } from '../core/curated/question-terms';
import type { ContactRoutePort } from '../core/dialog/flows/contact-route/contact-route-port';
import type { Translator } from '../core/i18n';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { EnrolmentRepository, PeopleRepository } from '../core/ports';
import type { Db } from '../db/prisma-client';
import type { ConsoleDeps, InboxChangeSource } from '../http/console/console-deps';
import type { ReminderScheduler } from '../jobs/reminder-scheduler';
import type { Acks } from '../services/acks-service';
import { createAuditLog } from '../services/audit-log-service';
import { createBroadcastAdmin } from '../services/broadcast-admin-service';
import type { BroadcastService } from '../services/broadcast-service';
import { createCertificates } from '../services/certificates-service';
import { createCheckinConsole } from '../services/checkin-console-service';
import { checkinRulesOf, checkinSecret } from '../services/checkin-service';
import { createAccountAdmin } from '../services/console-account-admin-service';
import { createConsoleAccounts } from '../services/console-accounts-service';
import { createOwnAccount } from '../services/console-own-account-service';
import { createConsoleTotp } from '../services/console-totp-service';
import { createContactRouteConsole } from '../services/contact-route-console-service';
import type { CoordinatorService } from '../services/coordinator-service';
import { createCourseAdmin } from '../services/course-admin-service';
import { createCourseImport } from '../services/course-import/course-import-service';
import { createScheduleImport } from '../services/course-import/schedule-import';
import { createCourseResults } from '../services/course-results-service';
import { createCuratedAnswers } from '../services/curated-answers-service';
import { createFollowUps } from '../services/follow-ups-service';
import type { InboxService } from '../services/inbox-service';
import { createOnBehalfEnrolment } from '../services/on-behalf-enrolment-service';
import { createOutcomeReports } from '../services/outcome-report-service';
import { createPersonDeletion } from '../services/person-deletion-service';
import { createRoster } from '../services/roster-service';
import type { ScheduleChanges } from '../services/schedule-change-service';
import type { SubsidyClaims } from '../services/subsidy-claims-service';
import { createSurveyAnswers } from '../services/survey-answers-service';
import { createUnanswered } from '../services/unanswered-service';

export interface ConsoleServicesDeps {
  config: Config;
  db: Db;
  translator: Translator;
  cipher: PiiCipher;
  people: PeopleRepository;
  /** The runtime's enrolments: reminders follow a seat, a freed seat promotes the waitlist. */
  enrolments: EnrolmentRepository;
  coordinators: CoordinatorService;
  broadcasts: BroadcastService;
  reminders: Pick<ReminderScheduler, 'rescheduleSession'>;
  /** Curated answers: the matcher groups questions, `isClause` checks cited clauses, `changed` tells the dialog. */
  curated: { matcher: QuestionMatcher; isClause: (id: string) => boolean; changed: () => void };
  /** The staff inbox (runtime.inbox) and the live feed of its changes for the console's inbox page. */
  inbox: InboxService;
  inboxChanges: InboxChangeSource;
  /** Class sessions moved or cancelled with a preview, and notice confirmations (issue 19). */
  scheduleChanges?: ScheduleChanges;
  acks?: Acks;
  /** Subsidy claims (issue 20), built by the composition root: their changes are told through the outbox. */
  subsidyClaims: SubsidyClaims;
  /** The contact preference the dialog sets too (issue 19, item 3). */
  contactRoutes: ContactRoutePort;
}

/** The coordinator console's services, built once by the composition root and handed to the HTTP layer. */
export function createConsoleServices(deps: ConsoleServicesDeps): ConsoleDeps {
  const { config, db, cipher, people, enrolments, coordinators } = deps;
  const courses = createCourseAdmin({
    db,
    coordinators,
    classSessionChanged: (id) => deps.reminders.rescheduleSession(id),
  });
  return {
    config,
    translator: deps.translator,
    accounts: createConsoleAccounts(db, coordinators, config.CONSOLE_SESSION_HOURS, {
      lockout: {
        attempts: config.CONSOLE_LOCKOUT_ATTEMPTS,
        windowMinutes: config.CONSOLE_LOCKOUT_WINDOW_MINUTES,
        lockMinutes: config.CONSOLE_LOCKOUT_MINUTES,
      },
    }),
    ownAccount: createOwnAccount(db, coordinators),
    accountAdmin: createAccountAdmin(db, coordinators),
    totp: createConsoleTotp(db, cipher, coordinators),
    coordinators,
    courses,
    importer: createCourseImport({ db, courses, coordinators, timezone: config.TIMEZONE }),
    roster: createRoster(db, cipher, coordinators),
    onBehalf: createOnBehalfEnrolment({ db, cipher, people, enrolments, coordinators }),
    personDeletion: createPersonDeletion({ db, cipher, people, enrolments, coordinators }),
    contactRoutes: createContactRouteConsole({ db, coordinators, routes: deps.contactRoutes }),
    broadcasts: deps.broadcasts,
    broadcastAdmin: createBroadcastAdmin(db, coordinators),
    auditLog: createAuditLog(db),
    // Attendance check-in (issue 20): per-session rosters, the projector's code, hand corrections.
    checkin: createCheckinConsole({
      db,
      coordinators,
      secret: checkinSecret(config, cipher),
      rules: checkinRulesOf(config),
    }),
    followUps: createFollowUps({ db, cipher, enrolments, coordinators }),
    reports: createOutcomeReports({ db, timezone: config.TIMEZONE, audit: coordinators.audit }),
    curatedAnswers: createCuratedAnswers({
      db,
      coordinators,
      isClause: deps.curated.isClause,
      changed: deps.curated.changed,
    }),
    unanswered: createUnanswered({ db, matcher: deps.curated.matcher }),
    inbox: deps.inbox,
    inboxChanges: deps.inboxChanges,
    scheduleChanges: deps.scheduleChanges,
    // An import's changes to existing classes, confirmed after its preview (issue 19, item 6).
    scheduleImport:
      deps.scheduleChanges &&
      createScheduleImport({ db, courses, coordinators, scheduleChanges: deps.scheduleChanges }),
    acks: deps.acks,
    courseResults: createCourseResults({ db, cipher, coordinators }),
    certificates: createCertificates({ db, cipher, coordinators }),
    subsidyClaims: deps.subsidyClaims,
    surveyAnswers: createSurveyAnswers({ db, coordinators, timezone: config.TIMEZONE }),
  };
}
