import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { createLogger, type Logger } from '../logger';

/** Runs the program; configuration and start-up errors print one readable message and exit 1. */
export async function runCli(program: Command): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`jineng: ${(error as Error).message}\n`);
    }
    process.exitCode = 1;
  }
}

/** Config and logger for commands that need them; read lazily so `--help` works with a broken env. */
export function boot(): { config: ReturnType<typeof loadConfig>; logger: Logger } {
  const config = loadConfig();
  return { config, logger: createLogger(config.LOG_LEVEL) };
}
