import type { ChannelFactory } from '../../app/channels';
import { WebChannel } from './web-channel';
import { createWebInboxStore } from './web-inbox-store';
import { createWebLoginStore } from './web-logins-store';
import { createPushHub } from './web-push-hub';

/** The web chat is always on: it is how a newcomer tries the bot (`npm start`, then open the page). */
export const createWebChannel: ChannelFactory = ({ config, logger, db, redis }) => {
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
};
