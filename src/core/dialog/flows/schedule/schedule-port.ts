import type { Locale } from '../../../domain';
import type { CoordinatorAccess } from '../../../outreach-ports';
import type { LocalizedText } from '../../../ports';

/** One upcoming class of the person's, with the reminders that will be sent before it. */
export interface MyClass {
  code: string;
  title: LocalizedText;
  startsAt: Date;
  venue: LocalizedText;
  status: 'confirmed' | 'waitlisted';
  position?: number;
  /** When each reminder for it goes out (confirmed sign-ups only; none for the waitlist). */
  reminders: Date[];
}

/** "我的课表" (services/schedule-change-timetable.ts). */
export interface SchedulePort {
  upcoming(personId: string, now: Date, limit: number): Promise<MyClass[]>;
}

/** A coordinator's change to one class session, as the chat command asks for it. */
export type ChatSessionEdit =
  | { kind: 'move'; startsAt: Date; endsAt: Date; venue?: string }
  | { kind: 'cancel' };

export interface ChatSchedulePreview {
  course: { code: string };
  session?: { startsAt: Date; endsAt: Date; venue: string };
  after?: { startsAt: Date; endsAt: Date; venue: string };
  confirmed: number;
  waitlisted: number;
  sample: string;
}

export type ChatScheduleOutcome =
  | { status: 'ok'; notified: number; unreachable: number }
  | { status: 'not_found' }
  | { status: 'unchanged' };

/** Moving or cancelling a class from the chat (services/schedule-change-service.ts), within the scope. */
export interface ScheduleChangePort {
  /** The course's class on that local date, or its next one; undefined when none (or out of scope). */
  findSession(
    access: CoordinatorAccess,
    code: string,
    now: Date,
    onDate?: string,
  ): Promise<{ id: string; startsAt: Date; endsAt: Date; venue: string } | undefined>;
  preview(
    access: CoordinatorAccess,
    code: string,
    sessionId: string,
    edit: ChatSessionEdit,
    locale: Locale,
  ): Promise<ChatSchedulePreview | undefined>;
  applySession(
    access: CoordinatorAccess,
    actorId: string,
    code: string,
    sessionId: string,
    edit: ChatSessionEdit,
    source: 'chat',
  ): Promise<ChatScheduleOutcome>;
}
