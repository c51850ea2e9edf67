import { type ConnectionOptions, Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Channel } from '../core/channel';
import type { Logger } from '../logger';
import type { DeliveryRepository } from './delivery-repository';
import { type OutboundHandlerDeps, outboundPayloadSchema, outboundProcessor } from './outbound-job';
import type { OutboundLimits } from './outbound-limits';
import { outboundQueueName } from './outbound-queues';
import type { Outbox } from './outbox';

export interface OutboundWorkerOptions {
  channel: Channel;
  connection: ConnectionOptions;
  /** A plain client for per-chat pacing keys. */
  redis: Redis;
  prefix: string;
  limits: OutboundLimits;
  deliveries: DeliveryRepository;
  outbox: Outbox;
  logger: Logger;
  beforeSend?: OutboundHandlerDeps['beforeSend'];
  afterFinal?: OutboundHandlerDeps['afterFinal'];
  optedOut?: OutboundHandlerDeps['optedOut'];
  attempts?: OutboundHandlerDeps['attempts'];
  fallback?: OutboundHandlerDeps['fallback'];
  /** Lock and stalled-check timings; tests shorten them to recover from a killed worker quickly. */
  workerOptions?: Partial<Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>>;
}

/** The claim lease must outlast the slowest send a channel allows (its HTTP timeout). */
export const DEFAULT_LEASE_MS = 60_000;

/** Per-chat pacing: SET NX PX holds the chat for the interval; a busy chat tells how long until it is free. */
function chatPacer(redis: Redis, prefix: string, channel: string, intervalMs: number) {
  return async (chatId: string): Promise<number> => {
    const key = `${prefix}:pace:${channel}:${chatId}`;
    if ((await redis.set(key, '1', 'PX', intervalMs, 'NX')) === 'OK') return 0;
    return Math.max(1, await redis.pttl(key));
  };
}

/** One worker per channel, with that channel's limiter; started by `npm start` (runtime.startWorkers). */
export function startOutboundWorker(options: OutboundWorkerOptions): Worker {
  const { channel, limits, deliveries, logger } = options;
  const queue = options.outbox.queueFor(channel.name as Parameters<Outbox['queueFor']>[0]);
  const processor = outboundProcessor({
    channel,
    deliveries,
    queue,
    takeChatSlot: limits.perChatIntervalMs
      ? chatPacer(options.redis, options.prefix, channel.name, limits.perChatIntervalMs)
      : undefined,
    beforeSend: options.beforeSend,
    afterFinal: options.afterFinal,
    optedOut: options.optedOut,
    attempts: options.attempts,
    fallback: options.fallback,
    logger,
  });
  const worker = new Worker(outboundQueueName(channel.name), processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: limits.concurrency,
    limiter: { max: limits.max, duration: limits.durationMs },
    maxStalledCount: 3,
    ...options.workerOptions,
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    // A job that stalled too often never reached our code: close its row so it does not stay open for ever.
    if (/stalled/i.test(error.message)) {
      const payload = outboundPayloadSchema.safeParse(job.data);
      if (payload.success) void deliveries.markFailed(payload.data.key, 'stalled').catch(() => undefined);
    }
    logger.warn({ queue: queue.name, jobId: job.id, err: error }, 'outbound job failed');
  });
  worker.on('error', (error) => logger.error({ err: error, queue: queue.name }, 'outbound worker error'));
  return worker;
}
