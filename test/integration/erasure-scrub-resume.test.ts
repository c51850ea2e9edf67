import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPiiCipher } from '../../src/app/pii-keys';
import type { PiiCipher } from '../../src/core/people/pii-crypto';
import { deletePersonData, finishErasureScrub } from '../../src/db/repositories/person-erasure';
import { pgDump } from '../support/dumps';
import { createCourse } from '../support/fixtures';
import { type OutreachWorld, outreachWorld } from '../support/outreach-runtime';
import { validIdNumber } from '../support/sample-runtime';

let world: OutreachWorld;
let cipher: PiiCipher;

beforeAll(async () => {
  world = await outreachWorld();
  cipher = loadPiiCipher(world.runtime.config, world.runtime.logger);
});
afterAll(() => world?.close());

const db = () => world.runtime.db;
const NAME = '吴秋菊';
const PHONE = '13911112222';
const ID = validIdNumber(88);
const USERNAME = 'wuqiuju';

/**
 * Someone whose name, phone and ID number are quoted in other people's texts, in places found by indexed keys
 * (a broadcast of their course and its copies, their own audit entries) and in places only a full scan finds
 * (a broadcast of another course, a web inbox copy, a coordinator's audit entry, messages among 2,000 others).
 */
async function quotedPerson() {
  const theirs = await createCourse(db());
  const other = await createCourse(db());
  const person = await db().person.create({
    data: {
      realName: NAME,
      phone: PHONE,
      idNumberEnc: cipher.encrypt(ID),
      idNumberHash: cipher.hash(ID),
      identities: { create: { channel: 'test', externalId: 'wqj', chatId: 'wqj' } },
      enrolments: { create: { courseId: theirs.id, status: 'attended' } },
      consoleAccount: { create: { username: USERNAME, passwordHash: 'scrypt$x' } },
    },
  });
  const coordinator = await db().person.create({ data: { realName: '联络员' } });
  const text = `请${NAME}同学带身份证，电话${PHONE}。`;
  const mine = await db().broadcast.create({
    data: { courseId: theirs.id, authorId: coordinator.id, text, status: 'completed' },
  });
  await db().broadcast.create({
    data: { courseId: other.id, authorId: coordinator.id, text: `${NAME}老师下周代课`, status: 'completed' },
  });
  await db().$executeRaw`
    INSERT INTO deliveries (id, key, kind, broadcast_id, channel, chat_id, status, message, sent_at, updated_at)
    SELECT gen_random_uuid(), 'bulk:' || i, 'broadcast', CASE WHEN i % 100 = 0 THEN ${mine.id}::uuid END,
      'test', 'someone-' || i, 'sent',
      jsonb_build_object('text', CASE WHEN i % 100 = 0 THEN ${text}::text
        WHEN i % 100 = 50 THEN '身份证 ' || ${ID}::text ELSE '明天上午九点上课，第' || i || '条' END),
      now(), now()
    FROM generate_series(1, 2000) AS i`;
  await db().webLogin.create({
    data: {
      tokenHash: `t-${Date.now()}`,
      expiresAt: new Date(Date.now() + 86_400_000),
      inbox: { create: { text } },
    },
  });
  await db().auditLog.createMany({
    data: [
      { actorId: person.id, action: 'console.signed_in', target: USERNAME },
      {
        actorId: coordinator.id,
        action: 'enrolment.on_behalf',
        target: theirs.code,
        detail: { note: `${NAME} ${ID}` },
      },
    ],
  });
  return person.id;
}

/** Which of the person's traces a dump of the database still holds. */
async function traces(): Promise<string[]> {
  const dump = await pgDump(world.runtime.databaseUrl);
  return [NAME, PHONE, ID, USERNAME, cipher.hash(ID)].filter((t) => dump.includes(t));
}

describe('the text scrub after an erasure', () => {
  it('completes through the sweep after the process stopped between the wipe and the scrub', {
    timeout: 60_000,
  }, async () => {
    const personId = await quotedPerson();
    expect(await traces()).toEqual([NAME, PHONE, ID, USERNAME, cipher.hash(ID)]);

    // The wipe commits, then the process stops: the person row is anonymous, the others' texts still quote them.
    await deletePersonData(db(), cipher, personId, { wipeOnly: true });
    const person = await db().person.findUniqueOrThrow({ where: { id: personId } });
    expect(person).toMatchObject({ realName: null, phone: null, idNumberEnc: null, idNumberHash: null });
    const pending = await db().erasureScrub.findUniqueOrThrow({ where: { personId } });
    expect(await traces()).toEqual([NAME, PHONE, ID, USERNAME]);
    // What the scrub must find is kept only encrypted.
    for (const t of [NAME, PHONE, ID, USERNAME]) expect(pending.tracesEnc).not.toContain(t);

    // Asked again (the person retries): the wiped row has nothing left, the pending traces are kept as they were.
    await deletePersonData(db(), cipher, personId, { wipeOnly: true });
    expect((await db().erasureScrub.findUniqueOrThrow({ where: { personId } })).tracesEnc).toBe(
      pending.tracesEnc,
    );

    // The first step goes by indexed keys: their course's broadcast and its copies, their own audit entries.
    expect(await finishErasureScrub(db(), cipher, personId, { maxBatches: 0 })).toBe(false);
    expect(await db().broadcast.count({ where: { text: { contains: NAME } } })).toBe(1);
    expect(await db().auditLog.count({ where: { actorId: personId, target: '***' } })).toBe(1);
    const copies = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM deliveries WHERE broadcast_id IS NOT NULL AND strpos(message::text, ${NAME}) > 0`;
    expect(copies[0]!.n).toBe(0);
    // A scrub that starts and stops again half-way records how far it got.
    expect(await finishErasureScrub(db(), cipher, personId, { batchSize: 100, maxBatches: 6 })).toBe(false);
    const halfway = await db().erasureScrub.findUniqueOrThrow({ where: { personId } });
    expect(halfway.stage).not.toBe('narrow');
    expect(await db().broadcast.count({ where: { text: { contains: PHONE } } })).toBe(0);

    // The sweep leaves a scrub touched within the last minute to the process running it…
    expect((await world.runtime.sweep()).erasureScrubsFinished).toBe(0);
    // …and finishes one that nobody has touched for longer.
    await db().$executeRaw`UPDATE erasure_scrubs SET updated_at = now() - interval '2 minutes'`;
    expect((await world.runtime.sweep()).erasureScrubsFinished).toBe(1);
    expect(await db().erasureScrub.count()).toBe(0);
    expect(await traces()).toEqual([]);
    // The texts stay, with a mark where the person was; the audit entries stay too.
    expect(await db().broadcast.count({ where: { text: { contains: '***老师下周代课' } } })).toBe(1);
    expect(await db().auditLog.count({ where: { actorId: personId, target: '***' } })).toBe(1);
    const scrubbed = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM deliveries WHERE key LIKE 'bulk:%' AND strpos(message::text, '***') > 0`;
    expect(scrubbed[0]!.n).toBe(40);

    // Idempotent: nothing pending, nothing to do.
    expect(await finishErasureScrub(db(), cipher, personId)).toBe(true);
  });
});
