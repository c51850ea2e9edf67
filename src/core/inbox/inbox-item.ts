import type { ChannelName } from '../message';

/** What waits in the staff inbox. 'unanswered' items are the curated-answers log's, listed beside these. */
export const INBOX_KINDS = ['handoff', 'callback', 'complaint'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

export const INBOX_STATUSES = ['waiting', 'claimed', 'closed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** One line of an item's transcript; personal data (ID and phone numbers) is masked before it is stored. */
export interface TranscriptLine {
  who: 'user' | 'bot' | 'staff';
  text: string;
  at: string;
  /** Staff lines: the console account (or cli:<user>) that wrote it. */
  by?: string;
}

/** The conversation an item belongs to, and where a staff reply goes. */
export interface Conversation {
  channel: ChannelName;
  /** The user's id on the channel (the sender id): with the channel, the chat session's key. */
  user: string;
  /** The private chat to write to. */
  chatId: string;
}

/** What the dialog knows of an open item of its conversation. */
export interface OpenItemState {
  id: string;
  kind: InboxKind;
  status: InboxStatus;
  /** When it was claimed, or a staff member last wrote: the bot takes over again after a silence. */
  lastStaffAt?: Date;
  claimedAt?: Date;
}

export interface NewInboxItem {
  kind: InboxKind;
  personId: string;
  conversation: Conversation;
  /** What the person wrote (masked by the port before it is stored). */
  text: string;
  /** Why: asked for a person, accepted the offer after an abstention, misunderstood twice, complaint. */
  reason: 'asked' | 'misunderstood' | 'complaint';
}

export interface ComplaintStatus {
  trackingNo: string;
  status: InboxStatus;
  outcome?: string;
  createdAt: Date;
}

/**
 * The inbox as the dialog uses it (src/services/inbox-service.ts implements it on PostgreSQL and tells the
 * console about every change).
 */
export interface InboxPort {
  open(item: NewInboxItem): Promise<{ id: string; trackingNo?: string }>;
  state(id: string): Promise<OpenItemState | undefined>;
  /** The open item of a conversation, if any (the chat session that named it may have expired). */
  openFor(conversation: Pick<Conversation, 'channel' | 'user'>): Promise<OpenItemState | undefined>;
  /** Adds a line the person (or the bot) wrote; a user line also becomes the item's last text. */
  note(id: string, who: 'user' | 'bot', text: string): Promise<void>;
  /** The person left the conversation with staff (退出) or the staff fell silent: the bot answers again. */
  release(id: string, why: 'user' | 'silence'): Promise<void>;
  /** A handoff outside office hours becomes a callback request. */
  requestCallback(id: string, phone: string, time: string): Promise<void>;
  /** A complaint of this person by its tracking number. */
  complaint(personId: string, trackingNo: string): Promise<ComplaintStatus | undefined>;
  /** The person's 1–5 rating of a closed item of theirs; false when it is not theirs or not closed. */
  rate(personId: string, id: string, rating: number): Promise<boolean>;
}
