import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Queue, type Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { startControlServer } from '../admin/control-server';
import type { Config } from '../config';
import type { Channel } from '../core/channel';
import { createDialogEngine, type DialogEngine } from '../core/dialog/engine';
import { withCommandRoutes } from '../core/dialog/intents/command-routes';
import type { ChannelName } from '../core/message';
import type { AttendanceService, CoordinationService } from '../core/outreach-ports';
import type { EnrolmentRepository } from '../core/ports';
import { parseQuietHours } from '../core/reminders/reminder-plan';
import { type Database, openDatabase } from '../db/database';
import type { Db } from '../db/prisma-client';
import { createBroadcastRepository } from '../db/repositories/broadcast-repository';
import { createChannelActivity } from '../db/repositories/channel-activity-repository';
import { createChatLinkRepository } from '../db/repositories/chat-links-repository';
import { createCourseCatalog } from '../db/repositories/courses-repository';
import { createEnrolmentRepository } from '../db/repositories/enrolment-repository';
import { createFamilyRepository } from '../db/repositories/family-repository';
import { createInboxRepository } from '../db/repositories/inbox-repository';
import { createLeaveRequestRepository } from '../db/repositories/leave-request-repository';
import { createPeopleRepository } from '../db/repositories/people-repository';
import { resumeErasureScrubs } from '../db/repositories/person-erasure';
import { createReminderRepository } from '../db/repositories/reminder-repository';
import { createUnansweredLog } from '../db/repositories/unanswered-log';
import { SAMPLE_COURSES_FILE, seedDatabase } from '../db/seed';
import { closeQueues } from '../delivery/close-queues';
import { createDelivery, type Delivery } from '../delivery/delivery';
import { proactiveChannels } from '../delivery/recipients';
import type { ConsoleDeps } from '../http/console/console-deps';
import { createTranslator } from '../i18n/i18n';
import { createCompletionTicker } from '../jobs/broadcast-completion';
import { announceChannels } from '../jobs/channel-heartbeat';
import { MAINTENANCE_QUEUE, REMINDER_QUEUE } from '../jobs/queue-names';
import { checkRedis, createRedis } from '../jobs/redis-connection';
import { createReminderScheduler, type ReminderScheduler } from '../jobs/reminder-scheduler';
import { runSurveyJob, SURVEY_QUEUE, type SurveyJobDeps, type SurveyJobResult } from '../jobs/survey-job';
import type { SweepResult } from '../jobs/sweep-job';
import type { Logger } from '../logger';
import { createAcks } from '../services/acks-service';
import { createAttendanceService } from '../services/attendance-service';
import { type BroadcastService, createBroadcastService } from '../services/broadcast-service';
import { createCertificateLookup } from '../services/certificates-service';
import { checkinRulesOf, checkinSecret, createCheckinService } from '../services/checkin-service';
import { createContactRoutes } from '../services/contact-route-service';
import { type CoordinatorService, createCoordinatorService } from '../services/coordinator-service';
import { createCourseCompletions } from '../services/course-completions';
import { createCuratedAnswerBook } from '../services/curated-answer-book';
import { createEmploymentService } from '../services/employment-service';
import { promotionNotices, withOutreach } from '../services/enrolment-service';
import { createIdentityLinkService } from '../services/identity-link-service';
import { createInboxAlerts } from '../services/inbox-alerts';
import { createInboxDialogPort } from '../services/inbox-dialog-port';
import { inboxPublisher } from '../services/inbox-events';
import { createInboxService, type InboxService, inboxReplyWindow } from '../services/inbox-service';
import { createPreferences } from '../services/preferences-service';
import { createRoster } from '../services/roster-service';
import { createSatisfactionService, surveySettingsOf } from '../services/satisfaction-service';
import { createSurveyPort } from '../services/satisfaction-survey-port';
import { createScheduleChanges } from '../services/schedule-change-service';
import { createTimetable } from '../services/schedule-change-timetable';
import {
  createSubsidyClaims,
  createSubsidyStatusLookup,
  loadSubsidyDocuments,
} from '../services/subsidy-claims-service';
import { createRedisSessionStore } from '../session/redis-session-store';
import { createPlatformChannels } from './channels';
import { createConsoleServices } from './console-services';
import { buildDialog } from './dialog-wiring';
import { inboxChangeSource } from './inbox-subscriber';
import { loadKnowledge } from './knowledge';
import { createMetrics, type Metrics, observeEngine, smsMeter } from './metrics';
import { loadPiiCipher } from './pii-keys';
import { probePostgres } from './probe-postgres';
import { loadQuestionMatcher } from './question-matcher';
import { oneLine, StartupError } from './startup-error';
import { createBackgroundWorkers } from './workers';

