import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCourse } from '../support/fixtures';
import { enrolledPeople, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

/**
 * `jineng start --role workers` as separate processes on one Redis and one PostgreSQL: two of them share a
 * broadcast without sending anything twice, and one stopped by SIGTERM mid-broadcast finishes what it
 * started, leaves nothing half-sent, and the next process delivers the rest.
 */

const CHILD = new URL('../support/role-worker-child.ts', import.meta.url).pathname;
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'jineng-roles-'));
let world: OutreachWorld;

beforeAll(async () => {
  // This process only queues broadcasts (like a `--role channels` process); the children do the sending.
  world = await outreachWorld({ workers: false });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await world.close();
  rmSync(dir, { recursive: true, force: true });
});

async function workerProcess(recordTo: string, sendDelayMs: number, graceMs = 20_000): Promise<ChildProcess> {
  const args = {
    databaseUrl: world.runtime.databaseUrl,
    redisUrl: inject('redisUrl'),
    prefix: world.prefix,
    recordTo,
    sendDelayMs,
    graceMs,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.split('\n').includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
  });
  return child;
}

async function queuedBroadcast(recipients: number): Promise<string> {
  const { db } = world.runtime;
  const course = await createCourse(db, { capacity: recipients });
  await enrolledPeople(db, course.id, recipients);
  const author = await db.person.create({ data: {} });
  const access = { role: 'admin' as const, courseCodes: [], counties: [] };
  const draft = await world.runtime.broadcasts.draft(
    author.id,
    access,
    course.code,
    '周六上午补课',
    new Date(),
  );
  if (draft.status !== 'ok') throw new Error(`draft failed: ${draft.status}`);
  const confirmed = await world.runtime.broadcasts.confirm(author.id, draft.preview.broadcastId, false);
  expect(confirmed).toMatchObject({ status: 'sending', recipients });
  return draft.preview.broadcastId;
}

function recorded(...files: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').filter(Boolean)) {
      const { chatId } = JSON.parse(line) as { chatId: string };
      counts.set(chatId, (counts.get(chatId) ?? 0) + 1);
    }
  }
  return counts;
}

const deliveries = (broadcastId: string) =>
  world.runtime.db.delivery.groupBy({ by: ['status', 'inDoubt'], where: { broadcastId }, _count: true });

async function finished(broadcastId: string) {
  await until(
    'every delivery to be sent',
    async () =>
      (await world.runtime.db.delivery.count({
        where: { broadcastId, status: { in: ['pending', 'sending'] } },
      })) === 0,
    240_000,
  );
  return deliveries(broadcastId);
}

async function terminated(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('several worker processes', () => {
  it('share one broadcast between two processes and send each message exactly once', async () => {
    const files = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    const [a, b] = await Promise.all(files.map((f) => workerProcess(f, 3)));
    const recipients = 200;
    const broadcastId = await queuedBroadcast(recipients);
    const statuses = await finished(broadcastId);

    const counts = recorded(...files);
    expect(counts.size).toBe(recipients);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // Both processes did part of the work.
    expect(recorded(files[0]!).size).toBeGreaterThan(0);
    expect(recorded(files[1]!).size).toBeGreaterThan(0);
    expect(statuses).toEqual([{ status: 'sent', inDoubt: false, _count: recipients }]);
    expect(await terminated(a!)).toBe(0);
    expect(await terminated(b!)).toBe(0);
  }, 300_000);

  it('stops cleanly on SIGTERM mid-broadcast, and after a restart nothing is lost or sent twice', async () => {
    const first = join(dir, 'first.jsonl');
    const second = join(dir, 'second.jsonl');
    const worker = await workerProcess(first, 100);
    const recipients = 300;
    const broadcastId = await queuedBroadcast(recipients);
    await until('60 messages sent', async () => recorded(first).size >= 60, 240_000);

    // Graceful: the process finishes the sends it started, then exits 0 before its grace period ends.
    expect(await terminated(worker)).toBe(0);
    const before = recorded(first);
    expect(before.size).toBeLessThan(recipients); // stopped mid-broadcast, not at the end
    // Nothing is left claimed half-way: every row is either sent or still waiting for a worker.
    const midway = await deliveries(broadcastId);
    expect(midway.every((s) => s.status === 'sent' || s.status === 'pending')).toBe(true);
    expect(midway.find((s) => s.status === 'sent')?._count).toBe(before.size);

    const restarted = await workerProcess(second, 2);
    const statuses = await finished(broadcastId);
    expect(await terminated(restarted)).toBe(0);

    const counts = recorded(first, second);
    expect(counts.size).toBe(recipients);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(statuses).toEqual([{ status: 'sent', inDoubt: false, _count: recipients }]);
    const broadcast = await world.runtime.db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } });
    expect(broadcast.status).toBe('completed');
  }, 300_000);
});
