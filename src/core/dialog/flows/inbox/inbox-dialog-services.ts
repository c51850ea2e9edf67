import type { InboxPort } from '../../../inbox/inbox-item';
import { type OfficeHours, officeStatus } from '../../../inbox/office-hours';
import { formatSessionTime } from '../../format-time';
import type { Turn } from '../../turn';

/** What the inbox dialog needs: the inbox, office hours (per county), and the promises it may make. */
export interface InboxDialogServices {
  inbox: InboxPort;
  officeHours: OfficeHours;
  /** Overrides of officeHours by county id. */
  countyHours: ReadonlyMap<string, OfficeHours>;
  timezone: string;
  /** The human-resources hotline, for what cannot wait for the inbox. */
  hotline: string;
  /** "usually within N minutes", said during office hours. */
  replyMinutes: number;
  /** A claimed conversation with no staff reply for this long goes back to the bot. */
  silenceMinutes: number;
}

/** "Staff reply here, usually within N minutes" during office hours; otherwise when they will be back. */
export function whenStaffAnswer(turn: Turn, services: InboxDialogServices): string {
  const hours = (turn.person.county && services.countyHours.get(turn.person.county)) || services.officeHours;
  const status = officeStatus(hours, turn.now, services.timezone);
  if (status.open) return turn.t('inbox:open', { minutes: services.replyMinutes });
  return status.back
    ? turn.t('inbox:closed', { back: formatSessionTime(status.back, turn.locale, services.timezone) })
    : turn.t('inbox:closedNoHours');
}

/** Whether staff are in now, for this person's county. */
export function staffIn(turn: Turn, services: InboxDialogServices): boolean {
  const hours = (turn.person.county && services.countyHours.get(turn.person.county)) || services.officeHours;
  return officeStatus(hours, turn.now, services.timezone).open;
}
