import type { Config } from '../../config';
import type { Translator } from '../../core/i18n';
import type { AuditLogReader } from '../../services/audit-log-service';
import type { BroadcastAdmin } from '../../services/broadcast-admin-service';
import type { BroadcastService } from '../../services/broadcast-service';
import type { AccountAdmin } from '../../services/console-account-admin-service';
import type { ConsoleAccounts } from '../../services/console-accounts-service';
import type { OwnAccount } from '../../services/console-own-account-service';
import type { ConsoleTotp } from '../../services/console-totp-service';
import type { CoordinatorService } from '../../services/coordinator-service';
import type { CourseAdmin } from '../../services/course-admin-service';
import type { CourseImport } from '../../services/course-import/course-import-service';
import type { FollowUps } from '../../services/follow-ups-service';
import type { OnBehalfEnrolment } from '../../services/on-behalf-enrolment-service';
import type { PersonDeletion } from '../../services/person-deletion-service';
import type { Roster } from '../../services/roster-service';

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
  broadcasts: BroadcastService;
  broadcastAdmin: BroadcastAdmin;
  auditLog: AuditLogReader;
  followUps: FollowUps;
}
