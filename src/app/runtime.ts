import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';
import { startControlServer } from '../admin/control-server';
import type { Config } from '../config';
import type { Channel } from '../core/channel';
import { createDialogEngine, type DialogEngine } from '../core/dialog/engine';
import { withCommandRoutes } from '../core/dialog/intents/command-routes';
import type { DialogSession } from '../core/dialog/session';
import type { ChannelName } from '../core/message';
import { type Database, openDatabase } from '../db/database';
import type { Db } from '../db/prisma-client';
import { createCourseCatalog } from '../db/repositories/courses-repository';
import { createEnrolmentRepository } from '../db/repositories/enrolment-repository';
import { createPeopleRepository } from '../db/repositories/people-repository';
import { SAMPLE_COURSES_FILE, seedDatabase } from '../db/seed';
import { createTranslator } from '../i18n/i18n';
import { announceChannels } from '../jobs/channel-heartbeat';
import { checkRedis, createRedis } from '../jobs/redis-connection';
import type { Logger } from '../logger';
import { createRedisSessionStore } from '../session/redis-session-store';
import { channelFactories } from './channels';
import { buildDialog } from './dialog-wiring';
import { loadKnowledge } from './knowledge';
import { createMetrics, type Metrics, observeEngine } from './metrics';
import { createOutreach, type Outreach, type OutreachOptions } from './outreach';
import { loadPiiCipher } from './pii-keys';
import { probePostgres } from './probe-postgres';
import { oneLine, StartupError } from './startup-error';

export interface Runtime {
  config: Config;
  logger: Logger;
  databaseUrl: string;
  /** The database's clients; `database.embedded` is set when PGlite runs in this process. */
  database: Database;
  db: Db;
  redis: Redis;
  engine: DialogEngine;
  /** Configured platform channels (Telegram, WeChat, web…), by name; the outbound worker sends through them. */
  channels: Map<ChannelName, Channel>;
  /** Starts every configured channel, each passing its messages to the dialog engine. */
  startChannels(): Promise<void>;
  /** Reminders, broadcasts, coordinators and the outbound queues. */
  outreach: Outreach;
  /**
   * Starts the outbound workers (one per channel `which` picks, default all, plus `extra` ones such as the
   * terminal), reminders and the sweep.
   */
  startWorkers(extra?: Channel[], which?: (channel: Channel) => boolean): Promise<void>;
  /** Only the outbound workers of the channels `which` picks (a channels-only process: WeChat's). */
  startOutboundWorkers(which: (channel: Channel) => boolean): void;
  /** Prometheus metrics of this process (turns per channel, latency); served at GET /metrics. */
  metrics: Metrics;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Channels besides the configured platforms (tests and benchmarks pass a recording channel). */
  channels?: Channel[];
  outreach?: Pick<OutreachOptions, 'workerOptions' | 'leaseMs'>;
}

/** The database this configuration names: a PostgreSQL server, or the embedded PGlite under DATA_DIR. */
export function openConfiguredDatabase(config: Config, logger: Logger): Promise<Database> {
  return openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR }, logger);
}

async function seedSampleDataIfWanted(config: Config, db: Db, embedded: boolean, logger: Logger) {
  const wanted =
    config.SEED_SAMPLE_DATA === 'always' ||
    (config.SEED_SAMPLE_DATA === 'auto' && embedded && (await db.course.count()) === 0);
  if (!wanted) return;
  const result = await seedDatabase(db, {
    now: new Date(),
    sampleJson: readFileSync(SAMPLE_COURSES_FILE, 'utf8'),
    timezone: config.TIMEZONE,
  });
  logger.info({ courses: result.courses }, 'loaded the sample Zhaotong courses');
}