/** Everything one process runs, built once by `createRuntime` below. */
export interface Runtime {
  config: Config;
  logger: Logger;
  databaseUrl: string;
  /** The database's clients; `database.embedded` is set when PGlite runs in this process. */
  database: Database;
  db: Db;
  /** Redis for requests: chat sessions, locks, rate limits, heartbeats. */
  redis: Redis;
  /** Redis for adding jobs (fails at once while Redis is away; the sweep queues what could not be added). */
  producer: Redis;
  engine: DialogEngine;
  /** Configured platform channels (Telegram, WeChat, web…), by name; the outbound workers send through them. */
  channels: Map<ChannelName, Channel>;
  /** Starts every configured channel, each passing its messages to the dialog engine. */
  startChannels(): Promise<void>;
  /** Proactive messages: recipients, the ledger, the outbox and the outbound workers. */
  delivery: Delivery;
  /** Reminders before each class, scheduled from enrolments. */
  reminders: ReminderScheduler;
  reminderQueue: Queue;
  coordinators: CoordinatorService;
  broadcasts: BroadcastService;
  attendance: AttendanceService;
  /** Enrolments with their consequences: reminders follow a seat, a freed seat promotes the waitlist. */
  enrolments: EnrolmentRepository;
  /** The coordinator console's services (served by src/http/console). */
  console: ConsoleDeps;
  /** The staff inbox (handoffs, callbacks, complaints): docs/staff-inbox.md; changes: services/inbox-events.ts. */
  inbox: InboxService;
  /** Runs the repair sweep once, now (normally the maintenance worker runs it on a schedule). */
  sweep(): Promise<SweepResult>;
  /** One pass of the survey job at `now` (normally its worker runs it every SURVEY_JOB_MINUTES): docs/surveys.md. */
  runSurveys(now?: Date): Promise<SurveyJobResult>;
  /**
   * Starts the outbound workers (one per channel `which` picks, default all, plus `extra` ones such as the
   * terminal), reminders and the sweep.
   */
  startWorkers(extra?: Channel[], which?: (channel: Channel) => boolean): Promise<void>;
  /** Only the outbound workers of the channels `which` picks (a channels-only process: WeChat's). */
  startOutboundWorkers(which: (channel: Channel) => boolean): void;
  /** One channel's outbound worker on its own (benchmarks). */
  startOutbound(channel: Channel): Worker;
  /** Only the reminder worker (benchmarks). */
  startReminders(): Worker;
  /** Prometheus metrics of this process (turns per channel, latency); served at GET /metrics. */
  metrics: Metrics;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /**
   * Channels besides the configured platforms (tests and benchmarks pass a recording channel; one declaring
   * the capability `proactive` gets proactive messages too).
   */
  channels?: Channel[];
  /** An open database to use instead of opening the configured one (a benchmark's second runtime); not closed. */
  database?: Database;
  /** Tests shorten lock/stall timings and the claim lease to recover from a killed worker quickly. */
  workers?: {
    workerOptions?: Partial<Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>>;
    leaseMs?: number;
  };
  /** The time the dialog and the staff inbox go by (tests set office hours and silences without waiting). */
  clock?: () => Date;
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

const quit = (redis: Redis) => () => redis.quit().catch(() => redis.disconnect());

/**
 * THE composition root: every long-lived object of a process is built here, once, in this order —
 * config and logger (given) → Redis connections by role → database → translator → PII cipher → knowledge →
 * repositories → delivery → services → dialog engine → console services → channels → workers. Each part gets
 * only what it needs. The HTTP server (src/http/start-http.ts) is started by the caller with this runtime.
 */
export async function createRuntime(
  config: Config,
  logger: Logger,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const fn of closers.reverse())
      await fn().catch((error) => logger.warn({ err: error }, 'close failed'));
  };
  try {
    // --- Redis, one connection per role (redis-connection.ts says what each role means) ---
    const redis = createRedis(config.REDIS_URL, { connectionName: 'jineng:requests' });
    // While Redis is away ioredis reconnects by itself; each failed attempt is logged, never thrown.
    redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error; reconnecting'));
    closers.push(quit(redis));
    const redisCheck = await checkRedis(redis, config.REDIS_URL, config.STARTUP_TIMEOUT_MS);
    if (redisCheck.warning) logger.warn(redisCheck.warning);
    // Workers block on theirs and wait out an outage; what requests queue goes through `producer`, which fails
    // at once while Redis is away (PostgreSQL keeps the rows; the sweep queues them later).
    const workerRedis = createRedis(config.REDIS_URL, { role: 'worker', connectionName: 'jineng:queues' });
    const producer = createRedis(config.REDIS_URL, { role: 'producer', connectionName: 'jineng:producer' });
    // A notice's thousands of jobs go out on their own connection: Redis serves connections in turn, so a
    // reminder queued meanwhile is not stuck behind them on one socket.
    const bulkProducer = createRedis(config.REDIS_URL, { role: 'producer', connectionName: 'jineng:bulk' });
    for (const conn of [producer, bulkProducer])
      conn.on('error', (error) => logger.debug({ err: error }, 'Redis (queue producer) connection error'));
    closers.push(quit(workerRedis), quit(producer), quit(bulkProducer));

    // --- The database ---
    const database = options.database ?? (await openOwnDatabase(config, logger, closers));
    const db = database.prisma;

    // --- Translator, PII cipher, knowledge: one of each ---
    const translator = createTranslator();
    const cipher = loadPiiCipher(config, logger);
    const knowledge = loadKnowledge();

    // --- Repositories and stores ---
    const sessions = createRedisSessionStore(redis, {
      prefix: config.QUEUE_PREFIX,
      ttlSeconds: config.SESSION_TTL_SECONDS,
    });
    const people = createPeopleRepository(db, cipher, database.pool);
    const catalog = createCourseCatalog(db, database.pool);
    const family = createFamilyRepository(db, cipher, database.pool);
    const activity = createChannelActivity(db);

    const preferences = createPreferences(database.pool);

    // --- Delivery: who can be reached where, the ledger, queueing, pacing ---
    const channels = new Map<ChannelName, Channel>();
    for (const channel of options.channels ?? []) channels.set(channel.name, channel);
    const delivery = createDelivery({
      config,
      logger,
      pool: database.pool,
      redis: { worker: workerRedis, producer, bulk: bulkProducer },
      channels: proactiveChannels(channels.values()),
      // One decision per message: the person's preference, then chat → Official Account → SMS as configured.
      routes: {
        fallback: config.DELIVERY_FALLBACK,
        sms: Boolean(config.SMS_PROVIDER),
        wechatOa: Boolean(config.WECHAT_OA_APPID),
      },
      sessions,
      ...options.workers,
      // "退订" on a channel (issue 19): the outbound worker leaves such messages unsent ('opted_out').
      optedOut: preferences.isOptedOut,
    });
    const prefix = config.QUEUE_PREFIX;
    const reminderQueue = new Queue(REMINDER_QUEUE, { connection: producer, prefix });
    const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, { connection: producer, prefix });
    const surveyQueue = new Queue(SURVEY_QUEUE, { connection: producer, prefix });
    closers.push(() =>
      Promise.all([delivery.close(), closeQueues([reminderQueue, maintenanceQueue, surveyQueue])]),
    );

    // --- Services: reminders, coordinators, broadcasts, attendance, enrolments with their consequences ---
    const quiet = parseQuietHours(config.REMINDER_QUIET_HOURS);
    const { outbox, ledger: deliveries, recipients } = delivery;
    const contactRoutes = createContactRoutes({
      pool: database.pool,
      recipients,
      channels: delivery.channels,
      wechatOa: Boolean(config.WECHAT_OA_APPID),
    });
    const reminders = createReminderScheduler({
      db,
      queue: reminderQueue,
      deliveries,
      offsets: config.REMINDER_OFFSETS_MINUTES,
      timezone: config.TIMEZONE,
      quiet,
      horizonDays: config.REMINDER_HORIZON_DAYS,
      cancelOutbound: (rows) => outbox.cancel(rows),
      prepareMs: config.REMINDER_PREPARE_SECONDS * 1000,
      logger,
    });
    const coordinators = createCoordinatorService(db, config.ADMIN_IDENTITIES);
    // Notices that ask for "收到", and schedule changes that reach people (issue 19).
    const acks = createAcks({
      pool: database.pool,
      outbox,
      recipients,
      translator,
      followUpMinutes: config.NOTICE_ACK_FOLLOW_UP_MINUTES,
    });
    const scheduleChanges = createScheduleChanges({
      db,
      coordinators,
      reminders,
      outbox,
      recipients,
      translator,
      timezone: config.TIMEZONE,
    });
    const links = createChatLinkRepository(db, coordinators.access);
    const broadcasts = createBroadcastService({
      db,
      deliveries,
      broadcasts: createBroadcastRepository(database.pool, delivery.channels),
      outbox,
      recipients,
      coordinators,
      translator,
      maxTextLength: (channel) => channels.get(channel)?.capabilities.maxTextLength ?? 4_096,
      ackMessage: acks.ackMessage,
      planDelivery: async (channel, count, now) => {
        const target = channels.get(channel);
        return target?.planDelivery ? target.planDelivery(await count(), now) : undefined;
      },
      logger,
    });
    const attendance = createAttendanceService({
      db,
      outbox,
      recipients,
      coordinators,
      translator,
      timezone: config.TIMEZONE,
    });
    /** What a sign-up's consequences need: reminders, and "you got a seat" for whoever moves up. */
    const enrolmentConsequences = {
      db,
      reminders,
      outbox,
      recipients,
      translator,
      timezone: config.TIMEZONE,
      logger,
    };
    const enrolments = withOutreach(createEnrolmentRepository(db, database.pool), enrolmentConsequences);
    const promotions = promotionNotices(enrolmentConsequences);
    // Satisfaction at course end and employment follow-ups (issue 20; docs/surveys.md), queued by the survey job.
    const surveySettings = surveySettingsOf(config);
    const surveyServiceDeps = {
      pool: database.pool,
      outbox,
      channels: delivery.channels,
      translator,
      settings: surveySettings,
    };
    const satisfaction = createSatisfactionService(surveyServiceDeps);
    const employment = createEmploymentService({ ...surveyServiceDeps, timezone: config.TIMEZONE });
    const surveyJob: SurveyJobDeps = {
      satisfaction: (now) => satisfaction.run(now),
      employment: (now) => employment.run(now),
      timezone: config.TIMEZONE,
      quiet,
      logger,
    };
    // Subsidy claims (issue 20): staff change them in the console; each change of status is told through the outbox.
    const subsidyDocuments = loadSubsidyDocuments();
    const subsidyClaims = createSubsidyClaims({
      db,
      cipher,
      coordinators,
      outbox,
      recipients,
      translator,
      documents: subsidyDocuments,
      timezone: config.TIMEZONE,
      quiet,
      clock: options.clock,
    });

    // --- The dialog engine ---
    // Rosters and leave requests a coordinator reads in chat (masked), audited like the console's.
    const chatRoster = createRoster(db, cipher, coordinators);
    const coordination: CoordinationService = {
      access: coordinators.access,
      redeemInvite: coordinators.redeemInvite,
      targets: coordinators.targets,
      audit: coordinators.audit,
      draft: broadcasts.draft,
      confirm: async (personId, broadcastId, includeWaitlisted, options) => {
        if (options?.askAck) await acks.request(personId, broadcastId);
        return broadcasts.confirm(personId, broadcastId, includeWaitlisted);
      },
      discard: broadcasts.discard,
      report: async (personId, access, courseCode) => {
        const report = await broadcasts.report(personId, access, courseCode);
        return report && { ...report, acks: await acks.report(report.broadcastId) };
      },
      roster: chatRoster.forChat,
      leaveList: chatRoster.leaveList,
    };
    // Staff-written answers, matched before the plan; questions the bot could not answer, logged for staff.
    const matcher = loadQuestionMatcher(knowledge);
    const curatedBook = createCuratedAnswerBook({
      db,
      pool: database.pool,
      matcher,
      onError: (error) => logger.warn({ err: error }, 'curated answers could not be reloaded'),
    });
    const unansweredLog = createUnansweredLog(database.pool, (error, dropped) =>
      logger.warn({ err: error, dropped }, 'an unanswered question could not be logged'),
    );
    // --- The staff inbox: the dialog opens items, staff (console, CLI) answer them through the outbox ---
    const inboxRepo = createInboxRepository(database.pool);
    const publishInbox = inboxPublisher(producer, config.QUEUE_PREFIX);
    const inbox = createInboxService({
      repo: inboxRepo,
      outbox,
      channels: delivery.channels,
      replyWindowHours: inboxReplyWindow(config),
      translator,
      publish: publishInbox,
      clock: options.clock,
    });
    const inboxAlerts = createInboxAlerts({
      pool: database.pool,
      outbox,
      recipients,
      translator,
      link: config.INBOX_CONSOLE_URL,
      escalateAfterMinutes: config.INBOX_ESCALATE_MINUTES,
      alertEveryMinutes: config.INBOX_ALERT_MINUTES,
      clock: options.clock,
    });
    const dialog = buildDialog(
      knowledge,
      {
        people,
        catalog,
        enrolments,
        family,
        leave: createLeaveRequestRepository(db),
        surveys: createSurveyPort({
          pool: database.pool,
          satisfaction,
          employment,
          answerDays: surveySettings.answerDays,
        }),
        checkin: createCheckinService({
          db,
          secret: checkinSecret(config, cipher),
          rules: checkinRulesOf(config),
          coordinators,
          baseUrl: config.CHECKIN_LINK_BASE_URL,
        }),
        // Account linking by phone and SMS code (docs/personal-data.md): codes in Redis, sent through the outbox.
        linkAccount: createIdentityLinkService({
          db,
          redis,
          prefix: config.QUEUE_PREFIX,
          outbox,
          sms: delivery.channels.includes('sms'),
          hash: (value) => cipher.hash(value),
          translator,
          logger,
        }),
        certificates: createCertificateLookup(db),
        completions: createCourseCompletions(db),
        subsidies: createSubsidyStatusLookup(db, subsidyDocuments, database.pool),
        handoffPhone: config.HANDOFF_PHONE,
        timezone: config.TIMEZONE,
        preferences,
        // "通知方式" (issue 19, item 3): what the delivery module's own rule can reach, one route at a time.
        contactRoute: contactRoutes,
        writesFirst: (channel) => delivery.channels.includes(channel as ChannelName),
        noticeAcks: acks,
        schedule: createTimetable({
          db,
          offsets: config.REMINDER_OFFSETS_MINUTES,
          timezone: config.TIMEZONE,
          quiet,
        }),
      },
      {
        coordination,
        attendance,
        slotsOf: (text) => knowledge.nlu.understand(text).slots,
        timezone: config.TIMEZONE,
        ackFollowUpMinutes: config.NOTICE_ACK_FOLLOW_UP_MINUTES,
        scheduleChanges,
      },
      { book: curatedBook, unanswered: unansweredLog, matcher },
      {
        inbox: createInboxDialogPort({
          repo: inboxRepo,
          publish: publishInbox,
          onOpened: () =>
            void inboxAlerts
              .alertStaff()
              .catch((error) => logger.warn({ err: error }, 'inbox: staff alert failed')),
          clock: options.clock,
        }),
        officeHours: config.OFFICE_HOURS,
        countyHours: config.OFFICE_HOURS_BY_COUNTY,
        timezone: config.TIMEZONE,
        hotline: config.HANDOFF_PHONE,
        replyMinutes: config.INBOX_REPLY_MINUTES,
        silenceMinutes: config.INBOX_SILENCE_MINUTES,
      },
    );
    const metrics = createMetrics();
    const engine = observeEngine(
      createDialogEngine({
        nlu: withCommandRoutes(knowledge.nlu),
        translator,
        sessions,
        people,
        intents: dialog.intents,
        flows: dialog.flows,
        routes: dialog.routes,
        gates: dialog.gates,
        clock: options.clock,
        defaultLocale: config.DEFAULT_LOCALE,
        onError: (error, message) =>
          logger.error(
            { err: error, channel: message.address.channel, messageId: message.id },
            'turn failed',
          ),
        onSessionProblem: (problem, message) =>
          logger.warn(
            { ...problem, channel: message.address.channel, messageId: message.id },
            'chat session repaired',
          ),
      }),
      metrics,
    );

    // --- The coordinator console's services ---
    const consoleServices = createConsoleServices({
      config,
      db,
      translator,
      cipher,
      people,
      enrolments,
      coordinators,
      broadcasts,
      reminders,
      curated: {
        matcher,
        isClause: (id) => Boolean(knowledge.policy.index.clause(id)),
        changed: () => curatedBook.invalidate(),
      },
      inbox,
      inboxChanges: inboxChangeSource(config, logger),
      subsidyClaims,
      contactRoutes,
      scheduleChanges,
      acks,
    });

    // --- Channels ---
    for (const channel of createPlatformChannels({
      config,
      logger,
      translator,
      db,
      redis,
      links,
      activity,
      pool: database.pool,
      smsMeter: smsMeter(metrics),
    }))
      channels.set(channel.name, channel);
    const startChannels = async () => {
      for (const channel of channels.values()) {
        await channel.start((message) => engine.handle(message));
        closers.push(() => channel.stop());
        logger.info({ channel: channel.name }, 'channel started');
      }
      const heartbeat = announceChannels(redis, config.QUEUE_PREFIX, [...channels.keys()]);
      closers.push(async () => heartbeat.stop());
    };

    // --- Workers (started by the process role) ---
    const workers = createBackgroundWorkers({
      config,
      logger,
      connection: workerRedis,
      delivery,
      channels,
      reminderJob: {
        reminders: createReminderRepository(database.pool, delivery.channels, cipher),
        outbox,
        translator,
        timezone: config.TIMEZONE,
        quiet,
        prepareMs: config.REMINDER_PREPARE_SECONDS * 1000,
      },
      sweep: {
        reminders,
        deliveries,
        outbox,
        finishStaleBroadcasts: broadcasts.finishStale,
        notifyMissedPromotions: () => promotions.missed(),
        resumeErasureScrubs: () => resumeErasureScrubs(db, () => cipher),
        escalateInbox: () => inboxAlerts.escalate(),
        alertInbox: () => inboxAlerts.alertStaff({ again: true }),
        followUpNotices: () => acks.followUp(),
        logger,
      },
      maintenanceQueue,
      surveys: { deps: surveyJob, queue: surveyQueue, everyMinutes: config.SURVEY_JOB_MINUTES },
      completion: createCompletionTicker(broadcasts.finishIfDone, logger),
      workerOptions: options.workers?.workerOptions,
    });
    // Pushed once, after the channels' closers would be: running jobs finish while their channel still sends.
    let workersStopped = false;
    const stopWorkersOnClose = () => {
      if (workersStopped) return;
      workersStopped = true;
      closers.push(() => workers.stop());
    };

    return {
      config,
      logger,
      databaseUrl: database.url,
      database,
      db,
      redis,
      producer,
      engine,
      channels,
      startChannels,
      delivery,
      reminders,
      reminderQueue,
      coordinators,
      broadcasts,
      attendance,
      enrolments,
      console: consoleServices,
      inbox,
      sweep: () => workers.sweep(),
      runSurveys: (now) => runSurveyJob(surveyJob, now),
      async startWorkers(extra = [], which) {
        await workers.startAll(extra, which);
        stopWorkersOnClose();
      },
      startOutboundWorkers(which) {
        workers.startOutboundFor([], which);
        stopWorkersOnClose();
      },
      startOutbound(channel) {
        stopWorkersOnClose();
        return workers.startOutbound(channel);
      },
      startReminders() {
        stopWorkersOnClose();
        return workers.startReminders();
      },
      metrics,
      // First of all, a notice whose rows are being written stops after its chunk (the sweep writes the rest).
      close: () => broadcasts.close().then(close),
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Opens the configured database (after a quick probe of a PostgreSQL server), starts the control socket when
 * the database is embedded, and loads the sample courses when wanted. The database closes last.
 */
async function openOwnDatabase(
  config: Config,
  logger: Logger,
  closers: Array<() => Promise<unknown>>,
): Promise<Database> {
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
  await seedSampleDataIfWanted(config, database.prisma, Boolean(database.embedded), logger);
  return database;
}
