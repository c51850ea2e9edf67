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
    // SMS cost and fate (docs/sms.md): what the provider bills is segments, not messages.
    smsMessages: new Counter({
      name: 'jineng_sms_messages_total',
      help: 'SMS the provider accepted, per provider and kind of message',
      labelNames: ['provider', 'kind'] as const,
      registers: [registry],
    }),
    smsSegments: new Counter({
      name: 'jineng_sms_segments_total',
      help: 'Billed SMS segments (70 characters, or 67 per part of a longer message), per provider and kind',
      labelNames: ['provider', 'kind'] as const,
      registers: [registry],
    }),
    smsRefused: new Counter({
      name: 'jineng_sms_refused_total',
      help: 'SendSms answers other than OK, per provider and error code',
      labelNames: ['provider', 'code'] as const,
      registers: [registry],
    }),
    smsReports: new Counter({
      name: 'jineng_sms_reports_total',
      help: 'Delivery-status reports received, per provider and status (delivered, failed)',
      labelNames: ['provider', 'status'] as const,
      registers: [registry],
    }),
  };
}

/** The SMS channel's counters (src/channels/sms/sms-channel.ts: SmsMeter). */
export function smsMeter(metrics: Metrics) {
  return {
    sent(provider: string, kind: string, segments: number) {
      metrics.smsMessages.inc({ provider, kind });
      metrics.smsSegments.inc({ provider, kind }, segments);
    },
    refused: (provider: string, code: string) => metrics.smsRefused.inc({ provider, code }),
    reported: (provider: string, status: string) => metrics.smsReports.inc({ provider, status }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The engine, measured: messages in, replies out and turn latency per channel. */
export function observeEngine(engine: DialogEngine, metrics: Metrics): DialogEngine {
  return {
    flowNames: engine.flowNames,
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
