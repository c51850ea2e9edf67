/**
 * `jineng start --role workers` in a child process, as production runs it (startRole + the SIGTERM handler),
 * except that the platform is a RecordingChannel appending each delivered message to a file.
 * Argument: JSON {databaseUrl, redisUrl, prefix, recordTo, sendDelayMs, graceMs}. Prints "ready" once working.
 */
import { z } from 'zod';
import { createRuntime } from '../../src/app/compose';
import { exitGracefullyOnSignals, startRole } from '../../src/app/process-role';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { RecordingChannel } from './recording-channel';

const args = z
  .object({
    databaseUrl: z.string(),
    redisUrl: z.string(),
    prefix: z.string(),
    recordTo: z.string(),
    sendDelayMs: z.number().int().min(0),
    graceMs: z.number().int().min(0),
  })
  .parse(JSON.parse(process.argv[2] ?? '{}'));

const config = loadConfig({
  DATABASE_URL: args.databaseUrl,
  REDIS_URL: args.redisUrl,
  QUEUE_PREFIX: args.prefix,
  SEED_SAMPLE_DATA: 'never',
  PII_ENCRYPTION_KEY: 'a'.repeat(64),
  PII_HASH_KEY: 'b'.repeat(64),
  LOG_LEVEL: 'warn',
  OUTBOUND_DEFAULT_RATE_PER_SECOND: '1000',
  OUTBOUND_BACKOFF_MS: '100',
  SHUTDOWN_GRACE_MS: String(args.graceMs),
});
const logger = createLogger(config.LOG_LEVEL);
// A platform that takes a little while per message, so a signal arrives with sends in flight.
const channel = new RecordingChannel({ recordTo: args.recordTo }).rule(
  () => new Promise<void>((resolve) => setTimeout(resolve, args.sendDelayMs)) as unknown as Promise<never>,
);
const runtime = await createRuntime(config, logger, {
  channels: [channel],
  workers: { workerOptions: { lockDuration: 2_000, stalledInterval: 1_000 }, leaseMs: 1_500 },
});
const stop = await startRole(runtime, 'workers');
exitGracefullyOnSignals(stop, { logger, graceMs: config.SHUTDOWN_GRACE_MS });
process.stdout.write('ready\n');
