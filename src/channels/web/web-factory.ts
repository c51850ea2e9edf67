import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Db } from '../../db/prisma-client';
import type { Logger } from '../../logger';
import { WebChannel } from './web-channel';
import { createWebInboxStore } from './web-inbox-store';
import { createWebLoginStore } from './web-logins-store';
import { createPushHub } from './web-push-hub';

/** What the web chat is built from: its own stores live in this folder and keep their rows in `db`. */
export interface WebChannelDeps {
  config: Pick<Config, 'WEB_INBOX_DAYS' | 'WEB_SESSION_DAYS' | 'QUEUE_PREFIX'>;
  logger: Logger;
  db: Db;
  /** Carries proactive messages to the process whose page is open. */
  redis: Redis;
}

/** The web chat is always on: it is how a newcomer tries the bot (`npm start`, then open the page). */
export function createWebChannel({ config, logger, db, redis }: WebChannelDeps): WebChannel {
  const inbox = createWebInboxStore(db, config.WEB_INBOX_DAYS);
  return new WebChannel({
    logins: createWebLoginStore(db, config.WEB_SESSION_DAYS),
    inbox,
    hub: createPushHub({
      redis,
      topic: `${config.QUEUE_PREFIX}:web:push`,
      maxPerLogin: 3,
      onDelivered: (ids) => inbox.markDelivered(ids),
      logger,
    }),
    logger,
  });
}
