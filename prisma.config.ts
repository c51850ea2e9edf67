import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// Prisma 6.19 with the JavaScript schema engine: `generate` and `migrate diff` work with no engine download.
// Migrations are applied by `jineng db migrate` (src/db/migrate.ts), not `prisma migrate deploy`.
const connectionString = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export default defineConfig({
  experimental: { adapter: true },
  schema: 'prisma/schema.prisma',
  engine: 'js',
  // Short idle timeout: the CLI otherwise waits ~10 s for the pool to drain after a schema-to-schema diff.
  adapter: async () => new PrismaPg({ connectionString, idleTimeoutMillis: 50 }),
});
