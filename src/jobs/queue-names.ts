import type { ChannelName } from '../core/message';
import { outboundQueueName } from '../delivery/outbound-queues';
import { PROACTIVE_CHANNELS } from '../delivery/recipients';

/** The queues of the background jobs; each channel's outbound queue is named in src/delivery/outbound-queues.ts. */
export const REMINDER_QUEUE = 'reminders';
export const MAINTENANCE_QUEUE = 'maintenance';

/** Every queue the bot uses (Bull Board, `jineng queues`): the channels' outbound queues, reminders, the sweep. */
export function allQueueNames(channels: readonly ChannelName[] = PROACTIVE_CHANNELS): string[] {
  return [...new Set(channels)].map(outboundQueueName).concat(REMINDER_QUEUE, MAINTENANCE_QUEUE);
}
