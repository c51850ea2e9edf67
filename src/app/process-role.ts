import type { Channel } from '../core/channel';
import type { Logger } from '../logger';
import type { Runtime } from './compose';

/**
 * What one process runs. `channels`: the HTTP server and the platform channels (inbound messages, direct
 * replies). `workers`: the BullMQ outbound, reminder and sweep workers (proactive messages). `all`: both.
 * Every process shares Redis and PostgreSQL, so any number of either kind can run side by side.
 */
export const PROCESS_ROLES = ['all', 'channels', 'workers'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export function parseRole(value: string): ProcessRole {
  if ((PROCESS_ROLES as readonly string[]).includes(value)) return value as ProcessRole;
  throw new Error(`unknown role "${value}"; choose one of: ${PROCESS_ROLES.join(', ')}`);
}

export interface Closable {
  close(): Promise<unknown>;
}

export interface RoleOptions {
  /** Starts the HTTP server (channels and all); returns it so shutdown closes it first. */
  http?: (runtime: Runtime) => Promise<Closable | undefined>;
  /** Extra channels the workers also deliver to (the terminal chat of `npm start`). */
  extraChannels?: Channel[];
}

/** Starts what the role runs; the returned function stops it in the order that loses nothing. */
export async function startRole(
  runtime: Runtime,
  role: ProcessRole,
  options: RoleOptions = {},
): Promise<() => Promise<void>> {
  let http: Closable | undefined;
  if (role !== 'workers') {
    // Listening before the channels start, so a webhook Telegram is told about is already served.
    http = await options.http?.(runtime);
    await runtime.startChannels();
  }
  const sessionBound = (c: Channel) => c.capabilities.sessionBound === true;
  // A logged-in WeChat account sends only from this process: its queue is worked here, never elsewhere.
  if (role === 'channels') runtime.startOutboundWorkers(sessionBound);
  if (role === 'workers') await runtime.startWorkers(options.extraChannels ?? [], (c) => !sessionBound(c));
  if (role === 'all') await runtime.startWorkers(options.extraChannels ?? []);
  runtime.logger.info({ role, channels: [...runtime.channels.keys()] }, 'Jineng is running');
  return async () => {
    // Stop accepting HTTP first; runtime.close then lets running jobs finish (BullMQ's worker.close waits for
    // them, and their sends still need the channels), stops the channels, and closes Redis and PostgreSQL.
    await http?.close().catch((error) => runtime.logger.warn({ err: error }, 'HTTP close failed'));
    await runtime.close();
  };
}

/**
 * SIGTERM/SIGINT: run `stop` once, exiting 0 when it finishes and 1 when it takes longer than `graceMs`
 * (a job still running then is taken over by another worker after its lease, flagged in doubt, never lost).
 * A second signal exits at once.
 */
export function exitGracefullyOnSignals(
  stop: () => Promise<void>,
  {
    logger,
    graceMs,
    exit = (code: number) => process.exit(code),
  }: {
    logger: Logger;
    graceMs: number;
    exit?: (code: number) => void;
  },
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal, graceMs }, 'shutting down: finishing running work');
    const timer = setTimeout(() => {
      logger.warn({ graceMs }, 'shutdown took longer than SHUTDOWN_GRACE_MS: exiting with work in flight');
      exit(1);
    }, graceMs);
    timer.unref();
    stop().then(
      () => {
        clearTimeout(timer);
        logger.info('stopped cleanly');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
