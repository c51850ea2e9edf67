import pg from 'pg';
import { parseDatabaseUrl, quoteIdent } from './database-url';

/**
 * A plain `pg` pool for the delivery hot path (claims, marks, bulk inserts). Prisma's raw queries cost about
 * 1.5 ms of client CPU each here, which caps the outbound queue far below a 1,000/s platform limit.
 */
export function createPgPool(databaseUrl: string, max = 10): pg.Pool {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  return new pg.Pool({ connectionString, max, options: `-c search_path=${quoteIdent(schema)}` });
}
