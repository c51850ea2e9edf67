import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import type { Runtime } from '../../app/compose';
import { JOB_STATES } from '../../jobs/queue-status';

type Sample<L extends string> = { labels: Record<L, string>; value: number };

/** No answer within `ms`: rejects, so a hung database or Redis never hangs a scrape. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * `read`, run at most once per `maxAgeMs` however often Prometheus (or several of them) scrapes, and never
 * twice at once: scrapes in between get the last samples. A failed read leaves no samples until the next one.
 */
export function cachedSamples<L extends string>(read: () => Promise<Sample<L>[]>, maxAgeMs: number) {
  let samples: Sample<L>[] = [];
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<Sample<L>[]> | undefined;
  return async (): Promise<Sample<L>[]> => {
    if (Date.now() - readAt < maxAgeMs) return samples;
    reading ??= read()
      .catch(() => [])
      .then((fresh) => {
        samples = fresh;
        readAt = Date.now();
        return fresh;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
}

function gauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  samples: () => Promise<Sample<L>[]>,
): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const current = await samples();
      this.reset();
      for (const s of current) this.set(s.labels as Partial<Record<L, string>>, s.value);
    },
  });
}

/**
 * Queue depths (Redis) and the deliveries ledger by outcome (one GROUP BY over the deliveries table): read
 * at most once per METRICS_REFRESH_SECONDS, so scraping costs the database nothing in between.
 */
export function registerOpsGauges(
  runtime: Pick<Runtime, 'db' | 'metrics' | 'config'>,
  queues: Queue[],
  timeoutMs: number,
): void {
  const { registry } = runtime.metrics;
  const maxAgeMs = runtime.config.METRICS_REFRESH_SECONDS * 1000;
  gauge(
    registry,
    'jineng_queue_jobs',
    `Jobs in each BullMQ queue by state (read at most every ${runtime.config.METRICS_REFRESH_SECONDS} s)`,
    ['queue', 'state'],
    cachedSamples(async () => {
      const perQueue = await Promise.all(
        queues.map(async (queue) => {
          // Redis down: no samples for it (readyz says why) rather than a failed scrape.
          const counts = await within(queue.getJobCounts(...JOB_STATES), timeoutMs).catch(() => undefined);
          return counts
            ? JOB_STATES.map((state) => ({ labels: { queue: queue.name, state }, value: counts[state] ?? 0 }))
            : [];
        }),
      );
      return perQueue.flat();
    }, maxAgeMs),
  );
  gauge(
    registry,
    'jineng_deliveries',
    `Proactive messages in the deliveries ledger by channel, status and failure reason (read at most every ${runtime.config.METRICS_REFRESH_SECONDS} s)`,
    ['channel', 'status', 'reason'],
    cachedSamples(async () => {
      const rows = await within(
        runtime.db.$queryRaw<{ channel: string; status: string; reason: string; n: number }[]>`
          SELECT channel, status, coalesce(split_part(error, ':', 1), '') AS reason, count(*)::int AS n
          FROM deliveries GROUP BY 1, 2, 3`,
        timeoutMs,
      );
      return rows.map((r) => ({
        labels: { channel: r.channel || 'none', status: r.status, reason: r.reason },
        value: r.n,
      }));
    }, maxAgeMs),
  );
}
