// Loads the sample providers and courses: `npx tsx prisma/seed.ts` (or `npm run db:seed`).
// Without DATABASE_URL it opens the embedded PostgreSQL under DATA_DIR, so stop the bot first:
// one PGlite data directory must not be opened by two processes.
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate } from '../src/db/migrate';
import { createPrisma } from '../src/db/prisma-client';
import { SAMPLE_COURSES_FILE, seedDatabase } from '../src/db/seed';

const config = loadConfig();
let embedded: EmbeddedPostgres | undefined;
if (!config.DATABASE_URL) embedded = await startEmbeddedPostgres(config.DATA_DIR, 0);
const url = config.DATABASE_URL ?? embedded!.url;
const db = createPrisma(url, 2);
try {
  await migrate(url);
  const result = await seedDatabase(db, {
    now: new Date(),
    sampleJson: readFileSync(SAMPLE_COURSES_FILE, 'utf8'),
    timezone: config.TIMEZONE,
  });
  console.log(
    `Seeded ${result.providers} providers and ${result.courses} courses; ` +
      `${result.sessionsRescheduled.length} schedules written, ${result.sessionsKept.length} kept (enrolments).`,
  );
} finally {
  await db.$disconnect();
  await embedded?.stop();
}
