import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCourse } from '../support/fixtures';
import { enrolledPeople, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

const CHILD = new URL('../support/outbound-worker-child.ts', import.meta.url).pathname;
const RECIPIENTS = 1_000;
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'jineng-crash-'));
let world: OutreachWorld;

beforeAll(async () => {
  // The broadcast is queued by this process; only the child processes run outbound workers.
  world = await outreachWorld({ workers: false });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await world.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts an outbound worker process; resolves once it is working. `onLine` sees its stdout lines. */
async function worker(
  recordTo: string,
  options: { concurrency: number; hangAfter?: number },
  onLine: (line: string) => void = () => {},
): Promise<ChildProcess> {
  const args = {
    databaseUrl: world.runtime.databaseUrl,
    redisUrl: inject('redisUrl'),
    prefix: world.prefix,
    recordTo,
    lockDuration: 2_000,
    stalledInterval: 1_000,
    leaseMs: 1_500,
    ...options,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let ready: () => void;
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') ready();
      onLine(line);
    }
  });
  await started;
  return child;
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A course with RECIPIENTS people and a confirmed broadcast to them: 1,000 delivery rows and jobs. */
async function queuedBroadcast(): Promise<string> {
  const { db } = world.runtime;
  const course = await createCourse(db, { capacity: RECIPIENTS });
  await enrolledPeople(db, course.id, RECIPIENTS);
  const author = await db.person.create({ data: {} });
  const access = { role: 'admin' as const, courseCodes: [], counties: [] };
  const draft = await world.runtime.broadcasts.draft(
    author.id,
    access,
    course.code,
    '明天上午9点改到201教室',
    new Date(),
  );
  if (draft.status !== 'ok') throw new Error(`draft failed: ${draft.status}`);
  const confirmed = await world.runtime.broadcasts.confirm(author.id, draft.preview.broadcastId, false);
  expect(confirmed).toMatchObject({ status: 'sending', recipients: RECIPIENTS, unreachable: 0 });
  return draft.preview.broadcastId;
}

async function finished(broadcastId: string) {
  await until(
    'every delivery to finish',
    async () =>
      (await world.runtime.db.delivery.count({
        where: { broadcastId, status: { in: ['pending', 'sending'] } },
      })) === 0,
    150_000,
  );
  return world.runtime.db.delivery.groupBy({
    by: ['status', 'inDoubt'],
    where: { broadcastId },
    _count: true,
  });
}

function recorded(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const { chatId } = JSON.parse(line) as { chatId: string };
    counts.set(chatId, (counts.get(chatId) ?? 0) + 1);
  }
  return counts;
}

describe('a broadcast survives its worker being killed', () => {
  it('delivers all 1,000 messages exactly once when the worker dies in the middle of a send', {
    timeout: 180_000,
  }, async () => {
    const broadcastId = await queuedBroadcast();
    const file = join(dir, 'exact.jsonl');
    let hung!: () => void;
    const isHung = new Promise<void>((resolve) => {
      hung = resolve;
    });
    // One send at a time; after 400 deliveries the next send hangs (the platform never got it) and the
    // process is killed while it waits: its claim is left behind as 'sending'.
    const first = await worker(file, { concurrency: 1, hangAfter: 400 }, (line) => line === 'hung' && hung());
    await isHung;
    await killed(first);
    expect(recorded(file).size).toBe(400);

    const second = await worker(file, { concurrency: 8 });
    const statuses = await finished(broadcastId);
    await killed(second);

    const counts = recorded(file);
    expect(counts.size).toBe(RECIPIENTS);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(statuses).toEqual(
      expect.arrayContaining([
        { status: 'sent', inDoubt: false, _count: RECIPIENTS - 1 },
        // The message in flight at the kill was taken over after the lease and sent again, flagged.
        { status: 'sent', inDoubt: true, _count: 1 },
      ]),
    );
    const broadcast = await world.runtime.db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } });
    expect(broadcast.status).toBe('completed');
  });

  it('loses nothing when killed at a random moment, and sends again only what was in doubt', {
    timeout: 180_000,
  }, async () => {
    const broadcastId = await queuedBroadcast();
    const file = join(dir, 'random.jsonl');
    const first = await worker(file, { concurrency: 8 });
    await until('300 deliveries', async () => {
      try {
        return readFileSync(file, 'utf8').split('\n').length > 300;
      } catch {
        return false;
      }
    });
    await killed(first);
    const second = await worker(file, { concurrency: 8 });
    const statuses = await finished(broadcastId);
    await killed(second);

    const counts = recorded(file);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const inDoubt = statuses.filter((s) => s.inDoubt).reduce((n, s) => n + s._count, 0);
    expect(counts.size).toBe(RECIPIENTS); // nobody lost
    expect(statuses.every((s) => s.status === 'sent')).toBe(true);
    // A second copy is only possible for a message whose send was cut off by the kill (at most one per
    // concurrent slot); everything else arrived exactly once.
    expect(total - RECIPIENTS).toBeLessThanOrEqual(inDoubt);
    expect(inDoubt).toBeLessThanOrEqual(8);
  });
});
