import type { CourseFacts } from './courses/course-facts';
import type { CourseForMatching } from './courses/course-types';
import type { County, FamilyRelation, Group, Locale, Trade } from './domain';
import type { ChannelName } from './message';

/** Interfaces the dialog engine and services talk to; main.ts wires them to Redis/Prisma implementations. */

export interface PersonRecord {
  id: string;
  locale: Locale;
  realName?: string;
  phone?: string;
  county?: County;
  birthYear?: number;
  groups: Group[];
  interests: Trade[];
  hasIdNumber: boolean;
  maskedIdNumber?: string;
  /** ISO date (yyyy-mm-dd) read from the ID number on file, for age limits; undefined without one. */
  birthDate?: string;
  consentIdAt?: Date;
  deleted: boolean;
  isNew: boolean;
}

export interface IdentityRef {
  channel: ChannelName;
  externalId: string;
  chatId: string;
  displayName?: string;
}

export interface ProfilePatch {
  /** null forgets the value (the person asked to change their details). */
  county?: County | null;
  birthYear?: number | null;
  groups?: Group[];
  interests?: Trade[];
  realName?: string;
  phone?: string;
  locale?: Locale;
  /**
   * The person gave their name or phone for a sign-up after being told what for (PIPL): recorded the first
   * time, kept after that.
   */
  profileConsentAt?: Date;
}

export interface PeopleRepository {
  /** Finds the person behind a channel identity, creating both on first contact. */
  resolve(identity: IdentityRef, locale: Locale): Promise<PersonRecord>;
  updateProfile(personId: string, patch: ProfilePatch): Promise<PersonRecord>;
  /** Stores the ID number encrypted with its keyed hash and the consent time; returns false if another person holds it. */
  setIdNumber(personId: string, idNumber: string, consentAt: Date): Promise<'ok' | 'taken'>;
  /**
   * The ID number a person typed themselves in chat. When another person already registered it ('clash'),
   * it is kept encrypted without its hash and the clash is recorded for staff to resolve; the other person's
   * data is neither read nor changed. The sign-up goes on either way; the dialog tells the person that the
   * number is on record already and that staff will check it (issue 18: no dead end, nothing of the other
   * person shown).
   */
  claimIdNumber(
    personId: string,
    idNumber: string,
    consentAt: Date,
    courseCode: string,
  ): Promise<'ok' | 'clash'>;
  /** PIPL deletion: wipes personal fields, keeps an anonymous row for attendance counts. */
  deleteData(personId: string): Promise<void>;
}

/** A course as the dialog shows it: matching fields plus what a sign-up needs. */
export interface CourseView extends CourseForMatching {
  realNameRequired: boolean;
  subsidyText: LocalizedText;
  description: LocalizedText;
  nextSession?: SessionView;
  /** Duration, hours, lodging, address… (core/courses/course-facts.ts); each may be unstated. */
  facts: CourseFacts;
  /** Free-text prerequisite shown in the details ("需持有初级工证书"); not checked. */
  prerequisiteNote?: string;
}

export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

export interface SessionView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  venue: LocalizedText;
}

export interface CourseCatalog {
  /** Open courses whose first session has not passed, for the matcher. */
  listOpen(now: Date): Promise<CourseForMatching[]>;
  findByCode(code: string, now: Date): Promise<CourseView | undefined>;
}

export type EnrolOutcome =
  | { status: 'confirmed'; course: string }
  | { status: 'waitlisted'; course: string; position: number }
  | { status: 'already'; course: string; current: 'confirmed' | 'waitlisted'; position?: number }
  | { status: 'closed'; course: string }
  | { status: 'not_found'; course: string };

export interface Promotion {
  personId: string;
  course: string;
}

export type CancelOutcome =
  | { status: 'cancelled'; course: string; promoted?: Promotion }
  | { status: 'not_enrolled'; course: string };

export interface EnrolmentView {
  course: CourseView;
  status: 'confirmed' | 'waitlisted' | 'attended';
  position?: number;
}

export interface EnrolmentRepository {
  /** Takes a seat or a waitlist place; never more confirmed than capacity, never twice per person. */
  enrol(
    personId: string,
    courseCode: string,
    source?: 'self' | 'coordinator' | 'family',
  ): Promise<EnrolOutcome>;
  /** Frees the seat and promotes the first waitlisted person, in one transaction. */
  cancel(personId: string, courseCode: string): Promise<CancelOutcome>;
  listActive(personId: string, now: Date): Promise<EnrolmentView[]>;
}

/** A family member as their proxy's sign-up needs them: they have no chat of their own. */
export interface FamilyMember {
  id: string;
  relation: FamilyRelation;
  realName?: string;
  phone?: string;
  hasIdNumber: boolean;
  birthDate?: string;
  groups: Group[];
  /** Where the member lives, when the proxy told us (a county-limited course asks). */
  county?: County;
}

export interface FamilyEnrolmentView extends EnrolmentView {
  member: { id: string; realName?: string; relation: FamilyRelation };
}

/** Family and proxy sign-up: members recorded by a proxy, linked with the relationship, managed by the proxy. */
export interface FamilyRepository {
  /** A new person with no chat identity, linked to the proxy; the proxy gave the name with the member's consent. */
  addMember(
    proxyId: string,
    relation: FamilyRelation,
    realName: string,
    locale: Locale,
    consentAt: Date,
  ): Promise<FamilyMember>;
  /** The member, if linked to this proxy. */
  member(proxyId: string, memberId: string): Promise<FamilyMember | undefined>;
  /** The proxy's members, oldest link first. */
  members(proxyId: string): Promise<FamilyMember[]>;
  /** The guardian's consent to a minor's sign-up, recorded (audit log) with the course and the relationship. */
  recordGuardianConsent(proxyId: string, memberId: string, courseCode: string, at: Date): Promise<void>;
  /** The active sign-ups of the proxy's members, with whose they are. */
  listEnrolments(proxyId: string, now: Date): Promise<FamilyEnrolmentView[]>;
}

/** A class session a person with a confirmed sign-up may ask leave for. */
export interface LeaveOption {
  enrolmentId: string;
  sessionId: string;
  courseCode: string;
  title: LocalizedText;
  startsAt: Date;
  venue: LocalizedText;
  /** The class was called off (ClassSession.cancelled); only listed when asked for. */
  cancelled: boolean;
}

/** Leave requests ("周二来不了"): recorded per sign-up and session; they never cancel the sign-up. */
export interface LeaveRequestRepository {
  /** The upcoming sessions of the person's confirmed sign-ups, soonest first; cancelled ones only if asked. */
  upcoming(
    personId: string,
    now: Date,
    limit: number,
    options?: { includeCancelled?: boolean },
  ): Promise<LeaveOption[]>;
  /** 'exists' when leave for that session was already recorded (the first reason is kept). */
  record(enrolmentId: string, sessionId: string, reason: string | undefined): Promise<'ok' | 'exists'>;
}
