import type { CheckinDialogPort } from '../attendance/checkin-port';
import type { CertificateLookup } from '../outcomes/certificates';
import type { SubsidyStatusLookup } from '../outcomes/subsidies';
import type { SurveyPort } from '../outcomes/surveys';
import type {
  CourseCatalog,
  EnrolmentRepository,
  FamilyRepository,
  LeaveRequestRepository,
  PeopleRepository,
} from '../ports';
import type { ContactRoutePort } from './flows/contact-route/contact-route-port';
import type { CourseCompletions } from './flows/enrol/sign-up-eligibility';
import type { LinkAccountPort } from './flows/link-account/link-account-port';
import type { NoticeAcksPort, PreferencesPort } from './flows/opt-out/preferences-port';
import type { SchedulePort } from './flows/schedule/schedule-port';

/** The domain services handlers use; main wires Prisma-backed implementations. */
export interface DialogServices {
  people: PeopleRepository;
  catalog: CourseCatalog;
  enrolments: EnrolmentRepository;
  /** Family and proxy sign-up ("帮我女儿报名"); without it such a sign-up is the writer's own. */
  family?: FamilyRepository;
  /** Leave requests ("周二来不了"); without it the dialog says it cannot record one and offers a person. */
  leave?: LeaveRequestRepository;
  /** Answers to the satisfaction question and employment follow-up (docs/surveys.md); without it none are taken. */
  surveys?: SurveyPort;
  /** "我的证书": certificates and course results (issue 20); without it the dialog says it cannot look them up. */
  certificates?: CertificateLookup;
  /** Completed courses, for a course's prerequisites (issue 18); without it prerequisites are not checked. */
  completions?: CourseCompletions;
  /** "补贴发了没": subsidy claim status (issue 20); without it the dialog says it cannot look it up. */
  subsidies?: SubsidyStatusLookup;
  /** Check-in by code or QR link (issue 20); without it "签到 123456" goes to the rest of the dialog. */
  checkin?: CheckinDialogPort;
  /** "退订"/"恢复提醒" and what "my details" shows of it (issue 19); without it those words go on as text. */
  preferences?: PreferencesPort;
  /** "通知方式", "以后用短信通知我": the route messages try first (issue 19, item 3); without it no such words. */
  contactRoute?: ContactRoutePort;
  /** Whether the bot can write first on a channel (the scripted `converse` cannot); unknown: assumed it can. */
  writesFirst?: (channel: string) => boolean;
  /** "收到" or a tap on a notice that asks for confirmation (issue 19). */
  noticeAcks?: NoticeAcksPort;
  /** "我的课表" with the reminders to come (issue 19). */
  schedule?: SchedulePort;
  /** Linking a fresh chat to the record signed up with elsewhere, by phone and SMS code (issue 20). */
  linkAccount?: LinkAccountPort;
  handoffPhone: string;
  timezone: string;
}
