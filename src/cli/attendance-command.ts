import type { Command } from 'commander';
import { z } from 'zod';
import { runDatabaseTask } from './database-task';

const codeOptions = z.object({
  course: z
    .string({ error: 'attendance code needs --course <code>' })
    .trim()
    .min(1, 'attendance code needs --course <code>'),
  session: z.coerce
    .number({ error: '--session must be a session number (1, 2, …)' })
    .int('--session must be a whole number')
    .min(1, '--session counts from 1')
    .max(10_000)
    .optional(),
  json: z.boolean().optional(),
});

/**
 * `attendance code --course CODE [--session N] [--json]`: the check-in code a coordinator would show now, for
 * scripts and checks (docs/attendance.md). Session N is the Nth in start order; without it, the session whose
 * check-in is open, or the next one.
 */
export function registerAttendanceCommands(program: Command): void {
  const group = program.command('attendance').description('attendance check-in: the rotating codes');
  group
    .command('code')
    .description("print a class session's current check-in code and until when it is accepted")
    .option('--course <code>', 'the course code, e.g. ZX-DS-01')
    .option('--session <n>', 'the session number in start order (default: the current or next session)')
    .option('--json', 'print {"course","session","code","valid_until"}')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = codeOptions.safeParse(raw);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
      const { course, session, json } = parsed.data;
      const result = await runDatabaseTask('attendance.code', { course, session });
      const out = {
        course: result.course,
        session: result.session,
        code: result.code,
        valid_until: result.valid_until,
      };
      process.stdout.write(json ? `${JSON.stringify(out)}\n` : `${result.code}\n`);
      if (result.state !== 'open') {
        // The code is still printed (a script may compare it), but no trainee can use it now.
        process.stderr.write(
          `Check-in for ${result.course} session ${result.session} is ${result.state === 'before' ? 'not open yet' : 'closed'}: ` +
            `it runs from ${result.opens_at} to ${result.closes_at}; this code is not accepted outside that window.\n`,
        );
      } else if (!json) {
        process.stderr.write(
          `${result.course} session ${result.session}: accepted until ${result.valid_until}.\n`,
        );
      }
    });
}
