import type { FamilyRelation } from '../domain';
import type { IdentityKey } from '../outreach-ports';
import type { LocalizedText } from '../ports';

/** A class session as check-in replies name it. */
export interface CheckinSessionRef {
  courseCode: string;
  title: LocalizedText;
  /** 1-based, in start order among all the course's sessions. */
  number: number;
  startsAt: Date;
}

/** Whose sign-up a check-in is for: the writer's own, or a family member they signed up. */
export interface CheckinWho {
  enrolmentId: string;
  self: boolean;
  relation?: FamilyRelation;
  name?: string;
}

export type CheckinOutcome =
  | { status: 'checked_in'; session: CheckinSessionRef; who: CheckinWho[]; late: boolean }
  /** Checked in before (a second scan, a repeated message): nothing changes. */
  | { status: 'already'; session: CheckinSessionRef; who: CheckinWho; at: Date; late: boolean }
  /** The code fits a class that more than one of the writer's sign-ups (own, family) is in. */
  | { status: 'choose'; session: CheckinSessionRef; sessionId: string; who: CheckinWho[] }
  | { status: 'wrong_code' }
  /** An older code of the person's own class, while check-in is still open: ask for the current one. */
  | { status: 'expired'; session: CheckinSessionRef }
  /** The code is another class's, or the writer has no sign-up at all. */
  | { status: 'not_enrolled'; session?: CheckinSessionRef }
  /** Check-in for the person's class is not open now (opens / closed), or none of their classes is on now. */
  | {
      status: 'outside_window';
      session?: CheckinSessionRef;
      opensAt?: Date;
      closesAt?: Date;
      state: 'before' | 'closed' | 'none';
    };

export interface CheckinAttempt {
  personId: string;
  now: Date;
  /** The typed code, or the QR link's session and code. */
  code: string;
  sessionId?: string;
  method: 'code' | 'qr';
  /**
   * When the code was scanned or typed, if earlier than `now` (a check-in completed after account linking):
   * the code is checked as of then, within a bounded grace; the check-in window is still checked as of now.
   */
  scannedAt?: Date;
  /** After a 'choose': the sign-ups picked (each must be the writer's own or a family member's). */
  enrolmentIds?: string[];
}

export type ShowCodeOutcome =
  | { status: 'not_coordinator' }
  /** No such course in the coordinator's scope (or no code was given and nothing is on now). */
  | { status: 'no_course'; courseCode?: string }
  /** The course has no session still to check in to. */
  | { status: 'no_session'; courseCode: string }
  | {
      status: 'ok';
      session: CheckinSessionRef;
      /** Set while check-in is open; otherwise the window says when. */
      code?: string;
      validUntil?: Date;
      opensAt: Date;
      closesAt: Date;
      /** The QR link (web chat) and the console's projector page, when the public address is configured. */
      link?: string;
      page?: string;
    };

/** What the check-in dialog needs; src/services/checkin-service.ts implements it. */
export interface CheckinDialogPort {
  /** How often the code changes (minutes), for the replies that say so. */
  readonly stepMinutes: number;
  checkIn(attempt: CheckinAttempt): Promise<CheckinOutcome>;
  /** "签到码 ZX-DS-01" from a coordinator: the code of the course's current or next session. */
  showCode(
    personId: string,
    identity: IdentityKey,
    courseCode: string | undefined,
    now: Date,
  ): Promise<ShowCodeOutcome>;
}
