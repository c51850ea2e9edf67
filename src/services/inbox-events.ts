import type { Redis } from 'ioredis';
import { z } from 'zod';

/** A change to an inbox item, published to every process (the console's SSE re-reads the item). */
export const inboxChangeSchema = z.object({
  id: z.string(),
  type: z.enum(['opened', 'updated', 'claimed', 'replied', 'released', 'closed']),
});
export type InboxChange = z.infer<typeof inboxChangeSchema>;

export const inboxChannelName = (prefix: string) => `${prefix}:inbox`;

/** Publishes on Redis; a lost notice only delays the console's view until its next refresh, so errors are dropped. */
export function inboxPublisher(redis: Redis, prefix: string): (change: InboxChange) => void {
  return (change) => {
    void redis.publish(inboxChannelName(prefix), JSON.stringify(change)).catch(() => undefined);
  };
}

/**
 * Calls `listener` for every change in any process of this deployment. `subscriber` must be a connection of
 * its own (a Redis connection in subscriber mode can do nothing else); the returned function unsubscribes.
 */
export async function subscribeInbox(
  subscriber: Redis,
  prefix: string,
  listener: (change: InboxChange) => void,
): Promise<() => Promise<void>> {
  const channel = inboxChannelName(prefix);
  const onMessage = (from: string, raw: string) => {
    if (from !== channel) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return;
    }
    const parsed = inboxChangeSchema.safeParse(value);
    if (parsed.success) listener(parsed.data);
  };
  subscriber.on('message', onMessage);
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.off('message', onMessage);
    await subscriber.unsubscribe(channel).catch(() => undefined);
  };
}
