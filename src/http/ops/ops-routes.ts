import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../app/compose';
import { metricsAccess } from './metrics-access';
import { registerOpsGauges, within } from './ops-gauges';

const CHECK_TIMEOUT_MS = 2_000;

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
 * text, for the METRICS_TOKEN bearer or, without a token, local clients only; queue depths and delivery
 * outcomes are read at most every METRICS_REFRESH_SECONDS (see ops-gauges.ts).
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

  registerOpsGauges(runtime, queues, CHECK_TIMEOUT_MS);
  const { registry } = runtime.metrics;
  app.get('/metrics', async (request, reply) => {
    const access = metricsAccess(request, runtime.config.METRICS_TOKEN);
    if (access === 'bad_token')
      return reply
        .code(401)
        .send({ error: 'unauthorized', message: 'GET /metrics needs the METRICS_TOKEN bearer token.' });
    if (access === 'not_local')
      return reply.code(403).send({
        error: 'forbidden',
        message: 'GET /metrics is open to this machine only; set METRICS_TOKEN to scrape it from elsewhere.',
      });
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
