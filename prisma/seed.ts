// Loads the sample providers and courses: `npx tsx prisma/seed.ts` (the same as `npm run db:seed`). Without
// DATABASE_URL it uses the embedded database under DATA_DIR, through the running bot if one owns it.
import { readFileSync } from 'node:fs';
import { runDatabaseTask } from '../src/cli/database-task';
import { SAMPLE_COURSES_FILE } from '../src/db/seed';

const result = await runDatabaseTask('db.seed', { sampleJson: readFileSync(SAMPLE_COURSES_FILE, 'utf8') });
console.log(
  `Seeded ${result.providers} providers and ${result.courses} courses; ` +
    `${result.sessionsRescheduled.length} schedules written, ${result.sessionsKept.length} kept (enrolments).`,
);
