import { type ConnectionOptions, Queue } from 'bullmq';
import { allQueueNames } from './queue-names';

export const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'paused',
  'completed',
  'failed',
] as const;
export type QueueCounts = { queue: string } & Record<(typeof JOB_STATES)[number], number>;

/** Job counts per queue and state, for `jineng queues status` (and the dashboard later). */
export async function queueCounts(connection: ConnectionOptions, prefix: string): Promise<QueueCounts[]> {
  return Promise.all(
    allQueueNames().map(async (name) => {
      const queue = new Queue(name, { connection, prefix });
      try {
        const counts = await queue.getJobCounts(...JOB_STATES);
        return {
          queue: name,
          ...Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])),
        } as QueueCounts;
      } finally {
        await queue.close();
      }
    }),
  );
}
