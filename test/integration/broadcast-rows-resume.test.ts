import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { createLogger } from '../../src/logger';
import { createCourse } from '../support/fixtures';
import { enrolledPeople, outreachConfig, until } from '../support/outreach-runtime';
import { RecordingChannel } from '../support/recording-channel';
import { isolatedDb, uniquePrefix } from '../support/test-env';

const RECIPIENTS = 3_000;
const runtimes: Runtime[] = [];

afterAll(async () => {
  for (const runtime of runtimes) await runtime.close();
});

/**
 * A process of the deployment: its own runtime on the shared database and queue prefix; with `sweeping`
 * false only outbound workers (no sweep at start-up: the test runs it).
 */
async function startProcess(
  url: string,
  prefix: string,
  channel: RecordingChannel,
  sweeping = true,
): Promise<Runtime> {
  const config = outreachConfig(url, prefix);
  const runtime = await createRuntime(config, createLogger(config.LOG_LEVEL), { channels: [channel] });
  runtimes.push(runtime);
  if (sweeping) await runtime.startWorkers();
  else runtime.startOutboundWorkers(() => true);
  return runtime;
}

describe('a notice whose rows are still being written when its process stops', () => {
  it('is finished by the sweep: every recipient gets one row and one message, and it completes only then', {
    timeout: 180_000,
  }, async () => {
    const { db, url } = await isolatedDb('rows');
    const prefix = uniquePrefix('rows');
    const firstChannel = new RecordingChannel();
    const first = await startProcess(url, prefix, firstChannel);
    const course = await createCourse(db, { capacity: RECIPIENTS });
    const people = await enrolledPeople(db, course.id, RECIPIENTS);
    const author = await db.person.create({ data: {} });
    await db.channelIdentity.create({
      data: {
        channel: 'test',
        externalId: author.id,
        chatId: author.id,
        personId: author.id,
        lastInboundAt: new Date(),
      },
    });
    const access = { role: 'admin' as const, courseCodes: [], counties: [] };
    const draft = await first.broadcasts.draft(author.id, access, course.code, '明天停课', new Date());
    if (draft.status !== 'ok') throw new Error(draft.status);
    const broadcastId = draft.preview.broadcastId;

    // The coordinator is told every recipient, then the process stops while the rows are being written.
    const outcome = await first.broadcasts.confirm(author.id, broadcastId, false);
    expect(outcome).toMatchObject({
      status: 'sending',
      deferred: false,
      recipients: RECIPIENTS,
      unreachable: 0,
    });
    await first.close();
    runtimes.splice(runtimes.indexOf(first), 1);
    const written = await db.delivery.count({ where: { broadcastId } });
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(RECIPIENTS);

    // Another process sends what was queued; the notice is not finished with rows still missing.
    const secondChannel = new RecordingChannel();
    const second = await startProcess(url, prefix, secondChannel, false);
    await until('the written rows to be sent', async () => {
      const open = await db.delivery.count({
        where: { broadcastId, status: { in: ['pending', 'sending'] } },
      });
      return open === 0;
    });
    expect(await second.broadcasts.finishIfDone(broadcastId)).toBe(false);
    expect(await db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } })).toMatchObject({
      status: 'sending',
      rowsWrittenAt: null,
    });

    // The sweep writes the rest and queues them; then the notice completes and its author hears of it once.
    await second.sweep();
    await until(
      'the notice to complete',
      async () =>
        (await db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } })).status === 'completed',
      150_000,
    );
    await until('the author to get the summary', async () => secondChannel.sentTo(author.id).length > 0);
    const rows = await db.delivery.groupBy({
      by: ['personId', 'status'],
      where: { broadcastId },
      _count: true,
    });
    expect(rows).toHaveLength(RECIPIENTS);
    expect(rows.every((r) => r.status === 'sent' && r._count === 1)).toBe(true);
    const sends = [...firstChannel.sent, ...secondChannel.sent];
    const counts = new Map<string, number>();
    for (const s of sends) counts.set(s.chatId, (counts.get(s.chatId) ?? 0) + 1);
    expect(people.filter((p) => counts.get(p) === 1)).toHaveLength(RECIPIENTS);
    expect(counts.get(author.id)).toBe(1);
    const broadcast = await db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } });
    expect(broadcast.recipients).toBe(RECIPIENTS);
  });
});
