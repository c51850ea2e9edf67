import { type ConnectionOptions, Queue } from 'bullmq';
import type { ChannelName } from '../core/message';
import { createBatcher } from '../db/repositories/batcher';
import { closeQueues } from './close-queues';
import type { DeliveryRepository, DeliveryRow, NewDelivery } from './delivery-repository';
import { OUTBOUND_JOB, outboundPayloadSchema, type StoredMessage } from './outbound-job';
import { jobIdFor, outboundQueueName } from './outbound-queues';

/** One proactive message to queue: with no address it is recorded as failed ('no_reachable_channel'). */
export interface OutboxItem {
  key: string;
  kind: 'reminder' | 'broadcast' | 'broadcast_summary' | 'promotion' | 'absence' | string;
  personId?: string;
  broadcastId?: string;
  address?: { channel: ChannelName; chatId: string };
  message: StoredMessage;
}

export interface OutboxOptions {
  connection: ConnectionOptions;
  /** A notice's jobs (BULK_PRIORITY) go out on this connection, so other messages never queue behind them. */
  bulkConnection?: ConnectionOptions;
  prefix: string;
  deliveries: DeliveryRepository;
  attempts: number;
  backoffMs: number;
  /** The channels messages may be queued for (src/delivery/recipients.ts); others are recorded as unreachable. */
  channels: readonly ChannelName[];
  /** People a message could not be addressed to at all: listed for staff (fallback.ts: listForStaff). */
  onUnreachable?: (personIds: string[]) => Promise<void>;
}

/**
 * Jobs per addBulk, and addBulk calls in flight at once. Building a chunk's jobs is synchronous work in this
 * process (about 20 µs a job): a chunk is what a turn or a worker may wait behind.
 */
const CHUNK = 250;
const LANES = 3;

/**
 * A notice's messages go behind every other message on the channel's queue (BullMQ takes unprioritised jobs
 * first, prioritised ones in order of priority and then of arrival): a reminder falling due just after a
 * 10,000-person notice was confirmed is sent in its minute, not after the notice's last message.
 */
export const BULK_PRIORITY = 10;
const priorityOf = (key: string): number | undefined =>
  key.startsWith('broadcast:') ? BULK_PRIORITY : undefined;

/**
 * Every proactive message goes through here: a delivery row first (the ledger, unique by key), then a job
 * on its channel's outbound queue whose id is derived from the same key, added in bulk.
 */
