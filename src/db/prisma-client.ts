import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { parseDatabaseUrl } from './database-url';

export type Db = PrismaClient;

/** Prisma on the `pg` driver adapter: no native engine, works with any PostgreSQL including PGlite. */
export function createPrisma(databaseUrl: string, poolSize = 10): Db {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  const adapter = new PrismaPg({ connectionString, max: poolSize }, { schema });
  return new PrismaClient({ adapter });
}
