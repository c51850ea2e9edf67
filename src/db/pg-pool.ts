import pg from 'pg';
import { parseDatabaseUrl, quoteIdent } from './database-url';

/**
 * How long opening a connection to the server may take before it fails: while PostgreSQL is unreachable a
 * request answers "busy, try again" instead of waiting for the OS to give up.
 */
export const PG_CONNECT_TIMEOUT_MS = 2_000;
/**
 * How long a query may wait for its turn at a busy pool. Not the connect timeout: in a burst (500 people
 * signing up at once on a pool of 10) a query legitimately waits several seconds for a free connection, and
 * failing it after 2 s turned most of such a burst into errors.
 */
export const PG_POOL_WAIT_MS = 30_000;

/** A pg client whose connection attempt gives up after PG_CONNECT_TIMEOUT_MS, whatever the pool waits. */
class FastConnectClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(
      typeof config === 'string'
        ? { connectionString: config, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS }
        : { ...config, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS },
    );
  }
}

/** Pool options for a PostgreSQL server: a fast connect, a patient queue, keep-alive. */
export const serverPoolOptions = {
  Client: FastConnectClient,
  connectionTimeoutMillis: PG_POOL_WAIT_MS,
  keepAlive: true,
} satisfies pg.PoolConfig;

/**
 * A plain `pg` pool for the delivery hot path (claims, marks, bulk inserts). Prisma's raw queries cost about
 * 1.5 ms of client CPU each here, which caps the outbound queue far below a 1,000/s platform limit.
 */
export function createPgPool(databaseUrl: string, max = 10): pg.Pool {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString,
    max,
    options: `-c search_path=${quoteIdent(schema)}`,
    ...serverPoolOptions,
  });
  // An idle connection dropped by the server (PostgreSQL restarting) must not crash the process; the pool
  // replaces it, and the next query fails or succeeds on its own.
  pool.on('error', () => undefined);
  return pool;
}
