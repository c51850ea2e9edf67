import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SAMPLE_COURSES_FILE } from '../db/seed';
import { runDatabaseTask } from './database-task';

/** `db migrate` and `db seed` (the embedded database is used when DATABASE_URL is empty; see runDatabaseTask). */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database tasks');
  db.command('migrate')
    .description('apply pending migrations from prisma/migrations')
    .action(async () => {
      const result = await runDatabaseTask('db.migrate', {});
      process.stderr.write(
        `database schema up to date${result.applied.length ? ` (applied ${result.applied.join(', ')})` : ''}\n`,
      );
    });
  db.command('seed')
    .description('load sample Zhaotong providers, courses and class sessions')
    .option('--file <path>', 'sample data file', SAMPLE_COURSES_FILE)
    .action(async (options: { file: string }) => {
      const result = await runDatabaseTask('db.seed', { sampleJson: readFileSync(options.file, 'utf8') });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
}
