import type { BroadcastTarget } from './broadcast/broadcast-request';
import type { AckReport } from './dialog/flows/opt-out/preferences-port';
import type { ChannelName } from './message';
import type { LocalizedText } from './ports';

/** Interfaces the coordinator and reminder dialogs talk to; src/services implements them on Prisma + BullMQ. */

export type CoordinatorRole = 'admin' | 'coordinator';

export interface CoordinatorAccess {
  role: CoordinatorRole;
  /** Course codes managed (admins: every course). */
  courseCodes: string[];
  /** County ids managed: every course in them. */
  counties: string[];
  /** May export rosters with full ID numbers, for subsidy claims (granted by an admin; every export audited). */
  subsidyOfficer?: boolean;
}

export interface IdentityKey {
  channel: ChannelName;
  externalId: string;
}

export type RedeemOutcome = { status: 'ok'; access: CoordinatorAccess } | { status: 'invalid' };

export interface BroadcastPreview {
  broadcastId: string;
  course: BroadcastTarget;
  text: string;
  confirmed: number;
  waitlisted: number;
  /** Recipients (confirmed, plus waitlisted if included) with no channel the bot can reach. */
  unreachable: number;
  /** Group chats linked to the class, which get the notice too. */
  groups: number;
}

export type DraftOutcome =
  | { status: 'ok'; preview: BroadcastPreview }
  | { status: 'empty' }
  | { status: 'too_long'; length: number; limit: number }
  | { status: 'not_found' };

export interface SpreadDelivery {
  channel: ChannelName;
  /** Messages going out through the channel. */
  count: number;
  perDay: number;
  days: number;
  finishAt: Date;
}

export type ConfirmOutcome =
  | {
      status: 'sending';
      /**
       * The notice is saved with one delivery row per recipient, but its jobs could not be queued now (Redis
       * away): the sweep queues them once Redis answers. Never reported as being sent.
       */
      deferred: boolean;
      course: string;
      /** People the notice goes to (reachable or not). */
      recipients: number;
      unreachable: number;
      /** Linked group chats it is also posted in. */
      groups: number;
      /** Channels whose daily cap spreads the sending over more than today. */
      spread: SpreadDelivery[];
    }
  /** Already sent or discarded (a second "yes", or someone else's draft). */
  | { status: 'gone' };

export interface BroadcastReport {
  broadcastId: string;
  course: BroadcastTarget;
  text: string;
  status: string;
  createdAt: Date;
  recipients: number;
  sent: number;
  pending: number;
  failed: { reason: string; count: number }[];
  /** Who did not get it, by name (masked) with the reason; the first ones only (the counts are in `failed`). */
  undelivered: Undelivered[];
  /** How many people it did not reach (group chats not counted). */
  undeliveredTotal: number;
  /** Channels whose daily cap spreads what is left over more than today. */
  spread: SpreadDelivery[];
  /** Recipients by name: confirmed / delivered / failed (issue 19, item 5). */
  acks?: AckReport;
}

/** One person a notice did not reach: masked name and phone (either may be unknown) and the reason's code. */
export interface Undelivered {
  name?: string;
  phone?: string;
  reason: string;
}

/** One sign-up as a coordinator reads the roster in chat: masked, never an ID number. */
export interface ChatRosterRow {
  name?: string;
  phone?: string;
  status: string;
  waitlistPosition?: number;
  /** Class sessions this person asked leave for, soonest first. */
  leave: Date[];
}

export interface ChatRoster {
  course: BroadcastTarget;
  /** The first rows (confirmed first, then the waitlist); `total` says how many there are. */
  rows: ChatRosterRow[];
  total: number;
  confirmed: number;
  waitlisted: number;
}

/** A leave request for a coming class session, as a coordinator reads it in chat. */
export interface LeaveListEntry {
  course: { code: string; title: LocalizedText };
  startsAt: Date;
  name?: string;
  phone?: string;
  reason?: string;
}

export interface CoordinationService {
  /** The person's coordinator rights, from a redeemed invite or ADMIN_IDENTITIES; undefined for everyone else. */
  access(personId: string, identity: IdentityKey): Promise<CoordinatorAccess | undefined>;
  redeemInvite(personId: string, code: string, now: Date): Promise<RedeemOutcome>;
  /** The classes the coordinator may send to (open or running courses within their scope). */
  targets(access: CoordinatorAccess, now: Date): Promise<BroadcastTarget[]>;
  /** Writes a draft and counts its recipients; nothing is sent. */
  draft(
    personId: string,
    access: CoordinatorAccess,
    courseCode: string,
    text: string,
    now: Date,
  ): Promise<DraftOutcome>;
  /** `askAck`: the notice asks its recipients to confirm ("收到"), with one follow-up to who does not. */
  confirm(
    personId: string,
    broadcastId: string,
    includeWaitlisted: boolean,
    options?: { askAck?: boolean },
  ): Promise<ConfirmOutcome>;
  discard(personId: string, broadcastId: string): Promise<void>;
  /** The coordinator's latest broadcast (to `courseCode` if given) with delivery counts. */
  report(
    personId: string,
    access: CoordinatorAccess,
    courseCode?: string,
  ): Promise<BroadcastReport | undefined>;
  audit(actorId: string, action: string, target?: string, detail?: Record<string, unknown>): Promise<void>;
  /** A course's roster for the chat (masked), if the course is in scope; reading it is audited. */
  roster(personId: string, access: CoordinatorAccess, courseCode: string): Promise<ChatRoster | undefined>;
  /** Leave requests for class sessions from `now` on, of the courses in scope (or one of them); audited. */
  leaveList(
    personId: string,
    access: CoordinatorAccess,
    courseCode: string | undefined,
    now: Date,
  ): Promise<LeaveListEntry[]>;
}

export interface SessionRef {
  enrolmentId: string;
  sessionId: string;
}

export interface ReminderContext {
  course: { code: string; title: LocalizedText };
  startsAt: Date;
  enrolmentStatus: string;
  /** The enrolment is a family member's, and the one asking is their proxy. */
  memberId?: string;
}

export type AbsenceOutcome =
  | { status: 'notified'; coordinators: number; course: string }
  | { status: 'not_found' };

/** What a "can't come" answer to a reminder needs. */
export interface AttendanceService {
  /** The class a reminder was about, if the enrolment is this person's. */
  describe(personId: string, ref: SessionRef): Promise<ReminderContext | undefined>;
  /** "Just this class": tells the course's coordinators (through the outbound queue) and records it. */
  reportAbsence(personId: string, ref: SessionRef): Promise<AbsenceOutcome>;
}
