import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InboundHandler } from '../src/core/channel';
import type { DialogEngine } from '../src/core/dialog/engine';
import { latencySummary, round } from './stats';

/** Our bot against a bare echo bot of the same SDK: round trips, their ratio, and where ours spends its time. */
export interface VersusEchoResult {
  messages: number;
  ours_p50_ms: number;
  ours_p99_ms: number;
  echo_p50_ms: number;
  echo_p99_ms: number;
  ratio_p50: number;
  ratio_p99: number;
  /** Of ours: the dialog turn alone (engine.handle: Redis session, PostgreSQL, NLU), for attribution. */
  dialog_p50_ms: number;
}

/** Users who take turns, so every person's session and every chat is touched more than once. */
export const BENCH_USERS = 20;
export const BENCH_QUESTIONS = [
  '培训要钱吗',
  '学徒制企业补贴多少',
  '我能拿什么补贴',
  'is the training free?',
];

/** The dialog as our channel's handler, timing each turn into `dialogMs`. */
export function timedDialog(engine: Pick<DialogEngine, 'handle'>, dialogMs: number[]): InboundHandler {
  return async (message) => {
    const started = performance.now();
    const result = await engine.handle(message);
    dialogMs.push(performance.now() - started);
    return result;
  };
}

/**
 * One warm-up message per user (a new person for our bot; JIT, connections), then `count` round trips
 * alternating echo and ours, so both meet the same machine load, at least `spacingMs` apart.
 */
export async function versusEcho(options: {
  count: number;
  echoTrip: (i: number) => Promise<number>;
  oursTrip: (i: number) => Promise<number>;
  dialogMs: number[];
  spacingMs?: number;
}): Promise<VersusEchoResult & { oursMs: number[] }> {
  const { count, echoTrip, oursTrip, dialogMs } = options;
  for (let i = 0; i < BENCH_USERS; i++) {
    await echoTrip(i);
    await oursTrip(i);
  }
  const echoMs: number[] = [];
  const oursMs: number[] = [];
  dialogMs.length = 0;
  for (let i = 0; i < count; i++) {
    const cycle = performance.now();
    echoMs.push(await echoTrip(i));
    oursMs.push(await oursTrip(i));
    const rest = (options.spacingMs ?? 0) - (performance.now() - cycle);
    if (rest > 0) await sleep(rest);
  }
  const a = latencySummary(oursMs);
  const b = latencySummary(echoMs);
  return {
    messages: count,
    ours_p50_ms: a.p50_ms,
    ours_p99_ms: a.p99_ms,
    echo_p50_ms: b.p50_ms,
    echo_p99_ms: b.p99_ms,
    ratio_p50: round(a.p50_ms / b.p50_ms),
    ratio_p99: round(a.p99_ms / b.p99_ms),
    dialog_p50_ms: latencySummary(dialogMs).p50_ms,
    oursMs,
  };
}
