import type { Runtime } from '../src/app/compose';
import { benchWorld } from './bench-world';
import { round } from './stats';

export interface BroadcastBenchResult {
  suite: 'broadcast';
  recipients: number;
  enqueue_ms: number;
  rate_limit_per_s: number;
  achieved_per_s: number;
  duplicates: number;
  lost: number;
}

/**
 * A coordinator's notice to `recipients` people, through the real path: confirm (delivery rows in one
 * transaction, jobs with addBulk meanwhile), then the outbound worker under a `rate`/s limiter sending to a
 * recording channel. enqueue_ms is the confirmation; achieved_per_s counts every send from the worker's start
 * to the last send (BullMQ's limiter allows `rate` per fixed one-second window). Duplicates and losses are
 * counted from what the channel received.
 */
export async function benchBroadcast(
  runtime: Runtime,
  recipients = 10_000,
  rate = 1_000,
): Promise<BroadcastBenchResult> {
  const world = await benchWorld(runtime, rate, 200);
  try {
    const [author] = await world.people(1);
    const notice = (n: number) => world.notice(author!, n);
    // A small notice first, as a running bot would have sent: connections open, scripts loaded, code warm.
    const warmUp = await notice(200);
    await world.runtime.broadcasts.confirm(author!, warmUp.id, false);
    const measured = await notice(recipients);

    const t0 = performance.now();
    await world.runtime.broadcasts.confirm(author!, measured.id, false);
    const enqueueMs = performance.now() - t0;

    const started = Date.now();
    const worker = world.runtime.startOutbound(world.channel);
    await worker.waitUntilReady();
    await world.channel.settle(recipients + warmUp.people.size, 10_000);
    const all = world.channel.sends.filter((s) => s.chatId !== author);
    const sends = all.filter((s) => measured.people.has(s.chatId));
    const last = Math.max(...all.map((s) => s.at));
    const unique = new Set(sends.map((s) => s.chatId)).size;
    return {
      suite: 'broadcast',
      recipients,
      enqueue_ms: round(enqueueMs, 1),
      rate_limit_per_s: rate,
      achieved_per_s: round((all.length / Math.max(1, last - started)) * 1000, 1),
      duplicates: sends.length - unique,
      lost: recipients - unique,
    };
  } finally {
    await world.cleanUp();
  }
}
