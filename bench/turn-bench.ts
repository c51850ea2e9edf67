import { readFileSync } from 'node:fs';
import type { DialogEngine } from '../src/core/dialog/engine';
import type { InboundMessage } from '../src/core/message';
import { latencySummary, round } from './stats';

export interface TurnBenchResult {
  suite: 'turn';
  messages: number;
  p50_ms: number;
  p99_ms: number;
  throughput_per_s: number;
}

export const BENCH_QUESTIONS = new URL('../test/fixtures/policy-questions.jsonl', import.meta.url).pathname;

/** The policy questions the turn suites ask, one per line of the fixture. */
export function benchQuestions(): string[] {
  return readFileSync(BENCH_QUESTIONS, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { q: string }).q);
}

/**
 * Policy questions through the whole dialog engine: session load and save in Redis, the person looked up
 * in PostgreSQL, NLU, retrieval and the answer. Sequential, so the latency is one person's wait.
 */
export async function benchTurn(engine: DialogEngine, messages = 1000, users = 50): Promise<TurnBenchResult> {
  const questions = benchQuestions();
  const run = `bench${Date.now().toString(36)}`;
  const message = benchMessages(run, users, questions);
  for (let i = 0; i < users; i++) await engine.handle(message(-1 - i)); // first contact creates each person
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
    const t0 = performance.now();
    await engine.handle(message(i));
    latencies.push(performance.now() - t0);
  }
  const elapsed = performance.now() - started;
  return {
    suite: 'turn',
    messages,
    ...latencySummary(latencies),
    throughput_per_s: round((messages / elapsed) * 1000, 1),
  };
}

/** Message `i` of a run: one of `users` people (negative `i` too, for warm-ups) asks one of `questions`. */
export function benchMessages(run: string, users: number, questions: string[]) {
  return (i: number): InboundMessage => {
    const user = `${run}-${((i % users) + users) % users}`;
    return {
      id: `${run}:${i}`,
      address: { channel: 'test', chatId: user },
      senderId: user,
      text: questions[Math.abs(i) % questions.length]!,
      receivedAt: new Date(),
    };
  };
}
