import { Queue, Worker, type WorkerOptions } from 'bullmq';
import type pg from 'pg';
import type { Config } from '../config';
import type { Channel } from '../core/channel';
import type { ChatSessionStore } from '../core/dialog/chat-session-store';
import type { Nlu } from '../core/dialog/handler';
import type { OutreachDialogServices } from '../core/dialog/outreach-services';
import type { Translator } from '../core/i18n';
import type { ChannelName } from '../core/message';
import type { CoordinationService } from '../core/outreach-ports';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { EnrolmentRepository } from '../core/ports';
import { parseQuietHours } from '../core/reminders/reminder-plan';
import type { Db } from '../db/prisma-client';
import { createBroadcastRepository } from '../db/repositories/broadcast-repository';
import { createDeliveryRepository } from '../db/repositories/delivery-repository';
import { resumeErasureScrubs } from '../db/repositories/person-erasure';
import { createReminderRepository } from '../db/repositories/reminder-repository';
import { createCompletionTicker } from '../jobs/broadcast-completion';
import { channelAnnounced } from '../jobs/channel-heartbeat';
import { closeQueues } from '../jobs/close-queues';
import { outboundLimits } from '../jobs/outbound-limits';
import { DEFAULT_LEASE_MS, startOutboundWorker } from '../jobs/outbound-worker';
import { createOutbox } from '../jobs/outbox';
import { createChoiceRecorder } from '../jobs/proactive-choices';
import { MAINTENANCE_QUEUE, PROACTIVE_CHANNELS, REMINDER_QUEUE } from '../jobs/queue-names';
import { createRedis } from '../jobs/redis-connection';
import { reminderProcessor } from '../jobs/reminder-job';
import { createReminderScheduler } from '../jobs/reminder-scheduler';
import { runSweep, scheduleSweep, sweepNow, sweepProcessor } from '../jobs/sweep-job';
import type { Logger } from '../logger';
import { createAttendanceService } from '../services/attendance-service';
import { createBroadcastService } from '../services/broadcast-service';
import { createCoordinatorService } from '../services/coordinator-service';
import { promotionNotices, withOutreach } from '../services/enrolment-service';
import { loadPiiCipher } from './pii-keys';

export interface OutreachOptions {
  config: Config;
  logger: Logger;
  db: Db;
  /** The same database for the delivery hot path, through a plain `pg` pool (the caller owns and ends it). */
  pool: pg.Pool;
  translator: Translator;
  sessions: ChatSessionStore;
  /** The runtime's channels (filled in later); read when a worker starts or a text length is checked. */
  channels: Map<ChannelName, Channel>;
  /** Tests shorten lock/stall timings and the claim lease to recover from a killed worker quickly. */
  workerOptions?: Partial<Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>>;
  leaseMs?: number;
}

