import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { createRuntime } from '../app/compose';
import { PROCESS_ROLES, parseRole } from '../app/process-role';
import { TerminalChannel } from '../channels/terminal/terminal-channel';
import type { InboundMessage } from '../core/message';
import { createTranslator } from '../i18n/i18n';
import { boot } from './run-cli';
import { runStart } from './start-command';

const converseLine = z.object({ user: z.string().min(1).max(200), text: z.string() });

/** `start`, `chat` and `converse`: the commands that run the dialog engine. */
export function registerChatCommands(program: Command): void {
  program
    .command('start')
    .description('start the bot (with a terminal chat when run in a terminal)')
    .option('--role <role>', `what this process runs: ${PROCESS_ROLES.join(' | ')}`, 'all')
    .action(async (options: { role: string }) => runStart(parseRole(options.role)));

  program
    .command('chat')
    .description('chat with the bot in this terminal as a worker')
    .option('--user <id>', 'who you are in this chat', 'local')
    .action(async (options: { user: string }) => {
      const { config, logger } = boot();
      const runtime = await createRuntime(config, logger);
      const terminal = new TerminalChannel({
        input: process.stdin,
        output: process.stdout,
        user: options.user,
        greeting: createTranslator().forLocale(config.DEFAULT_LOCALE)('common:terminalGreeting'),
      });
      await terminal.start((message) => runtime.engine.handle(message));
      await terminal.whenClosed();
      await runtime.close();
    });

  program
    .command('converse')
    .description('scripted conversations: {"user","text"} lines on stdin, one JSON result line each')
    .option('--jsonl', 'read and write JSON lines (the only format)', true)
    .action(async () => {
      const { config, logger } = boot();
      const runtime = await createRuntime(config, logger);
      let seq = 0;
      const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const raw of rl) {
        if (!raw.trim()) continue;
        const parsed = converseLine.safeParse(safeJson(raw));
        if (!parsed.success) {
          process.stdout.write(
            `${JSON.stringify({ error: 'invalid line: expected {"user":"…","text":"…"}' })}\n`,
          );
          continue;
        }
        const { user, text } = parsed.data;
        const message: InboundMessage = {
          id: `converse:${user}:${Date.now()}:${++seq}`,
          address: { channel: 'converse', chatId: user },
          senderId: user,
          text,
          kind: 'text',
          receivedAt: new Date(),
        };
        const result = await runtime.engine.handle(message);
        process.stdout.write(`${JSON.stringify({ user, ...result })}\n`);
      }
      await runtime.close();
    });
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
