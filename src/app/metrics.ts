import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { DialogEngine } from '../core/dialog/engine';

/**
 * The process's Prometheus metrics. Counters and the latency histogram are fed by `observeEngine` (every
 * turn of every channel passes through the engine); gauges read from Redis and PostgreSQL (at most every
 * METRICS_REFRESH_SECONDS) are added by the /metrics route (src/http/ops/ops-gauges.ts).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'jineng_' });
  return {
    registry,
    messagesIn: new Counter({
      name: 'jineng_messages_in_total',
      help: 'Messages people sent to the bot, per channel',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    messagesOut: new Counter({
      name: 'jineng_messages_out_total',
      help: 'Replies the bot gave, per channel (proactive messages are counted in jineng_deliveries)',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    turnSeconds: new Histogram({
      name: 'jineng_turn_duration_seconds',
      help: 'Time from a message reaching the dialog engine to its replies being ready',
      labelNames: ['channel', 'outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The engine, measured: messages in, replies out and turn latency per channel. */
export function observeEngine(engine: DialogEngine, metrics: Metrics): DialogEngine {
  return {
    async handle(message) {
      const channel = message.address.channel;
      metrics.messagesIn.inc({ channel });
      const stop = metrics.turnSeconds.startTimer({ channel });
      const result = await engine.handle(message);
      stop({ outcome: result.intent === 'error' ? 'error' : 'ok' });
      metrics.messagesOut.inc({ channel }, result.replies.length);
      return result;
    },
  };
}
