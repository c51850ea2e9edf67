import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { parseDatabaseUrl, quoteIdent } from './database-url';
import { serverPoolOptions } from './pg-pool';

export type Db = PrismaClient;

/** Prisma on the `pg` driver adapter: no native engine, works with any PostgreSQL including PGlite. */
export function createPrisma(databaseUrl: string, poolSize = 10): Db {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  // search_path too, so raw SQL (the seat lock) finds the same tables Prisma's own queries do.
  const adapter = new PrismaPg(
    {
      connectionString,
      max: poolSize,
      options: `-c search_path=${quoteIdent(schema)}`,
      ...serverPoolOptions,
    },
    { schema },
  );
  return new PrismaClient({ adapter });
}

/**
 * Prisma on a pool it does not own (the embedded database's single connection). An interactive transaction
 * waits for that one connection behind every other query, so it may wait longer than Prisma's 2 s default.
 */
export function createPrismaOnPool(pool: pg.Pool, waitMs: number): Db {
  return new PrismaClient({
    adapter: new PrismaPg(pool),
    transactionOptions: { maxWait: waitMs, timeout: waitMs + 5_000 },
  });
}
