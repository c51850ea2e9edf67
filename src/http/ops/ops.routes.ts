import { timingSafeEqual } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import type { Runtime } from '../../app/runtime';
import { JOB_STATES } from '../../jobs/queue-status';

const CHECK_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await within(fn(), CHECK_TIMEOUT_MS);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message.split('\n')[0] };
  }
}

export type OpsRuntime = Pick<Runtime, 'db' | 'redis' | 'metrics' | 'config'>;

/**
 * GET /readyz: PostgreSQL and Redis answer (503 naming the one that does not). GET /metrics: Prometheus
 * text; queue depths and delivery outcomes are read at scrape time, so they are never stale.
 */
export async function opsRoutes(
  app: FastifyInstance,
  { runtime, queues }: { runtime: OpsRuntime; queues: Queue[] },
) {
  app.get('/readyz', async (_request, reply) => {
    const [postgres, redis] = await Promise.all([
      check(() => runtime.db.$queryRaw`SELECT 1`),
      check(() => runtime.redis.ping()),
    ]);
    const ready = postgres.ok && redis.ok;
    return reply.code(ready ? 200 : 503).send({ ready, postgres, redis });
  });

  const { registry } = runtime.metrics;
  new Gauge({
    name: 'jineng_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // Redis down: no samples (readyz says why) rather than a failed scrape.
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await within(queue.getJobCounts(...JOB_STATES), CHECK_TIMEOUT_MS).catch(
            () => undefined,
          );
          for (const state of JOB_STATES)
            if (counts) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
  new Gauge({
    name: 'jineng_deliveries',
    help: 'Proactive messages (reminders, broadcasts…) in the deliveries ledger by channel, status and failure reason',
    labelNames: ['channel', 'status', 'reason'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await within(
        runtime.db.$queryRaw<{ channel: string; status: string; reason: string; n: number }[]>`
          SELECT channel, status, coalesce(split_part(error, ':', 1), '') AS reason, count(*)::int AS n
          FROM deliveries GROUP BY 1, 2, 3`,
        CHECK_TIMEOUT_MS,
      ).catch(() => []);
      for (const r of rows)
        this.set({ channel: r.channel || 'none', status: r.status, reason: r.reason }, r.n);
    },
  });

  const token = runtime.config.METRICS_TOKEN;
  app.get('/metrics', async (request, reply) => {
    if (token && !bearerMatches(request.headers.authorization, token)) {
      return reply
        .code(401)
        .send({ error: 'unauthorized', message: 'GET /metrics needs the METRICS_TOKEN bearer token.' });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
