import pg from 'pg';
import type { Logger } from '../logger';
import { type DataDirLock, lockDataDir } from './data-dir-lock';
import { startEmbeddedPostgres } from './embedded-postgres';
import { migrate } from './migrate';
import { createPgPool } from './pg-pool';
import { createPrisma, createPrismaOnPool, type Db } from './prisma-client';

/** The database as the rest of the program sees it, whichever kind runs underneath. */
export interface Database {
  /** PostgreSQL URL (for the embedded database: its private Unix socket; only this process may use it). */
  url: string;
  /** Set when the embedded PGlite runs in this process. */
  embedded?: { dataDir: string; socketPath: string; lock: DataDirLock };
  prisma: Db;
  /** A plain `pg` pool for the delivery hot path (Prisma's raw queries cost ~1.5 ms of CPU each). */
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Empty: the embedded PGlite under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Called if the data-directory lock is lost while held: the process must stop writing (exit). */
  onLockLost?: (error: Error) => void;
}

/**
 * How long a query or transaction may wait for the embedded database's one connection. Far above any wait
 * measured under load (a 500-person sign-up race finishes in ~4 s), so reaching it means a bug (code holding
 * the connection while waiting for another) that then fails loudly instead of hanging.
 */
const EMBEDDED_WAIT_MS = 30_000;

/** Opens the database (embedded when no URL is given), applies pending migrations, and builds the clients. */
export async function openDatabase(options: DatabaseOptions, logger: Logger): Promise<Database> {
  if (options.databaseUrl) {
    const url = options.databaseUrl;
    await migrate(url);
    const prisma = createPrisma(url);
    const pool = createPgPool(url);
    return {
      url,
      prisma,
      pool,
      async close() {
        await prisma.$disconnect().catch(() => undefined);
        await pool.end().catch(() => undefined);
      },
    };
  }
  return openEmbedded(options, logger);
}

async function openEmbedded(options: DatabaseOptions, logger: Logger): Promise<Database> {
  const onLost =
    options.onLockLost ??
    ((error: Error) => {
      logger.fatal({ err: error }, 'the data-directory lock was lost; stopping to avoid a second writer');
      process.exit(1);
    });
  const lock = await lockDataDir(options.dataDir, onLost);
  try {
    const embedded = await startEmbeddedPostgres(options.dataDir);
    // PGlite is one session: every query of this process goes through this one connection, in turn, and a
    // transaction holds it whole (pg.Pool's wait queue). Prisma and the delivery code share it.
    const pool = new pg.Pool({
      connectionString: embedded.url,
      max: 1,
      idleTimeoutMillis: 0,
      connectionTimeoutMillis: EMBEDDED_WAIT_MS,
    });
    pool.on('error', (error) => logger.warn({ err: error }, 'embedded database connection error'));
    const closePool = async () => {
      await pool.end().catch(() => undefined);
      await embedded.stop().catch(() => undefined);
    };
    try {
      await migrate(pool);
    } catch (error) {
      await closePool();
      throw error;
    }
    const prisma = createPrismaOnPool(pool, EMBEDDED_WAIT_MS);
    logger.info(
      { dataDir: lock.dir, socket: embedded.socketPath },
      'using the embedded PostgreSQL (PGlite); set DATABASE_URL for a server',
    );
    return {
      url: embedded.url,
      embedded: { dataDir: lock.dir, socketPath: embedded.socketPath, lock },
      prisma,
      pool,
      async close() {
        await prisma.$disconnect().catch(() => undefined);
        await closePool();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
