import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * A worker's own copy of the worker connection (same options, its own socket), closed with the worker. Redis
 * answers one socket's commands in order: workers sharing one wait behind each other's scripts, so the
 * reminder worker's would queue behind the outbound worker's during a notice.
 */
export function ownConnection(shared: Redis, name: string): Redis {
  return shared.duplicate({ connectionName: name });
}

/** Closes `connection` once `worker` has closed. */
export function closeWith(worker: Worker, connection: Redis): Worker {
  worker.on('closed', () => {
    connection.quit().catch(() => connection.disconnect());
  });
  return worker;
}
