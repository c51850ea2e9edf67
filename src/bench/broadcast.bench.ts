import type { Runtime } from '../app/runtime';
import { benchWorld } from './outreach-bench';
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
 * transaction, jobs with addBulk), then the outbound worker under a `rate`/s limiter sending to a recording
 * channel. Duplicates and losses are counted from what the channel received.
 */
export async function benchBroadcast(
  runtime: Runtime,
  recipients = 10_000,
  rate = 1_000,
): Promise<BroadcastBenchResult> {
  const world = benchWorld(runtime, rate, 200);
  try {
    const course = await world.course(new Date(Date.now() + 7 * 86_400_000), recipients);
    const people = await world.people(recipients);
    const { db } = runtime;
    await db.enrolment.createMany({
      data: people.map((personId) => ({ personId, courseId: course.id, status: 'confirmed' })),
    });
    const [author] = await world.people(1);
    const admin = { role: 'admin' as const, courseCodes: [], counties: [] };
    const draft = await world.outreach.broadcasts.draft(
      author!,
      admin,
      course.code,
      '明天上午9点改到201教室',
      new Date(),
    );
    if (draft.status !== 'ok') throw new Error(`broadcast draft failed: ${draft.status}`);

    const t0 = performance.now();
    await world.outreach.broadcasts.confirm(author!, draft.preview.broadcastId, false);
    const enqueueMs = performance.now() - t0;

    const started = Date.now();
    const worker = world.outreach.startOutbound(world.channel);
    await worker.waitUntilReady();
    await world.channel.settle(recipients, 10_000);
    const sends = world.channel.sends.filter((s) => s.chatId !== author);
    const last = Math.max(...sends.map((s) => s.at));
    const unique = new Set(sends.map((s) => s.chatId)).size;
    return {
      suite: 'broadcast',
      recipients,
      enqueue_ms: round(enqueueMs, 1),
      rate_limit_per_s: rate,
      achieved_per_s: round((sends.length / Math.max(1, last - started)) * 1000, 1),
      duplicates: sends.length - unique,
      lost: recipients - unique,
    };
  } finally {
    await world.cleanUp();
  }
}
