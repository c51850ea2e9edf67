import { loadPiiCipher } from '../../app/pii-keys';
import type { Runtime } from '../../app/runtime';
import type { Config } from '../../config';
import type { Translator } from '../../core/i18n';
import { createEnrolmentRepository } from '../../db/repositories/enrolment-repository';
import { createPeopleRepository } from '../../db/repositories/people-repository';
import { createTranslator } from '../../i18n/i18n';
import { type AuditLogReader, createAuditLog } from '../../services/audit-log-service';
import { type BroadcastAdmin, createBroadcastAdmin } from '../../services/broadcast-admin-service';
import type { BroadcastService } from '../../services/broadcast-service';
import { type AccountAdmin, createAccountAdmin } from '../../services/console-account-admin-service';
import { type ConsoleAccounts, createConsoleAccounts } from '../../services/console-accounts-service';
import { createOwnAccount, type OwnAccount } from '../../services/console-own-account-service';
import { type ConsoleTotp, createConsoleTotp } from '../../services/console-totp-service';
import type { CoordinatorService } from '../../services/coordinator-service';
import { type CourseAdmin, createCourseAdmin } from '../../services/course-admin-service';
import { type CourseImport, createCourseImport } from '../../services/course-import/course-import-service';
import { createFollowUps, type FollowUps } from '../../services/follow-ups-service';
import { createOnBehalfEnrolment, type OnBehalfEnrolment } from '../../services/on-behalf-enrolment-service';
import { createPersonDeletion, type PersonDeletion } from '../../services/person-deletion-service';
import { createRoster, type Roster } from '../../services/roster-service';

/** What the console's pages work with; built from the runtime so it shares its database, queues and rules. */
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
  broadcasts: BroadcastService;
  broadcastAdmin: BroadcastAdmin;
  auditLog: AuditLogReader;
  followUps: FollowUps;
}

export function consoleDeps(runtime: Pick<Runtime, 'config' | 'logger' | 'db' | 'outreach'>): ConsoleDeps {
  const { config, db, outreach } = runtime;
  const coordinators = outreach.coordinators;
  const cipher = loadPiiCipher(config, runtime.logger);
  const people = createPeopleRepository(db, cipher);
  // Wrapped as the runtime wraps the dialog's: reminders follow a seat, a freed seat promotes the waitlist.
  const enrolments = outreach.wrapEnrolments(createEnrolmentRepository(db));
  const courses = createCourseAdmin({
    db,
    coordinators,
    classSessionChanged: (id) => outreach.reminders.rescheduleSession(id),
  });
  return {
    config,
    translator: createTranslator(),
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
    broadcasts: outreach.broadcasts,
    broadcastAdmin: createBroadcastAdmin(db, coordinators),
    auditLog: createAuditLog(db),
    followUps: createFollowUps({ db, cipher, enrolments, coordinators }),
  };
}
