import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { createDialogEngine, type DialogEngine } from '../core/dialog/engine';
import type { DialogSession } from '../core/dialog/session';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate } from '../db/migrate';
import { createPrisma, type Db } from '../db/prisma-client';
import { createCourseCatalog } from '../db/repositories/courses.repository';
import { createEnrolmentRepository } from '../db/repositories/enrolment.repository';
import { createPeopleRepository } from '../db/repositories/people.repository';
import { SAMPLE_COURSES_FILE, seedDatabase } from '../db/seed';
import { createTranslator } from '../i18n/i18n';
import { checkRedis, createRedis } from '../jobs/redis-connection';
import type { Logger } from '../logger';
import { createRedisSessionStore } from '../session/redis-session-store';
import { buildDialog } from './dialog-wiring';
import { loadKnowledge } from './knowledge';
import { loadPiiCipher } from './pii-keys';

export interface Runtime {
  config: Config;
  logger: Logger;
  databaseUrl: string;
  db: Db;
  redis: Redis;
  engine: DialogEngine;
  close(): Promise<void>;
}

/** Opens the database (embedded when DATABASE_URL is empty) and applies pending migrations. */
export async function openDatabase(
  config: Config,
  logger: Logger,
): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  if (config.DATABASE_URL) {
    await migrate(config.DATABASE_URL);
    return { url: config.DATABASE_URL };
  }
  const embedded = await startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_DB_PORT);
  logger.info(
    { dataDir: config.DATA_DIR },
    'using the embedded PostgreSQL (PGlite); set DATABASE_URL for a server',
  );
  await migrate(embedded.url);
  return { url: embedded.url, embedded };
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
export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const redis = createRedis(config.REDIS_URL);
  const closers: Array<() => Promise<unknown>> = [() => redis.quit().catch(() => redis.disconnect())];
  const close = async () => {
    for (const fn of closers.reverse())
      await fn().catch((error) => logger.warn({ err: error }, 'close failed'));
  };
  try {
    const redisCheck = await checkRedis(redis, config.REDIS_URL);
    if (redisCheck.warning) logger.warn(redisCheck.warning);
    const database = await openDatabase(config, logger);
    if (database.embedded) closers.unshift(() => database.embedded!.stop());
    const db = createPrisma(database.url);
    closers.push(() => db.$disconnect());
    await seedSampleDataIfWanted(config, db, Boolean(database.embedded), logger);

    const translator = createTranslator();
    const knowledge = loadKnowledge();
    const services = {
      people: createPeopleRepository(db, loadPiiCipher(config, logger)),
      catalog: createCourseCatalog(db),
      enrolments: createEnrolmentRepository(db),
      handoffPhone: config.HANDOFF_PHONE,
      timezone: config.TIMEZONE,
    };
    const dialog = buildDialog(knowledge, services);
    const engine = createDialogEngine({
      nlu: knowledge.nlu,
      translator,
      sessions: createRedisSessionStore<DialogSession>(redis, {
        prefix: config.QUEUE_PREFIX,
        ttlSeconds: config.SESSION_TTL_SECONDS,
      }),
      people: services.people,
      intents: dialog.intents,
      flows: dialog.flows,
      defaultLocale: config.DEFAULT_LOCALE,
      onError: (error, message) =>
        logger.error({ err: error, channel: message.address.channel, messageId: message.id }, 'turn failed'),
    });
    return { config, logger, databaseUrl: database.url, db, redis, engine, close };
  } catch (error) {
    await close();
    throw error;
  }
}
