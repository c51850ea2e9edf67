import type { Worker, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Config } from '../config';
import type { Channel } from '../core/channel';
import type { ChatSessionStore } from '../core/dialog/chat-session-store';
import type { ChannelName } from '../core/message';
import type { Logger } from '../logger';
import { createDeliveryAttempts, type DeliveryAttempts } from './delivery-attempts';
import { createDeliveryRepository, type DeliveryRepository } from './delivery-repository';
import { createFallback, listForStaff } from './fallback';
import type { OptOutCheck } from './outbound-job';
import { type LimitsConfig, outboundLimits } from './outbound-limits';
import { DEFAULT_LEASE_MS, startOutboundWorker } from './outbound-worker';
import { createOutbox, type Outbox } from './outbox';
import { createChoiceRecorder } from './proactive-choices';
import { createRecipients, type DeliveryRoute, deliveryChannels, type Recipients } from './recipients';
import { closeWith, ownConnection } from './worker-connection';

export interface DeliveryDeps {
  config: LimitsConfig & Pick<Config, 'QUEUE_PREFIX' | 'OUTBOUND_ATTEMPTS' | 'OUTBOUND_BACKOFF_MS'>;
  logger: Logger;
  /** The delivery hot path's database pool (the ledger and the reachability rule). */
  pool: pg.Pool;
  /**
   * Workers block on `worker` (each worker on a copy of its own); what requests queue goes through `producer`,
   * which fails at once while Redis is away; a notice's jobs go through `bulk` (default: `producer`).
   */
  redis: { worker: Redis; producer: Redis; bulk?: Redis };
  /** The channels messages may be written to unprompted (recipients.ts: proactiveChannels). */
  channels: readonly ChannelName[];
  /**
   * The routes beyond the chat channels and their order (DELIVERY_FALLBACK): SMS and the Official Account
   * where configured. Without: the chat channels only, and a message that cannot go there fails.
   */
  routes?: { fallback: readonly DeliveryRoute[]; sms: boolean; wechatOa: boolean };
  /** The chat sessions: a delivered message's choices become the person's current ones. */
  sessions: ChatSessionStore;
  /** Tests shorten lock/stall timings and the claim lease to recover from a killed worker quickly. */
  workerOptions?: Partial<Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>>;
  leaseMs?: number;
  /** "退订" on a channel (issue 19): rows of kinds the person opted out of there fail as 'opted_out'. */
  optedOut?: OptOutCheck;
}

/**
 * Proactive messages, in one place: who can be reached and where (`recipients`), the ledger of every message
 * (`ledger`), queueing (`outbox`), and the per-channel outbound workers with their pacing.
 */
export interface Delivery {
  /** The channels this deployment writes to unprompted. */
  readonly channels: readonly ChannelName[];
  /** The one rule "can this channel carry proactive messages": others are recorded as unreachable. */
  isProactive(channel: Pick<Channel, 'name'>): boolean;
  recipients: Recipients;
  ledger: DeliveryRepository;
  /** Every try of every delivery on a channel (delivery_attempts). */
  attempts: DeliveryAttempts;
  outbox: Outbox;
  /** The outbound worker of one channel, with that channel's limits (outbound-limits.ts). */
  startOutbound(
    channel: Channel,
    hooks?: { afterFinal?: (row: { broadcastId: string | null }) => void },
  ): Worker;
  /** Lets in-flight sends finish (their claims would otherwise wait out the lease after a restart). */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export function createDelivery(deps: DeliveryDeps): Delivery {
  const { config, logger } = deps;
  const prefix = config.QUEUE_PREFIX;
  const ledger = createDeliveryRepository(deps.pool, deps.leaseMs ?? DEFAULT_LEASE_MS);
  const channels = deps.routes ? deliveryChannels(deps.channels, deps.routes) : deps.channels;
  const attempts = createDeliveryAttempts(deps.pool);
  const recipients = createRecipients(deps.pool, channels);
  const outbox = createOutbox({
    connection: deps.redis.producer,
    bulkConnection: deps.redis.bulk,
    prefix,
    deliveries: ledger,
    attempts: config.OUTBOUND_ATTEMPTS,
    backoffMs: config.OUTBOUND_BACKOFF_MS,
    channels,
    onUnreachable: (personIds) => listForStaff(deps.pool, personIds),
  });
  const fallback = deps.routes
    ? createFallback({ pool: deps.pool, channels, recipients, attempts, outbox })
    : undefined;
  const recordChoices = createChoiceRecorder(deps.sessions);
  const proactive = new Set<string>(channels);
  const workers: Worker[] = [];

  function startOutbound(
    channel: Channel,
    hooks: { afterFinal?: (row: { broadcastId: string | null }) => void } = {},
  ): Worker {
    const limits = outboundLimits(config, channel.name, channel.capabilities);
    logger.info({ channel: channel.name, limits }, 'outbound worker started');
    const connection = ownConnection(deps.redis.worker, `jineng:outbound:${channel.name}`);
    const worker = startOutboundWorker({
      channel,
      connection,
      redis: connection,
      prefix,
      limits,
      deliveries: ledger,
      outbox,
      logger,
      beforeSend: (message) => recordChoices(message),
      afterFinal: async (row) => hooks.afterFinal?.(row),
      optedOut: deps.optedOut,
      attempts,
      fallback,
      workerOptions: deps.workerOptions,
    });
    closeWith(worker, connection);
    workers.push(worker);
    // A channel this process cannot send on right now (WeChat not logged in here) takes no jobs meanwhile;
    // its messages wait for this or another process that can.
    const availability = channel.availability;
    if (availability) {
      const follow = (available: boolean) => {
        if (available) worker.resume();
        else void worker.pause(true).catch(() => undefined);
        logger.info({ channel: channel.name, available }, 'outbound worker follows the channel');
      };
      if (!availability.current()) void worker.pause(true).catch(() => undefined);
      const stop = availability.subscribe(follow);
      worker.on('closing', stop);
    }
    return worker;
  }

  async function stopWorkers(): Promise<void> {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  }

  return {
    channels,
    isProactive: (channel) => proactive.has(channel.name),
    recipients,
    ledger,
    attempts,
    outbox,
    startOutbound,
    stopWorkers,
    async close() {
      await stopWorkers();
      await outbox.close();
    },
  };
}
