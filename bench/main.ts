import { Command } from 'commander';
import { createRuntime } from '../src/app/compose';
import { boot, runCli } from '../src/cli/run-cli';
import { benchBroadcast } from './broadcast-bench';
import { benchEnrol } from './enrol-bench';
import { benchLoad } from './load-bench';
import { benchReach } from './reach-bench';
import { benchReminders } from './reminders-bench';
import { benchReport } from './report-bench';
import { benchTelegram } from './telegram-bench';
import { benchTurn } from './turn-bench';
import { benchWechat } from './wechat-bench';

const SUITES = [
  'turn',
  'enrol',
  'telegram',
  'wechat',
  'broadcast',
  'reminders',
  'load',
  'reach',
  'report',
  'all',
] as const;

/**
 * `npm run bench -- <suite> [--json]`: prints figures, never passes or fails (targets live in BENCHMARKS.md).
 * Lives outside src/: the benchmarks are a tool of the team, not part of the bot.
 */
const program = new Command()
  .name('bench')
  .description(`run a benchmark suite: ${SUITES.join(', ')}`)
  .argument('<suite>', SUITES.join(' | '))
  .option('--json', 'print one JSON line per suite')
  .option(
    '-n, --count <n>',
    'messages (turn), attempts (enrol, default 5000) or recipients (broadcast, load)',
  )
  .option('--capacity <n>', 'seats in the enrol benchmark course (default: 90 % of the attempts)')
  .option('--concurrency <n>', 'sign-ups at once in the enrol benchmark, and pgbench clients', '10')
  .option('--enrolments <n>', 'report: sign-ups seeded over a year (default 400000)')
  .option('--trace', 'load: write phases and event-loop delay to stderr')
  .option('--cpu-profile <file>', 'load: write a CPU profile of the measured part to <file>')
  .action(
    async (
      suite: string,
      options: {
        json?: boolean;
        count?: string;
        capacity?: string;
        concurrency: string;
        enrolments?: string;
        trace?: boolean;
        cpuProfile?: string;
      },
    ) => {
      if (!(SUITES as readonly string[]).includes(suite)) {
        throw new Error(`unknown suite "${suite}"; choose one of: ${SUITES.join(', ')}`);
      }
      const { config, logger } = boot();
      const runtime = await createRuntime(config, logger);
      const print = (result: object) =>
        process.stdout.write(
          options.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`,
        );
      try {
        if (suite === 'turn' || suite === 'all') {
          print(await benchTurn(runtime.engine, options.count ? Number(options.count) : 1000));
        }
        if (suite === 'enrol' || suite === 'all') {
          const attempts = options.count ? Number(options.count) : 5000;
          print(
            await benchEnrol(runtime.database, {
              attempts,
              capacity: options.capacity ? Number(options.capacity) : Math.floor(attempts * 0.9),
              concurrency: Number(options.concurrency),
            }),
          );
        }
        if (suite === 'telegram' || suite === 'all') {
          print(await benchTelegram(runtime, options.count ? Number(options.count) : 200));
        }
        if (suite === 'wechat' || suite === 'all') {
          print(await benchWechat(runtime, options.count ? Number(options.count) : 200));
        }
        if (suite === 'broadcast' || suite === 'all') {
          print(await benchBroadcast(runtime, options.count ? Number(options.count) : 10_000, 1_000));
        }
        if (suite === 'reach' || suite === 'all') {
          print(await benchReach(runtime, options.count ? Number(options.count) : 1_000));
        }
        if (suite === 'reminders' || suite === 'all') {
          print(await benchReminders(runtime, options.count ? Number(options.count) : 1_000));
        }
        // Not part of `all`: a 400,000-sign-up seed takes minutes and stays in the database.
        if (suite === 'report') {
          print(await benchReport(runtime, options.enrolments ? Number(options.enrolments) : 400_000));
        }
        if (suite === 'load' || suite === 'all') {
          print(
            await benchLoad(runtime, {
              recipients: options.count ? Number(options.count) : 10_000,
              trace: options.trace ? (line) => process.stderr.write(`[load] ${line}\n`) : undefined,
              cpuProfile: options.cpuProfile,
            }),
          );
        }
      } finally {
        await runtime.close();
      }
    },
  );
await runCli(program);
