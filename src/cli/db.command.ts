import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openDatabase } from '../app/runtime';
import { createPrisma } from '../db/prisma-client';
import { SAMPLE_COURSES_FILE, seedDatabase } from '../db/seed';
import { boot } from './run-cli';

/** `db migrate` and `db seed` (the embedded database is used when DATABASE_URL is empty). */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database tasks');
  db.command('migrate')
    .description('apply pending migrations from prisma/migrations')
    .action(async () => {
      const { config, logger } = boot();
      const database = await openDatabase(config, logger);
      logger.info('migrations applied');
      await database.embedded?.stop();
    });
  db.command('seed')
    .description('load sample Zhaotong providers, courses and class sessions')
    .option('--file <path>', 'sample data file', SAMPLE_COURSES_FILE)
    .action(async (options: { file: string }) => {
      const { config, logger } = boot();
      const database = await openDatabase(config, logger);
      const prisma = createPrisma(database.url);
      try {
        const result = await seedDatabase(prisma, {
          now: new Date(),
          sampleJson: readFileSync(options.file, 'utf8'),
          timezone: config.TIMEZONE,
        });
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } finally {
        await prisma.$disconnect();
        await database.embedded?.stop();
      }
    });
}
