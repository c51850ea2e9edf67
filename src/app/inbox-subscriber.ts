import type { Config } from '../config';
import type { InboxChangeSource } from '../http/console/console-deps';
import { createRedis } from '../jobs/redis-connection';
import type { Logger } from '../logger';
import { subscribeInbox } from '../services/inbox-events';

/** The subscriber's name in CLIENT LIST: one per deployment (queue prefix) and process. */
export const inboxSubscriberName = (prefix: string) =>
  `jineng:console-sse:${prefix.replace(/[^\w:.-]/g, '_')}`;

/**
 * Inbox changes for the console's live page: each call opens one dedicated Redis connection in subscriber mode
 * (the console calls it once per process and fans out in memory); the returned function closes it. Offline
 * queueing stays on, so a subscription made while Redis restarts is sent when it is back, and ioredis
 * re-subscribes after a reconnect.
 */
export function inboxChangeSource(
  config: Pick<Config, 'REDIS_URL' | 'QUEUE_PREFIX'>,
  logger: Pick<Logger, 'warn'>,
): InboxChangeSource {
  return async (listener) => {
    const subscriber = createRedis(config.REDIS_URL, {
      role: 'worker',
      connectionName: inboxSubscriberName(config.QUEUE_PREFIX),
    });
    subscriber.on('error', (error) =>
      logger.warn({ err: error }, 'inbox live updates: Redis connection error'),
    );
    try {
      const unsubscribe = await subscribeInbox(subscriber, config.QUEUE_PREFIX, listener);
      return async () => {
        await unsubscribe();
        subscriber.disconnect();
      };
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
  };
}
