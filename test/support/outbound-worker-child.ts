/**
 * An outbound worker in its own process, so a test can SIGKILL it mid-broadcast. Sends go to a
 * RecordingChannel that appends each delivered message to a file (a write that survives the kill).
 * Argument: JSON {databaseUrl, redisUrl, prefix, recordTo, concurrency, hangAfter?, lockDuration,
 * stalledInterval, leaseMs}. Prints "ready" once working and "hung" when send number hangAfter+1 hangs.
 */
import { z } from 'zod';
import { createPgPool } from '../../src/db/pg-pool';
import { createDeliveryRepository } from '../../src/delivery/delivery-repository';
import { startOutboundWorker } from '../../src/delivery/outbound-worker';
import { createOutbox } from '../../src/delivery/outbox';
import { createRedis } from '../../src/jobs/redis-connection';
import { createLogger } from '../../src/logger';
import { RecordingChannel } from './recording-channel';

const args = z
  .object({
    databaseUrl: z.string(),
    redisUrl: z.string(),
    prefix: z.string(),
    recordTo: z.string(),
    concurrency: z.number().int().min(1),
    hangAfter: z.number().int().optional(),
    lockDuration: z.number().int(),
    stalledInterval: z.number().int(),
    leaseMs: z.number().int(),
  })
  .parse(JSON.parse(process.argv[2] ?? '{}'));

const connection = createRedis(args.redisUrl, { forBullMQ: true });
const deliveries = createDeliveryRepository(createPgPool(args.databaseUrl), args.leaseMs);
const outbox = createOutbox({
  connection,
  prefix: args.prefix,
  deliveries,
  attempts: 5,
  backoffMs: 100,
  channels: ['test'],
});
const channel = new RecordingChannel({ recordTo: args.recordTo });
if (args.hangAfter !== undefined) {
  const limit = args.hangAfter;
  channel.rule(() => {
    if (channel.sent.length < limit) return undefined;
    process.stdout.write('hung\n');
    return new Promise<never>(() => {});
  });
}
const worker = startOutboundWorker({
  channel,
  connection,
  redis: connection,
  prefix: args.prefix,
  limits: { max: 1000, durationMs: 1000, perChatIntervalMs: 0, concurrency: args.concurrency },
  deliveries,
  outbox,
  logger: createLogger('silent'),
  afterFinal: async (row) => {
    if (row.broadcastId) await deliveries.completeBroadcastIfDone(row.broadcastId);
  },
  workerOptions: { lockDuration: args.lockDuration, stalledInterval: args.stalledInterval },
});
await worker.waitUntilReady();
process.stdout.write('ready\n');
