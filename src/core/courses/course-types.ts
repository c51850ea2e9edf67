import type { County, CourseStatus, Group, Trade, TrainingType } from '../domain';

/** Text in every supported locale. */
export interface LocalizedString {
  'zh-CN': string;
  en: string;
}

/** What the matcher needs to know about a course; repositories map their rows to this. */
export interface CourseForMatching {
  id: string;
  /** Short code users can type to sign up, e.g. "ZX-DS-01". */
  code: string;
  title: LocalizedString;
  trade: Trade;
  trainingType: TrainingType;
  county: County;
  capacity: number;
  /** Confirmed enrolments; waitlisted ones do not count. */
  seatsTaken: number;
  feeYuan: number;
  /** Groups for whom a subsidy makes it free; empty with feeYuan 0 means free for all. */
  freeForGroups: readonly Group[];
  /** Empty means anyone may enrol. */
  eligibleGroups: readonly Group[];
  minAge?: number;
  maxAge?: number;
  /** Only residents of these counties may sign up (a county-funded class); empty means anyone. */
  eligibleCounties?: readonly County[];
  /** Codes of courses a trainee must have completed first; empty means none. */
  prerequisiteCourseCodes?: readonly string[];
  status: CourseStatus;
  /** null when no session is scheduled yet. */
  firstSessionStart: Date | null;
  venue: LocalizedString;
}

/** What we know about the person asking; every field may still be unknown mid-conversation. */
export interface MatchProfile {
  county?: County;
  age?: number;
  birthYear?: number;
  groups: Group[];
  interests: Trade[];
  /** Only courses starting on or after this moment. */
  earliestDate?: Date;
}

/**
 * A user-facing explanation as a locale key plus params. Params named `county`, `group`, `trade` and
 * `interest` hold domain ids; `translateReason` turns them into names before interpolation.
 */
export interface MatchReason {
  key: string;
  params?: Record<string, string | number>;
}

export interface MatchResult {
  course: CourseForMatching;
  score: number;
  /** No seat left: enrolling would put the person on the waitlist. */
  full: boolean;
  /** Most important first. */
  reasons: MatchReason[];
}

/** An i18next-style translate function, passed in so core stays free of the i18n set-up. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;
