import pg from 'pg';
import { parseDatabaseUrl, quoteIdent } from './database-url';

/**
 * How long a query waits for a connection (a new one, or a free one of the pool) before it fails: while
 * PostgreSQL is unreachable a request answers "busy, try again" instead of waiting for the OS to give up.
 */
export const PG_CONNECT_TIMEOUT_MS = 2_000;

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
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle connection dropped by the server (PostgreSQL restarting) must not crash the process; the pool
  // replaces it, and the next query fails or succeeds on its own.
  pool.on('error', () => undefined);
  return pool;
}
