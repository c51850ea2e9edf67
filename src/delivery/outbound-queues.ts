import type { ChannelName } from '../core/message';

/** One outbound queue per channel, so each keeps its own rate limit. */
export function outboundQueueName(channel: ChannelName): string {
  return `outbound-${channel}`;
}

/** BullMQ job ids may not contain ':', so the domain key reminder:<e>:<s>:<offset> becomes reminder.<e>.<s>.<offset>. */
export function jobIdFor(key: string): string {
  return key.replaceAll(':', '.');
}
