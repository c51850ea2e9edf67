import type pg from 'pg';
import type { Db } from '../prisma-client';

/** Runs a statement and returns its rows. */
export type Query = <T>(text: string, values: unknown[]) => Promise<T[]>;

/**
 * Where a hot path's hand-written SQL runs: the runtime's `pg` pool, or Prisma's raw queries when a caller
 * has no pool (tools and tests built on Prisma alone). On a turn or a sign-up, Prisma's query compiler costs
 * more client CPU than the statement costs PostgreSQL.
 */
export interface Sql {
  query: Query;
  /** Runs `work` in a transaction on one connection (never a second query on the pool meanwhile). */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

/** Long enough for a queue of sign-ups on one popular course's row lock, rather than failing under a burst. */
export const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

/**
 * `names` gives frequent statements a name, so each connection parses and plans them once instead of on
 * every call.
 */
export function sqlRunner(db: Db, pool: pg.Pool | undefined, names: ReadonlyMap<string, string>): Sql {
  return pool ? poolSql(pool, names) : prismaSql(db);
}

function poolSql(pool: pg.Pool, names: ReadonlyMap<string, string>): Sql {
  const statement = (text: string, values: unknown[]) => ({ name: names.get(text), text, values });
  return {
    query: async (text, values) => (await pool.query(statement(text, values))).rows,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(async (text, values) => (await client.query(statement(text, values))).rows);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

function prismaSql(db: Db): Sql {
  return {
    query: (text, values) => db.$queryRawUnsafe(text, ...values),
    transaction: (work) =>
      db.$transaction((tx) => work((text, values) => tx.$queryRawUnsafe(text, ...values)), TX_OPTIONS),
  };
}
