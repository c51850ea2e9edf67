import type { Command } from 'commander';
import { JOB_STATES, queueCounts } from '../jobs/queue-status';
import { createRedis } from '../jobs/redis-connection';
import { boot } from './run-cli';

/** `queues status`: job counts per queue and state (until the HTTP dashboard exists). */
export function registerQueueCommands(program: Command): void {
  const group = program
    .command('queues')
    .description('BullMQ queues: outbound per channel, reminders, sweep');
  group
    .command('status')
    .description('print job counts per queue and state')
    .option('--json', 'one JSON line per queue')
    .action(async (options: { json?: boolean }) => {
      const { config } = boot();
      const connection = createRedis(config.REDIS_URL, { forBullMQ: true, connectionName: 'jineng:status' });
      try {
        const rows = await queueCounts(connection, config.QUEUE_PREFIX);
        if (options.json) {
          for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
          return;
        }
        const header = ['queue', ...JOB_STATES];
        const table = [header, ...rows.map((r) => [r.queue, ...JOB_STATES.map((s) => String(r[s]))])];
        const widths = header.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
        for (const line of table) {
          process.stdout.write(
            `${line.map((cell, i) => (i ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}\n`,
          );
        }
      } finally {
        await connection.quit().catch(() => connection.disconnect());
      }
    });
}
