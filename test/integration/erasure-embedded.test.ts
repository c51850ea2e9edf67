import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPiiCipher } from '../../src/app/pii-keys';
import { scrubBatch } from '../../src/db/repositories/erase-traces';
import { allText } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';
import { validIdNumber } from '../support/sample-runtime';

/**
 * Erasure on the embedded database (PGlite: one connection for the whole process) with a big deliveries
 * table: the text scrub goes in small statements, so other people's chat turns are answered meanwhile.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'jineng-erasure-'));
let world: OutreachWorld;

beforeAll(async () => {
  world = await outreachWorld({
    env: { DATABASE_URL: '', DATA_DIR: join(dataDir, 'data') },
  });
}, 120_000);
afterAll(async () => {
  await world?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const ROWS = 50_000;
const NAME = '周海燕';
const PHONE = '13987650321';

/** 50,000 sent messages to other people in one statement; every 1,000th quotes the person to be erased. */
async function bigDeliveries(courseId: string) {
  const db = world.runtime.db;
  const t0 = performance.now();
  await db.$executeRaw`
    INSERT INTO deliveries (id, key, kind, channel, chat_id, status, message, sent_at, updated_at)
    SELECT gen_random_uuid(), 'bulk:' || i, 'broadcast', 'test', 'someone-' || i, 'sent',
      jsonb_build_object('text', CASE WHEN i % 1000 = 0
        THEN '请' || ${NAME}::text || '同学带身份证，电话' || ${PHONE}::text
        ELSE '第' || i || '条通知：明天上午 9 点在县职校上课，请带好笔记本。' END),
      now(), now()
    FROM generate_series(1, ${ROWS}::int) AS i`;
  await db.broadcast.create({
    data: { courseId, authorId: courseId, text: `请${NAME}同学带身份证`, status: 'completed' },
  });
  console.log(`inserted ${ROWS} deliveries in ${Math.round(performance.now() - t0)} ms`);
}

const quoting = () =>
  world.runtime.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM deliveries WHERE strpos(message::text, ${NAME}) > 0`;

describe('erasure on the embedded database with 50,000 deliveries', () => {
  it('answers another person’s chat while the scrub runs, and the scrub completes', {
    timeout: 300_000,
  }, async () => {
    const db = world.runtime.db;
    const cipher = loadPiiCipher(world.runtime.config, world.runtime.logger);
    const course = await createCourse(db, { capacity: 10 });
    await bigDeliveries(course.id);
    const a = chatter(world.runtime);
    await db.person.create({
      data: {
        realName: NAME,
        phone: PHONE,
        idNumberEnc: cipher.encrypt(validIdNumber(77)),
        identities: { create: { channel: 'test', externalId: a.id, chatId: a.id } },
        enrolments: { create: { courseId: course.id, status: 'confirmed' } },
      },
    });
    await db.course.update({ where: { id: course.id }, data: { seatsTaken: 1 } });
    expect((await quoting())[0]!.n).toBe(ROWS / 1000);

    const b = chatter(world.runtime);
    expect((await b.say('你好')).replies.length).toBeGreaterThan(0);
    await a.say('删除我的信息');

    const t0 = performance.now();
    let erasedAt: number | undefined;
    const erasure = a.say('确定删除').then((r) => {
      erasedAt = performance.now() - t0;
      return r;
    });
    // Wait for the wipe to commit (the scrub's row appears), then chat as someone else until it is done.
    while ((await db.erasureScrub.count()) === 0 && erasedAt === undefined)
      await new Promise((r) => setTimeout(r, 5));
    const scrubSeenAt = performance.now() - t0;
    const turns: { ms: number; duringErasure: boolean; intent: string; answered: boolean }[] = [];
    const questions = ['培训要钱吗', '镇雄有什么电商培训', '你好'];
    do {
      const s = performance.now();
      const turn = await b.say(questions[turns.length % questions.length]!);
      turns.push({
        ms: Math.round(performance.now() - s),
        duringErasure: erasedAt === undefined,
        intent: turn.intent,
        answered: turn.replies.length > 0 && turn.intent !== 'error',
      });
    } while (erasedAt === undefined && turns.length < 200);
    const done = await erasure;

    console.log(
      `embedded erasure with ${ROWS} deliveries: wipe committed by ${Math.round(scrubSeenAt)} ms, ` +
        `erasure answered after ${Math.round(erasedAt ?? Number.NaN)} ms`,
    );
    console.log(
      `another person's chat turns, ${turns.filter((t) => t.duringErasure).length} of them answered while the ` +
        `erasure ran (ms): ${turns.map((t) => `${t.ms}${t.duringErasure ? '' : ' (after)'}`).join(', ')}`,
    );
    expect(allText(done)).toContain('您的个人信息已删除');
    expect(turns.every((t) => t.answered)).toBe(true);
    // The scrub completed: nothing quotes them, and no scrub is left pending.
    expect((await quoting())[0]!.n).toBe(0);
    expect(await db.erasureScrub.count()).toBe(0);
    expect(await db.broadcast.count({ where: { text: { contains: NAME } } })).toBe(0);

    // For comparison: what the whole-table scan the erasure used to run in its transaction costs here, as one
    // statement that holds the only connection (four traces like a person's that nobody has, so it changes nothing).
    const s = performance.now();
    await scrubBatch(
      db,
      'deliveries',
      { traces: ['没有这个人', '13900000000', '530600199001011234', '530600199001011234'.toLowerCase()] },
      null,
      ROWS * 2,
    );
    console.log(
      `one statement over all ${ROWS} deliveries (the old way): ${Math.round(performance.now() - s)} ms`,
    );
  });
});
