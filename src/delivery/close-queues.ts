import type { Queue } from 'bullmq';

/** How long closing waits for a queue still connecting (Redis away at shutdown: close anyway). */
const READY_WAIT_MS = 2_000;

/**
 * Closes queues on a shared connection once they have finished connecting. BullMQ removes a queue's error
 * listeners on close; a connection check still in flight then fails with no listener and crashes the process
 * (a start that fails right after creating its queues, say because the port is taken).
 */
export async function closeQueues(queues: Iterable<Queue>): Promise<void> {
  await Promise.all(
    [...queues].map(async (queue) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, READY_WAIT_MS);
        timer.unref();
      });
      await Promise.race([
        queue.waitUntilReady().then(
          () => undefined,
          () => undefined,
        ),
        late,
      ]);
      clearTimeout(timer);
      await queue.close();
    }),
  );
}