export function createOutbox(options: OutboxOptions) {
  const proactive = new Set<string>(options.channels);
  const isProactive = (channel: string): channel is ChannelName => proactive.has(channel);
  const queues = new Map<string, Queue>();
  /** The channel's outbound queue; `bulk` gives the same queue through the bulk connection. */
  const queueFor = (channel: ChannelName, bulk = false): Queue => {
    const lane = bulk && options.bulkConnection ? 'bulk' : 'prompt';
    let queue = queues.get(`${lane}:${channel}`);
    if (!queue) {
      queue = new Queue(outboundQueueName(channel), {
        connection: lane === 'bulk' ? options.bulkConnection! : options.connection,
        prefix: options.prefix,
        // Retries with backoff for network errors; finished jobs are trimmed so Redis does not grow.
        defaultJobOptions: {
          attempts: options.attempts,
          backoff: { type: 'exponential', delay: options.backoffMs },
          removeOnComplete: { age: 3_600, count: 5_000 },
          removeOnFail: { age: 7 * 86_400, count: 20_000 },
        },
      });
      queues.set(`${lane}:${channel}`, queue);
    }
    return queue;
  };

  /** Queues jobs for rows that already exist (a chunk of a confirmed broadcast's rows, or rows the sweep found open). */
  async function dispatch(rows: readonly DeliveryRow[]): Promise<number> {
    const byQueue = new Map<string, { channel: ChannelName; bulk: boolean; rows: DeliveryRow[] }>();
    for (const row of rows) {
      if (!isProactive(row.channel)) continue;
      const bulk = priorityOf(row.key) === BULK_PRIORITY;
      const group = byQueue.get(`${bulk}:${row.channel}`) ?? { channel: row.channel, bulk, rows: [] };
      group.rows.push(row);
      byQueue.set(`${bulk}:${row.channel}`, group);
    }
    let queued = 0;
    for (const { channel, bulk, rows: list } of byQueue.values()) {
      const queue = queueFor(channel, bulk);
      // A few addBulk pipelines in flight, each chunk built when one before it was answered: BullMQ's per-job
      // work in Node overlaps with Redis running scripts, yet a notice never has more than LANES × CHUNK jobs
      // in flight, and on a connection of their own. All 10,000 in flight at once (and built in one go) kept
      // reminders that fell due meanwhile out of the queue for seconds and held up every dialog turn of the
      // process for 0.3–0.5 s.
      let next = 0;
      const lane = async () => {
        while (next < list.length) {
          const chunk = list.slice(next, next + CHUNK);
          next += CHUNK;
          await queue.addBulk(
            chunk.map((row) => ({
              name: OUTBOUND_JOB,
              data: outboundPayloadSchema.parse({ key: row.key, channel, chatId: row.chatId }),
              opts: {
                jobId: jobIdFor(row.key),
                priority: priorityOf(row.key),
                delay: row.notBefore ? Math.max(0, row.notBefore - Date.now()) : undefined,
              },
            })),
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(LANES, Math.ceil(list.length / CHUNK)) }, lane));
      queued += list.length;
    }
    return queued;
  }

  /**
   * Frees the job ids of rows whose jobs have finished. A job id is taken for as long as BullMQ keeps the job,
   * so a finished job (one that failed for good, say during a database outage, or ran before its row was
   * committed, or sent a reminder whose class then moved) would make adding a job for the key a no-op.
   * Waiting and running jobs are left alone: they read their row by key when they run.
   */
  const release = (rows: readonly Pick<DeliveryRow, 'key' | 'channel'>[]) =>
    removeJobs(rows, (state) => state === 'completed' || state === 'failed');

  /**
   * Takes back the jobs of rows that will not be sent as queued (a class moved: its prepared reminders are
   * replaced): waiting or delayed jobs go; one being sent now is left to finish.
   */
  const cancel = (rows: readonly Pick<DeliveryRow, 'key' | 'channel'>[]) =>
    removeJobs(rows, (state) => state !== 'active');

  /** Removes the job of each row whose state `drop` picks, a chunk of rows at a time. */
  async function removeJobs(
    rows: readonly Pick<DeliveryRow, 'key' | 'channel'>[],
    drop: (state: string) => boolean,
  ): Promise<void> {
    const open = rows.filter((r) => isProactive(r.channel));
    for (let i = 0; i < open.length; i += CHUNK) {
      await Promise.all(
        open.slice(i, i + CHUNK).map(async (row) => {
          const queue = queueFor(row.channel as ChannelName);
          const id = jobIdFor(row.key);
          if (drop(await queue.getJobState(id))) await queue.remove(id);
        }),
      );
    }
  }

  /** For the sweep: rows still open get their job back, replacing a finished one. */
  async function requeue(rows: readonly DeliveryRow[]): Promise<number> {
    await release(rows);
    return dispatch(rows);
  }

  const toRow = (item: OutboxItem): NewDelivery & Pick<DeliveryRow, 'notBefore'> => ({
    key: item.key,
    kind: item.kind,
    personId: item.personId,
    broadcastId: item.broadcastId,
    channel: item.address?.channel ?? '',
    chatId: item.address?.chatId ?? '',
    message: item.message,
    failReason: item.address && isProactive(item.address.channel) ? undefined : 'no_reachable_channel',
    notBefore: item.message.notBefore ? Date.parse(item.message.notBefore) : undefined,
  });

  // Many reminders fire in the same second; their rows and jobs are written together (one INSERT, one addBulk).
  const write = createBatcher<readonly OutboxItem[], { queued: number; failed: number }>(async (calls) => {
    const rows = calls.flat().map(toRow);
    await options.deliveries.createMany(rows);
    await dispatch(rows.filter((r) => !r.failReason));
    const unreachable = rows.filter((r) => r.failReason && r.personId).map((r) => r.personId!);
    if (unreachable.length) await options.onUnreachable?.(unreachable);
    return calls.map((items) => {
      const queued = items.map(toRow).filter((r) => !r.failReason).length;
      return { queued, failed: items.length - queued };
    });
  }, 500);

  /** Rows first (the ledger), then jobs; queueing the same key again changes nothing. */
  const enqueue = (items: readonly OutboxItem[]) => write(items);

  /**
   * Resolves once fewer than `backlog` notice messages wait on every channel's queue, after `maxWaitMs`, or
   * when `stop` says so; a queue that cannot be asked counts as room (the caller goes on as before).
   */
  async function waitForBulkRoom(backlog: number, maxWaitMs: number, stop: () => boolean): Promise<void> {
    const until = Date.now() + maxWaitMs;
    while (Date.now() < until && !stop()) {
      const waiting = await Promise.all(
        options.channels.map((channel) => queueFor(channel, true).getPrioritizedCount()),
      ).catch(() => [0]);
      if (Math.max(...waiting) < backlog) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    enqueue,
    dispatch,
    waitForBulkRoom,
    requeue,
    release,
    cancel,
    queueFor,
    async close(): Promise<void> {
      await closeQueues(queues.values());
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