/** The composition root: config → database → Redis → i18n → knowledge → services → dialog engine. */
export async function createRuntime(
  config: Config,
  logger: Logger,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const redis = createRedis(config.REDIS_URL, { connectionName: 'jineng:requests' });
  // While Redis is away ioredis reconnects by itself; each failed attempt is logged, never thrown.
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error; reconnecting'));
  const closers: Array<() => Promise<unknown>> = [() => redis.quit().catch(() => redis.disconnect())];
  const close = async () => {
    for (const fn of closers.reverse())
      await fn().catch((error) => logger.warn({ err: error }, 'close failed'));
  };
  try {
    const redisCheck = await checkRedis(redis, config.REDIS_URL, config.STARTUP_TIMEOUT_MS);
    if (redisCheck.warning) logger.warn(redisCheck.warning);
    if (config.DATABASE_URL) await probePostgres(config.DATABASE_URL, config.STARTUP_TIMEOUT_MS);
    const database = await openConfiguredDatabase(config, logger).catch((error: unknown) => {
      if (config.DATABASE_URL) throw error;
      throw new StartupError(
        `the embedded database under DATA_DIR=${config.DATA_DIR} could not be opened: ${oneLine(error)}`,
        { cause: error },
      );
    });
    // Closed last (closers run in reverse): workers and channels stop before their connection does.
    closers.unshift(() => database.close());
    const db = database.prisma;
    if (database.embedded) {
      // CLI commands (coordinators invite, db seed…) reach this process instead of opening the data directory.
      const control = await startControlServer(
        join(dirname(database.embedded.socketPath), 'jineng-control.sock'),
        { database, config },
        logger,
      );
      database.embedded.lock.announce(control.path);
      closers.push(() => control.close());
    }
    await seedSampleDataIfWanted(config, db, Boolean(database.embedded), logger);

    const translator = createTranslator();
    const knowledge = loadKnowledge();
    const sessions = createRedisSessionStore<DialogSession>(redis, {
      prefix: config.QUEUE_PREFIX,
      ttlSeconds: config.SESSION_TTL_SECONDS,
    });
    const channels = new Map<ChannelName, Channel>();
    const outreach = createOutreach({
      config,
      logger,
      db,
      pool: database.pool,
      translator,
      sessions,
      channels,
      ...options.outreach,
    });
    closers.push(() => outreach.close());
    const services = {
      people: createPeopleRepository(db, loadPiiCipher(config, logger)),
      catalog: createCourseCatalog(db),
      enrolments: outreach.wrapEnrolments(createEnrolmentRepository(db, database.pool)),
      handoffPhone: config.HANDOFF_PHONE,
      timezone: config.TIMEZONE,
    };
    const dialog = buildDialog(knowledge, services, outreach.dialogServices(knowledge.nlu));
    const metrics = createMetrics();
    const engine = observeEngine(
      createDialogEngine({
        nlu: withCommandRoutes(knowledge.nlu),
        translator,
        sessions,
        people: services.people,
        intents: dialog.intents,
        flows: dialog.flows,
        defaultLocale: config.DEFAULT_LOCALE,
        onError: (error, message) =>
          logger.error(
            { err: error, channel: message.address.channel, messageId: message.id },
            'turn failed',
          ),
      }),
      metrics,
    );
    for (const channel of options.channels ?? []) channels.set(channel.name, channel);
    for (const factory of channelFactories) {
      const channel = factory({ config, logger, db, redis });
      if (channel) channels.set(channel.name, channel);
    }
    const startChannels = async () => {
      for (const channel of channels.values()) {
        await channel.start(async (message) => (await engine.handle(message)).replies);
        closers.push(() => channel.stop());
        logger.info({ channel: channel.name }, 'channel started');
      }
      const heartbeat = announceChannels(redis, config.QUEUE_PREFIX, [...channels.keys()]);
      closers.push(async () => heartbeat.stop());
    };
    let workersStopped = false;
    const stopWorkersOnClose = () => {
      if (workersStopped) return;
      workersStopped = true;
      closers.push(() => outreach.stopWorkers());
    };
    const startWorkers = async (extra: Channel[] = [], which?: (channel: Channel) => boolean) => {
      await outreach.startWorkers(extra, which);
      stopWorkersOnClose();
    };
    const startOutboundWorkers = (which: (channel: Channel) => boolean) => {
      outreach.startOutboundFor([], which);
      stopWorkersOnClose();
    };
    return {
      config,
      logger,
      databaseUrl: database.url,
      database,
      db,
      redis,
      engine,
      channels,
      startChannels,
      outreach,
      startWorkers,
      startOutboundWorkers,
      metrics,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
