import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEnrolmentRepository } from '../../src/db/repositories/enrolment-repository';
import { SAMPLE_COURSES_FILE, seedDatabase } from '../../src/db/seed';
import { startHttp } from '../../src/http/start-http';
import { createCourse } from '../support/fixtures';
import {
  chatter,
  enrolledPeople,
  type OutreachWorld,
  outreachWorld,
  until,
} from '../support/outreach-runtime';
import { validIdNumber } from '../support/sample-runtime';

/**
 * The same concurrent workloads on the embedded database (PGlite, one session) and on the PostgreSQL server
 * must leave the same rows: the embedded default may be slower, never different.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'jineng-diff-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const ADMIN = 'diff-admin';

async function world(embedded: boolean): Promise<OutreachWorld> {
  const env: Record<string, string> = { ADMIN_IDENTITIES: `test:${ADMIN}`, PORT: '0', HOST: '127.0.0.1' };
  if (embedded) Object.assign(env, { DATABASE_URL: '', DATA_DIR: join(dataDir, 'data') });
  const w = await outreachWorld({ env });
  await seedDatabase(w.runtime.db, {
    now: new Date(),
    sampleJson: readFileSync(SAMPLE_COURSES_FILE, 'utf8'),
    timezone: 'Asia/Shanghai',
  });
  await w.runtime.startChannels();
  return w;
}

/** 500 people take the 30 seats of one course at once, through the dialog's enrolment code (on the runtime's pool). */
async function signUpRace(w: OutreachWorld) {
  const db = w.runtime.db;
  const course = await createCourse(db, { capacity: 30 });
  const people = await db.person.createManyAndReturn({ data: Array.from({ length: 500 }, () => ({})) });
  const repo = createEnrolmentRepository(db, w.runtime.database.pool);
  const outcomes = await Promise.allSettled(people.map((p) => repo.enrol(p.id, course.code)));
  const rows = await db.enrolment.findMany({ where: { courseId: course.id } });
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason).slice(0, 300)] : []));
  if (failures.length) console.log('sign-up race errors', new Set(failures));
  return {
    errors: failures.length,
    confirmed: rows.filter((r) => r.status === 'confirmed').length,
    waitlistPositions: rows
      .flatMap((r) => (r.waitlistPosition ? [r.waitlistPosition] : []))
      .sort((a, b) => a - b),
    toldPlaces: outcomes
      .flatMap((o) => (o.status === 'fulfilled' && o.value.status === 'waitlisted' ? [o.value.position] : []))
      .sort((a, b) => a - b),
    seatsTaken: (await db.course.findUniqueOrThrow({ where: { id: course.id } })).seatsTaken,
  };
}

/** 20 people sign up for the 2-seat chef class through the web chat's HTTP API, all at the same time. */
async function webSignUps(w: OutreachWorld) {
  const app = await startHttp(w.runtime);
  try {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const say = async (sessionId: string, text: string) => {
      const response = await fetch(`${base}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId, text }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { replies: { text: string }[] };
      return body.replies.map((r) => r.text).join('\n');
    };
    const finals = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const created = await fetch(`${base}/api/webchat/session`, { method: 'POST' });
        const { sessionId } = (await created.json()) as { sessionId: string };
        await say(sessionId, '报名 ZX-CS-01');
        await say(sessionId, '1');
        await say(sessionId, `网页${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑'[i % 2]}`);
        await say(sessionId, `1390000${String(i).padStart(4, '0')}`);
        await say(sessionId, '同意');
        return say(sessionId, validIdNumber(500 + i));
      }),
    );
    const course = await w.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-CS-01' } });
    const rows = await w.runtime.db.enrolment.findMany({ where: { courseId: course.id } });
    return {
      answered: finals.filter((t) => t.includes('报名成功') || t.includes('候补')).length,
      confirmed: rows.filter((r) => r.status === 'confirmed').length,
      waitlistPositions: rows
        .flatMap((r) => (r.waitlistPosition ? [r.waitlistPosition] : []))
        .sort((a, b) => a - b),
      seatsTaken: course.seatsTaken,
      people: await w.runtime.db.person.count({ where: { phone: { startsWith: '1390000' } } }),
    };
  } finally {
    await app.close();
  }
}

/** A coordinator sends a notice to a class of 60 while 20 others ask questions. */
async function broadcastWhileChatting(w: OutreachWorld) {
  const db = w.runtime.db;
  const course = await createCourse(db, { capacity: 100 });
  const enrolled = await enrolledPeople(db, course.id, 60);
  const admin = chatter(w.runtime, ADMIN);
  await admin.say('你好');
  const preview = await admin.say(`/broadcast ${course.code} 明天上午停课一天`);
  expect(preview.replies[0]!.choices?.length).toBeGreaterThan(0);
  const askers = Array.from({ length: 20 }, () => chatter(w.runtime));
  const [sending, ...answers] = await Promise.all([
    admin.say('1'),
    ...askers.map((a, i) => a.say(i % 2 ? '培训要钱吗' : '镇雄有什么电商培训')),
  ]);
  await until('the notice reached all 60', async () =>
    enrolled.every((id) => w.channel.sentTo(id).length >= 1) ? true : undefined,
  );
  await new Promise((r) => setTimeout(r, 500));
  const deliveries = await db.delivery.findMany({ where: { kind: 'broadcast', chatId: { in: enrolled } } });
  return {
    recipients: sending.events.map((e) => ('recipients' in e ? e.recipients : undefined)),
    askersAnswered: answers.filter((a) => a.replies.length > 0 && a.intent !== 'error').length,
    receivedOnce: enrolled.filter((id) => w.channel.sentTo(id).length === 1).length,
    deliveryRows: deliveries.length,
    deliveredRows: deliveries.filter((d) => d.status === 'sent').length,
  };
}

async function runAll(embedded: boolean) {
  const w = await world(embedded);
  const timed = async <T>(name: string, fn: () => Promise<T>) => {
    const t0 = performance.now();
    const result = await fn();
    console.log(`${embedded ? 'embedded' : 'postgresql'} ${name}: ${Math.round(performance.now() - t0)} ms`);
    return result;
  };
  try {
    return {
      race: await timed('race', () => signUpRace(w)),
      web: await timed('web', () => webSignUps(w)),
      broadcast: await timed('broadcast', () => broadcastWhileChatting(w)),
    };
  } finally {
    await w.close();
  }
}

describe('the embedded database under concurrency, side by side with PostgreSQL', {
  timeout: 600_000,
}, () => {
  it('gives the same rows for a sign-up race, concurrent web-chat sign-ups and a broadcast during chats', async () => {
    const server = await runAll(false);
    const embedded = await runAll(true);
    const positions = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    // What is right, so that two equally wrong results cannot pass:
    expect(server.race).toEqual({
      errors: 0,
      confirmed: 30,
      waitlistPositions: positions(470),
      toldPlaces: positions(470),
      seatsTaken: 30,
    });
    expect(server.web).toEqual({
      answered: 20,
      confirmed: 2,
      waitlistPositions: positions(18),
      seatsTaken: 2,
      people: 20,
    });
    expect(server.broadcast).toMatchObject({
      askersAnswered: 20,
      receivedOnce: 60,
      deliveryRows: 60,
      deliveredRows: 60,
    });
    expect(embedded).toEqual(server);
  });
});
