import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { runDatabaseTask } from './database-task';

const replyOptions = z.object({ text: z.string({ error: 'inbox reply needs --text "…"' }).trim().min(1) });

/**
 * `inbox list|reply|close`: the staff inbox from scripts and checks (docs/staff-inbox.md). They work while the
 * bot runs: the database is shared (with the embedded one, the running bot runs them), and replies go through
 * the bot's outbound queue.
 */
export function registerInboxCommands(program: Command): void {
  const group = program.command('inbox').description('the staff inbox: handoffs, callbacks, complaints');
  const by = () => `cli:${userInfo().username}`;
  group
    .command('list')
    .description('open items, oldest first')
    .option('--json', 'one JSON line per item: {"id","kind","channel","user","text","waiting_s",…}')
    .action(async (options: { json?: boolean }) => {
      const items = await runDatabaseTask('inbox.list', {});
      for (const item of items) {
        process.stdout.write(
          options.json
            ? `${JSON.stringify(item)}\n`
            : `${item.id}  ${item.kind.padEnd(9)} ${item.status.padEnd(7)} ${formatWait(item.waiting_s).padStart(6)}  ${item.channel}:${item.user}  ${item.text}\n`,
        );
      }
    });
  group
    .command('reply <id>')
    .description("send a staff reply to the item's conversation (through the outbound queue)")
    .option('--text <text>', 'the reply')
    .action(async (id: string, raw: Record<string, unknown>) => {
      const parsed = replyOptions.safeParse(raw);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
      const outcome = await runDatabaseTask('inbox.reply', { id, text: parsed.data.text, by: by() });
      if (outcome.status === 'refused')
        throw new Error(`reply refused (${outcome.reason}): ${outcome.message}`);
      process.stdout.write(`queued ${outcome.key}\n`);
    });
  group
    .command('close <id>')
    .description('close an item with an outcome (a handoff or complaint asks the person for a 1–5 rating)')
    .option('--outcome <text>', 'what was done')
    .action(async (id: string, options: { outcome?: string }) => {
      const result = await runDatabaseTask('inbox.close', { id, outcome: options.outcome, by: by() });
      if (!result.closed) throw new Error(`no open inbox item ${id}`);
      process.stdout.write(`closed ${id}${result.ratingAsked ? ' (rating asked)' : ''}\n`);
    });
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}
