import type { LocalizedText } from '../../../ports';

/**
 * "退订" on a channel (issue 19, docs/notices-and-preferences.md). `optional`: non-essential messages stop on
 * that channel; `all`: reminders and notices for the person's own classes stop there too.
 */
export type OptOutScope = 'optional' | 'all';

/** What a kind of proactive message is to the person it goes to. */
export type MessageCategory =
  /** About their own classes: reminders, notices, schedule changes, a seat from the waitlist. */
  | 'class'
  /** Replies they asked for and messages to staff: never stopped by an opt-out. */
  | 'service'
  /** Everything else (surveys, suggestions, ratings): stopped by any opt-out. */
  | 'optional';

const CLASS_KINDS = new Set([
  'reminder',
  'broadcast',
  'promotion',
  'schedule_change',
  'notice_follow_up',
  'leave_reply',
  // Their own subsidy claim and certificate (issue 20): about their own classes, not promotion.
  'subsidy',
  'certificate',
]);
const SERVICE_KINDS = new Set([
  'broadcast_summary',
  'absence',
  'inbox_reply',
  'inbox_alert',
  'inbox_escalation',
  'unanswered',
  // An account-linking code the person just asked for in a chat (link-account flow): never stopped by "退订".
  'link_code',
]);

export function categoryOf(kind: string): MessageCategory {
  if (CLASS_KINDS.has(kind)) return 'class';
  if (SERVICE_KINDS.has(kind)) return 'service';
  return 'optional';
}

/** Whether an opt-out of `scope` stops a message of `kind`. */
export function optOutBlocks(scope: OptOutScope | undefined, kind: string): boolean {
  if (!scope) return false;
  const category = categoryOf(kind);
  if (category === 'service') return false;
  return category === 'optional' || scope === 'all';
}

export interface ChannelPreference {
  channel: string;
  optOut: OptOutScope;
}

/** The preferences store (services/preferences-service.ts). */
export interface PreferencesPort {
  optOut(personId: string, channel: string, scope: OptOutScope): Promise<void>;
  /** Back to everything on the channel; false when nothing was stopped there. */
  resume(personId: string, channel: string): Promise<boolean>;
  list(personId: string): Promise<ChannelPreference[]>;
}

/** A notice's recipients by name and state (the chat report and the console's notice page). */
export interface AckReport {
  /** The notice asked for confirmation. */
  asked: boolean;
  acknowledged: string[];
  /** Delivered and not confirmed (or the notice did not ask). */
  delivered: string[];
  failed: { name: string; reason: string }[];
  pending: string[];
  /** When the follow-up went to who had not confirmed; undefined: not yet (or not asked). */
  followedUpAt?: Date;
  followUpDueAt?: Date;
}

export type AckOutcome =
  | { status: 'recorded'; code: string; title: LocalizedText }
  | { status: 'already'; code: string; title: LocalizedText }
  | { status: 'not_found' };

/** Confirmations of notices that ask for one (services/acks-service.ts). */
export interface NoticeAcksPort {
  /** Records the person's confirmation of the notice, against its delivery to them. */
  acknowledge(personId: string, broadcastId: string, via: 'text' | 'button'): Promise<AckOutcome>;
  /** The latest notice asking for confirmation that reached the person lately and is not confirmed yet. */
  pending(personId: string, now: Date): Promise<string | undefined>;
  /** Who has not confirmed this long after the notice was sent gets one follow-up. */
  followUpMinutes: number;
}
