import type { AttendanceService, CoordinationService, CoordinatorAccess } from '../outreach-ports';
import type { ScheduleChangePort } from './flows/schedule/schedule-port';
import type { Slots } from './handler';
import type { Turn } from './turn';

/** What the coordinator and reminder dialogs need beyond DialogServices. */
export interface OutreachDialogServices {
  coordination: CoordinationService;
  attendance: AttendanceService;
  /** Slots of a piece of text (the class words of a notice request, not its body). */
  slotsOf(text: string): Slots;
  /** The programme's time zone, for the times coordinators are told. */
  timezone: string;
  /** A notice asking for confirmation: the follow-up goes this long after it (issue 19; absent: not offered). */
  ackFollowUpMinutes?: number;
  /** Moving or cancelling a class from the chat ("/改课", "/停课", issue 19); absent: those commands are not known. */
  scheduleChanges?: ScheduleChangePort;
}

/** The sender's coordinator rights, or undefined; looked up every time, so a revoked role stops at once. */
export function coordinatorAccess(
  turn: Turn,
  services: OutreachDialogServices,
): Promise<CoordinatorAccess | undefined> {
  return services.coordination.access(turn.person.id, {
    channel: turn.msg.address.channel,
    externalId: turn.msg.senderId,
  });
}

/** "Sorry, only for coordinators": the same words whatever was asked, and the refusal goes to the audit log. */
export async function refuse(turn: Turn, services: OutreachDialogServices, action: string): Promise<void> {
  turn.endFlow();
  await services.coordination.audit(turn.person.id, 'coordinator.refused', action);
  turn.say(turn.t('common:notCoordinator'));
}
