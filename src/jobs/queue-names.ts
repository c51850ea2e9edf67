import type { ChannelName } from '../core/message';

/** Every queue the bot uses; one outbound queue per channel so each keeps its own rate limit. */
export const REMINDER_QUEUE = 'reminders';
export const MAINTENANCE_QUEUE = 'maintenance';

/** Channels that can receive proactive messages (a `converse` script cannot be written to later). */
export const PROACTIVE_CHANNELS = [
  'telegram',
  'wechat',
  'web',
  'terminal',
  'test',
] as const satisfies readonly ChannelName[];
export type ProactiveChannel = (typeof PROACTIVE_CHANNELS)[number];

export function outboundQueueName(channel: ChannelName): string {
  return `outbound-${channel}`;
}

export function allQueueNames(): string[] {
  return [...PROACTIVE_CHANNELS.map(outboundQueueName), REMINDER_QUEUE, MAINTENANCE_QUEUE];
}

/** BullMQ job ids may not contain ':', so the domain key reminder:<e>:<s>:<offset> becomes reminder.<e>.<s>.<offset>. */
export function jobIdFor(key: string): string {
  return key.replaceAll(':', '.');
}
