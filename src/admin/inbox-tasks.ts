import { z } from 'zod';
import { loadKnowledge } from '../app/knowledge';
import { loadQuestionMatcher } from '../app/question-matcher';
import type { Config } from '../config';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Database } from '../db/database';
import { createInboxRepository } from '../db/repositories/inbox-repository';
import { createDeliveryRepository } from '../delivery/delivery-repository';
import { DEFAULT_LEASE_MS } from '../delivery/outbound-worker';
import { createOutbox } from '../delivery/outbox';
import { PROACTIVE_CHANNELS } from '../delivery/recipients';
import { createTranslator } from '../i18n/i18n';
import { createRedis } from '../jobs/redis-connection';
import { inboxPublisher } from '../services/inbox-events';
import { createInboxService, type InboxService, inboxReplyWindow } from '../services/inbox-service';
import { closeUnansweredItem, unansweredInboxItems } from '../services/unanswered-service';

/** The operator at the command line acts as an admin (docs/staff-inbox.md). */
const OPERATOR: CoordinatorAccess = { role: 'admin', courseCodes: [], counties: [] };

interface Context {
  database: Database;
  config: Config;
}

/**
 * The inbox service on this database, with a Redis connection of its own for what it queues and announces
 * (the bot's outbound workers send; the console hears the change). Closed after `run`.
 */
async function withInbox<R>({ database, config }: Context, run: (inbox: InboxService) => Promise<R>) {
  const producer = createRedis(config.REDIS_URL, { role: 'producer', connectionName: 'jineng:cli-inbox' });
  producer.on('error', () => undefined);
  const outbox = createOutbox({
    connection: producer,
    prefix: config.QUEUE_PREFIX,
    deliveries: createDeliveryRepository(database.pool, DEFAULT_LEASE_MS),
    attempts: config.OUTBOUND_ATTEMPTS,
    backoffMs: config.OUTBOUND_BACKOFF_MS,
    channels: PROACTIVE_CHANNELS,
  });
  const inbox = createInboxService({
    repo: createInboxRepository(database.pool),
    outbox,
    channels: PROACTIVE_CHANNELS,
    replyWindowHours: inboxReplyWindow(config),
    translator: createTranslator(),
    publish: inboxPublisher(producer, config.QUEUE_PREFIX),
  });
  try {
    return await run(inbox);
  } finally {
    await outbox.close();
    await producer.quit().catch(() => producer.disconnect());
  }
}

const itemId = z.string().uuid('an inbox item id (a UUID, as `inbox list` prints it)');
/** Unanswered-question groups (the curated-answers log) are listed beside the inbox's own items: `u<n>`. */
const UNANSWERED_ID = /^u\d+$/;

/** `jineng inbox list|reply|close`, as tasks the CLI runs on the database (or inside the running bot). */
export const inboxTasks = {
  'inbox.list': {
    input: z.object({}),
    run: (ctx: Context, _input: Record<string, never>) =>
      withInbox(ctx, async (inbox) => {
        const own = (await inbox.listForAccount(OPERATOR)).map((item) => ({
          id: item.id,
          kind: item.kind as string,
          channel: item.channel,
          user: item.user,
          text: item.text,
          waiting_s: item.waitingSeconds,
          status: item.status as string,
          ...(item.trackingNo ? { tracking_no: item.trackingNo } : {}),
        }));
        const matcher = loadQuestionMatcher(loadKnowledge());
        const unanswered = (await unansweredInboxItems(ctx.database.prisma, matcher)).map((item) => ({
          ...item,
          status: 'waiting',
        }));
        // Oldest waiting first, whatever the kind.
        return [...own, ...unanswered].sort((a, b) => b.waiting_s - a.waiting_s);
      }),
  },
  'inbox.reply': {
    input: z.object({ id: itemId, text: z.string().trim().min(1, '--text is empty'), by: z.string().min(1) }),
    run: (ctx: Context, input: { id: string; text: string; by: string }) =>
      withInbox(ctx, (inbox) => inbox.reply(OPERATOR, input.id, { text: input.text, account: input.by })),
  },
  'inbox.close': {
    input: z.object({
      id: z.union([itemId, z.string().regex(UNANSWERED_ID)]),
      outcome: z.string().max(500).optional(),
      by: z.string().min(1),
    }),
    run: async (ctx: Context, input: { id: string; outcome?: string; by: string }) => {
      if (UNANSWERED_ID.test(input.id)) {
        const matcher = loadQuestionMatcher(loadKnowledge());
        const closed = await closeUnansweredItem(ctx.database.prisma, matcher, input.id);
        return { closed, ratingAsked: false };
      }
      return withInbox(ctx, (inbox) =>
        inbox.close(OPERATOR, input.id, { outcome: input.outcome, account: input.by }),
      );
    },
  },
};
