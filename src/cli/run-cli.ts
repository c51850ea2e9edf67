import { writeSync } from 'node:fs';
import type { Command } from 'commander';
import { oneLine, StartupError } from '../app/startup-error';
import { ConfigError, loadConfig } from '../config';
import { RedisCheckError } from '../jobs/redis-connection';
import { createLogger, type Logger } from '../logger';

/**
 * Runs the program. A failure prints one readable line to stderr (a configuration error lists each bad
 * variable) and exits 1 at once: a connection still retrying or a half-started server must not keep a
 * failed process alive, or a supervisor never restarts it.
 */
export async function runCli(program: Command): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const text = `${failureText(error)}\n`;
    // After the logger's own exit flush (registered earlier, so run first): this line is stderr's last.
    process.once('exit', () => writeSync(2, text));
    process.exit(1);
  }
}

function failureText(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof StartupError || error instanceof RedisCheckError)
    return `jineng: cannot start: ${oneLine(error)}`;
  return `jineng: ${oneLine(error)}`;
}

/** Config and logger for commands that need them; read lazily so `--help` works with a broken env. */
export function boot(): { config: ReturnType<typeof loadConfig>; logger: Logger } {
  const config = loadConfig();
  return { config, logger: createLogger(config.LOG_LEVEL) };
}
