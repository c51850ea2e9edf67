import { createRuntime, type Runtime } from '../app/compose';
import { exitGracefullyOnSignals, type ProcessRole, startRole } from '../app/process-role';
import { oneLine, StartupError } from '../app/startup-error';
import { TerminalChannel } from '../channels/terminal/terminal-channel';
import { ConfigError } from '../config';
import { startHttp } from '../http/start-http';
import { createTranslator } from '../i18n/i18n';
import { boot } from './run-cli';

/** What a failed start may spend closing what it opened before it exits anyway. */
const CLOSE_ON_FAILURE_MS = 5_000;

/**
 * `jineng start`: the runtime, then what the role runs. Any failure on the way (Redis or PostgreSQL not
 * answering within STARTUP_TIMEOUT_MS, the port taken, a channel that cannot start) closes what was opened
 * and becomes a StartupError: run-cli prints it as one line and exits 1, so a supervisor restarts the process.
 */
export async function runStart(role: ProcessRole): Promise<void> {
  const { config, logger } = boot();
  let runtime: Runtime | undefined;
  try {
    runtime = await createRuntime(config, logger);
    const started = runtime;
    const terminal =
      role === 'all' && config.START_TERMINAL_CHAT && process.stdin.isTTY
        ? new TerminalChannel({
            input: process.stdin,
            output: process.stdout,
            greeting: createTranslator().forLocale(config.DEFAULT_LOCALE)('common:terminalGreeting'),
          })
        : undefined;
    // The terminal chat also gets its reminders and notices from the workers.
    const stop = await startRole(started, role, {
      http: startHttp,
      extraChannels: terminal ? [terminal] : [],
    });
    exitGracefullyOnSignals(stop, { logger, graceMs: config.SHUTDOWN_GRACE_MS });
    if (terminal) {
      await terminal.start((message) => started.engine.handle(message));
    }
  } catch (error) {
    if (runtime) await closeWithin(runtime, CLOSE_ON_FAILURE_MS);
    if (error instanceof ConfigError || error instanceof StartupError) throw error;
    throw new StartupError(oneLine(error), { cause: error });
  }
}

async function closeWithin(runtime: Runtime, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([runtime.close().catch(() => undefined), late]);
  clearTimeout(timer);
}