/** Reminders, broadcasts, coordinators and the outbound queues, wired together; workers start on demand. */
export function createOutreach(options: OutreachOptions) {
  const { config, logger, db, translator } = options;
  // Workers block on their connection and wait out an outage; what requests queue goes through `producer`,
  // which fails at once while Redis is away (PostgreSQL keeps the rows; the sweep queues them later).
  const connection = createRedis(config.REDIS_URL, { role: 'worker', connectionName: 'jineng:queues' });
  const producer = createRedis(config.REDIS_URL, { role: 'producer', connectionName: 'jineng:producer' });
  producer.on('error', (error) => logger.debug({ err: error }, 'Redis (queue producer) connection error'));
  const prefix = config.QUEUE_PREFIX;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const { pool } = options;
  const deliveries = createDeliveryRepository(pool, leaseMs);
  const reminderFacts = createReminderRepository(pool, PROACTIVE_CHANNELS);
  const outbox = createOutbox({
    connection: producer,
    prefix,
    deliveries,
    attempts: config.OUTBOUND_ATTEMPTS,
    backoffMs: config.OUTBOUND_BACKOFF_MS,
  });
  const reminderQueue = new Queue(REMINDER_QUEUE, { connection: producer, prefix });
  const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, { connection: producer, prefix });
  const quiet = parseQuietHours(config.REMINDER_QUIET_HOURS);
  const reminders = createReminderScheduler({
    db,
    queue: reminderQueue,
    deliveries,
    offsets: config.REMINDER_OFFSETS_MINUTES,
    timezone: config.TIMEZONE,
    quiet,
    horizonDays: config.REMINDER_HORIZON_DAYS,
    releaseOutbound: (rows) => outbox.release(rows),
    logger,
  });
  const coordinators = createCoordinatorService(db, config.ADMIN_IDENTITIES);
  const broadcasts = createBroadcastService({
    db,
    deliveries,
    broadcasts: createBroadcastRepository(pool, PROACTIVE_CHANNELS, (error) =>
      logger.error({ err: error }, 'broadcast rows written but jobs not queued; the sweep will queue them'),
    ),
    outbox,
    coordinators,
    translator,
    maxTextLength: (channel) => options.channels.get(channel)?.capabilities.maxTextLength ?? 4_096,
    planDelivery: async (channel, count, now) => options.channels.get(channel)?.planDelivery?.(count, now),
    logger,
  });
  const attendance = createAttendanceService({
    db,
    outbox,
    coordinators,
    translator,
    timezone: config.TIMEZONE,
  });
  const coordination: CoordinationService = {
    access: coordinators.access,
    redeemInvite: coordinators.redeemInvite,
    targets: coordinators.targets,
    audit: coordinators.audit,
    draft: broadcasts.draft,
    confirm: broadcasts.confirm,
    discard: broadcasts.discard,
    report: broadcasts.report,
  };
  /** What a sign-up's consequences need: reminders, and "you got a seat" for whoever moves up. */
  const enrolmentOutreach = { db, reminders, outbox, translator, timezone: config.TIMEZONE, logger };
  const promotions = promotionNotices(enrolmentOutreach);
  /** Channels this process delivers to besides the runtime's own (the terminal chat of `npm start`). */
  const extraChannels = new Set<string>();
  let cipher: PiiCipher | undefined;
  const sweepDeps = {
    reminders,
    deliveries,
    outbox,
    finishStaleBroadcasts: broadcasts.finishStale,
    channelAvailable: async (channel: string) =>
      options.channels.has(channel as ChannelName) ||
      extraChannels.has(channel) ||
      (await channelAnnounced(connection, prefix, channel)),
    notifyMissedPromotions: () => promotions.missed(),
    resumeErasureScrubs: () => resumeErasureScrubs(db, () => (cipher ??= loadPiiCipher(config, logger))),
    logger,
  };
  const recordChoices = createChoiceRecorder(options.sessions);
  const completion = createCompletionTicker(broadcasts.finishIfDone, logger);
  const workers: Worker[] = [];
  const timers: NodeJS.Timeout[] = [];

  function watch(w: Worker): Worker {
    w.on('failed', (job, error) => logger.warn({ queue: w.name, jobId: job?.id, err: error }, 'job failed'));
    w.on('error', (error) => logger.error({ err: error, queue: w.name }, 'worker error'));
    workers.push(w);
    return w;
  }

  /** The outbound worker of one channel, with that channel's limits (see outbound-limits.ts). */
  function startOutbound(channel: Channel): Worker {
    const limits = outboundLimits(config, channel.name, channel.capabilities);
    logger.info({ channel: channel.name, limits }, 'outbound worker started');
    const worker = startOutboundWorker({
      channel,
      connection,
      redis: connection,
      prefix,
      limits,
      deliveries,
      outbox,
      logger,
      beforeSend: (message) => recordChoices(message),
      afterFinal: async (row) => {
        if (row.broadcastId) completion.touch(row.broadcastId);
      },
      workerOptions: options.workerOptions,
    });
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

  function startReminders(): Worker {
    return watch(
      new Worker(
        REMINDER_QUEUE,
        reminderProcessor({ reminders: reminderFacts, outbox, translator, timezone: config.TIMEZONE, quiet }),
        {
          connection,
          prefix,
          concurrency: config.OUTBOUND_CONCURRENCY,
          ...options.workerOptions,
        },
      ),
    );
  }

  /** The sweep: on a schedule, once now at start-up, and the schedule itself re-registered every minute. */
  async function startSweep(): Promise<void> {
    watch(new Worker(MAINTENANCE_QUEUE, sweepProcessor(sweepDeps), { connection, prefix, concurrency: 1 }));
    const everyMs = config.REMINDER_SWEEP_MINUTES * 60_000;
    await scheduleSweep(maintenanceQueue, everyMs);
    await sweepNow(maintenanceQueue, 'startup');
    // A Redis flush also removes the sweep's schedule; putting it back once a minute costs one command.
    const keep = setInterval(() => {
      scheduleSweep(maintenanceQueue, everyMs).catch((error) =>
        logger.warn({ err: error }, 'could not re-register the sweep schedule'),
      );
    }, 60_000);
    keep.unref();
    timers.push(keep);
  }

  /**
   * Outbound workers for the channels `which` picks (default: all), then reminders and the sweep. A
   * workers-only process leaves out session-bound channels (WeChat): only the process logged in can send.
   */
  async function startWorkers(
    extra: Channel[] = [],
    which: (channel: Channel) => boolean = () => true,
  ): Promise<void> {
    startOutboundFor(extra, which);
    startReminders();
    await startSweep();
  }

  function startOutboundFor(extra: Channel[], which: (channel: Channel) => boolean): void {
    for (const channel of extra) extraChannels.add(channel.name);
    for (const channel of [...options.channels.values(), ...extra]) {
      if ((PROACTIVE_CHANNELS as readonly string[]).includes(channel.name) && which(channel))
        startOutbound(channel);
    }
  }

  /** Lets in-flight jobs finish (their claims would otherwise wait out the lease after a restart). */
  async function stopWorkers(): Promise<void> {
    for (const t of timers.splice(0)) clearInterval(t);
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await completion.flush();
  }

  return {
    connection,
    producer,
    deliveries,
    outbox,
    reminders,
    reminderQueue,
    coordinators,
    broadcasts,
    attendance,
    coordination,
    startWorkers,
    startOutbound,
    startOutboundFor,
    startReminders,
    sweep: () => runSweep(sweepDeps),
    wrapEnrolments: (repo: EnrolmentRepository): EnrolmentRepository => withOutreach(repo, enrolmentOutreach),
    dialogServices: (nlu: Nlu): OutreachDialogServices => ({
      coordination,
      attendance,
      slotsOf: (text) => nlu.understand(text).slots,
      timezone: config.TIMEZONE,
    }),
    stopWorkers,
    async close(): Promise<void> {
      await stopWorkers();
      await Promise.all([outbox.close(), closeQueues([reminderQueue, maintenanceQueue])]);
      await connection.quit().catch(() => connection.disconnect());
      await producer.quit().catch(() => producer.disconnect());
    },
  };
}

export type Outreach = ReturnType<typeof createOutreach>;
