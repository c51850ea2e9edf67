import { type Queue, Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Channel } from '../core/channel';
import type { ChannelName } from '../core/message';
import type { Delivery } from '../delivery/delivery';
import { closeWith, ownConnection } from '../delivery/worker-connection';
import type { createCompletionTicker } from '../jobs/broadcast-completion';
import { channelAnnounced } from '../jobs/channel-heartbeat';
import { MAINTENANCE_QUEUE, REMINDER_QUEUE } from '../jobs/queue-names';
import { type ReminderJobDeps, reminderProcessor } from '../jobs/reminder-job';
import { SURVEY_QUEUE, type SurveyJobDeps, scheduleSurveys, surveyProcessor } from '../jobs/survey-job';
import { runSweep, type SweepDeps, scheduleSweep, sweepNow, sweepProcessor } from '../jobs/sweep-job';
import type { Logger } from '../logger';

export interface BackgroundWorkerDeps {
  config: Pick<Config, 'QUEUE_PREFIX' | 'OUTBOUND_CONCURRENCY' | 'REMINDER_SWEEP_MINUTES'>;
  logger: Logger;
  /** The workers' Redis connection (blocks on Redis, waits out an outage). */
  connection: Redis;
  delivery: Delivery;
  /** The process's channels (filled in by the root before any worker starts). */
  channels: ReadonlyMap<ChannelName, Channel>;
  reminderJob: ReminderJobDeps;
  /** The sweep's work; whether a channel is available is answered here. */
  sweep: Omit<SweepDeps, 'channelAvailable'>;
  maintenanceQueue: Queue;
  /** The survey job (docs/surveys.md): its queue (for the schedule), what it does, and how often. */
  surveys?: { deps: SurveyJobDeps; queue: Queue; everyMinutes: number };
  completion: ReturnType<typeof createCompletionTicker>;
  workerOptions?: Partial<Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>>;
}

/** The BullMQ workers of a process: one outbound worker per channel, reminders, and the sweep. */
export function createBackgroundWorkers(deps: BackgroundWorkerDeps) {
  const { config, logger, connection, delivery } = deps;
  const prefix = config.QUEUE_PREFIX;
  /** Channels this process delivers to besides the runtime's own (the terminal chat of `npm start`). */
  const extraChannels = new Set<string>();
  const sweepDeps: SweepDeps = {
    ...deps.sweep,
    channelAvailable: async (channel: string) =>
      deps.channels.has(channel as ChannelName) ||
      extraChannels.has(channel) ||
      (await channelAnnounced(connection, prefix, channel)),
  };
  const workers: Worker[] = [];
  const timers: NodeJS.Timeout[] = [];

  function watch(w: Worker): Worker {
    w.on('failed', (job, error) => logger.warn({ queue: w.name, jobId: job?.id, err: error }, 'job failed'));
    w.on('error', (error) => logger.error({ err: error, queue: w.name }, 'worker error'));
    workers.push(w);
    return w;
  }

  /** The outbound worker of one channel; a finished broadcast delivery ticks its completion check. */
  function startOutbound(channel: Channel): Worker {
    return delivery.startOutbound(channel, {
      afterFinal: (row) => {
        if (row.broadcastId) deps.completion.touch(row.broadcastId);
      },
    });
  }

  function startReminders(): Worker {
    const own = ownConnection(connection, 'jineng:reminders');
    return closeWith(
      watch(
        new Worker(REMINDER_QUEUE, reminderProcessor(deps.reminderJob), {
          connection: own,
          prefix,
          concurrency: config.OUTBOUND_CONCURRENCY,
          ...deps.workerOptions,
        }),
      ),
      own,
    );
  }

  /** The sweep: on a schedule, once now at start-up, and the schedule itself re-registered every minute. */
  async function startSweep(): Promise<void> {
    watch(new Worker(MAINTENANCE_QUEUE, sweepProcessor(sweepDeps), { connection, prefix, concurrency: 1 }));
    const everyMs = config.REMINDER_SWEEP_MINUTES * 60_000;
    await scheduleSweep(deps.maintenanceQueue, everyMs);
    await sweepNow(deps.maintenanceQueue, 'startup');
    // A Redis flush also removes the sweep's schedule; putting it back once a minute costs one command.
    const keep = setInterval(() => {
      scheduleSweep(deps.maintenanceQueue, everyMs).catch((error) =>
        logger.warn({ err: error }, 'could not re-register the sweep schedule'),
      );
    }, 60_000);
    keep.unref();
    timers.push(keep);
  }

  /** The survey job: on a schedule (every process re-registers it; one runs each pass). */
  async function startSurveys(): Promise<void> {
    if (!deps.surveys) return;
    const { queue, everyMinutes } = deps.surveys;
    // A connection of its own, closed with the worker (as the reminders'): two workers on one shared client left
    // one of them erroring on a closed connection at shutdown, which crashed the process.
    const own = ownConnection(connection, 'jineng:surveys');
    closeWith(
      watch(
        new Worker(SURVEY_QUEUE, surveyProcessor(deps.surveys.deps), {
          connection: own,
          prefix,
          concurrency: 1,
        }),
      ),
      own,
    );
    await scheduleSurveys(queue, everyMinutes * 60_000);
    // As for the sweep: a Redis flush removes the schedule too, so it is put back once a minute.
    const keep = setInterval(() => {
      scheduleSurveys(queue, everyMinutes * 60_000).catch((error) =>
        logger.warn({ err: error }, 'could not re-register the survey schedule'),
      );
    }, 60_000);
    keep.unref();
    timers.push(keep);
  }

  /** Outbound workers for the proactive channels `which` picks (the runtime's and `extra`). */
  function startOutboundFor(extra: Channel[], which: (channel: Channel) => boolean): void {
    for (const channel of extra) extraChannels.add(channel.name);
    for (const channel of [...deps.channels.values(), ...extra]) {
      if (delivery.isProactive(channel) && which(channel)) startOutbound(channel);
    }
  }

  return {
    startOutbound,
    startOutboundFor,
    startReminders,
    /**
     * Outbound workers for the channels `which` picks (default: all), then reminders and the sweep. A
     * workers-only process leaves out session-bound channels (WeChat): only the process logged in can send.
     */
    async startAll(extra: Channel[] = [], which: (channel: Channel) => boolean = () => true): Promise<void> {
      startOutboundFor(extra, which);
      startReminders();
      await startSweep();
      await startSurveys();
    },
    sweep: () => runSweep(sweepDeps),
    /** Lets in-flight jobs finish (their claims would otherwise wait out the lease after a restart). */
    async stop(): Promise<void> {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.all([...workers.splice(0).map((w) => w.close()), delivery.stopWorkers()]);
      await deps.completion.flush();
    },
  };
}

export type BackgroundWorkers = ReturnType<typeof createBackgroundWorkers>;
