import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { loadPiiCipher } from '../../src/app/pii-keys';
import type { PiiCipher } from '../../src/core/people/pii-crypto';
import { createPeopleRepository } from '../../src/db/repositories/people-repository';
import { createPersonDeletion } from '../../src/services/person-deletion-service';
import { allText } from '../support/converse';
import { pgDump, redisDump } from '../support/dumps';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';
import { validIdNumber } from '../support/sample-runtime';
import { testRedis } from '../support/test-env';

let world: OutreachWorld;
let runtime: Runtime;
let cipher: PiiCipher;

// The real runtime with its workers and a recording 'test' channel: messages are really queued and delivered.
beforeAll(async () => {
  world = await outreachWorld();
  runtime = world.runtime;
  cipher = loadPiiCipher(runtime.config, runtime.logger);
});
afterAll(() => world?.close());

const db = () => runtime.db;

/** A coordinator of Zhenxiong who chats on the test channel: told about absences, writes broadcasts. */
async function coordinator() {
  const person = await db().person.create({
    data: {
      realName: '联络员',
      identities: {
        create: { channel: 'test', externalId: `c-${randomBytes(3).toString('hex')}`, chatId: 'c' },
      },
      coordinator: { create: { role: 'coordinator', countyScope: ['zhenxiong'] } },
    },
  });
  return person.id;
}

/**
 * A person with everything a person can leave behind: a seat on a real-name course (reminders queued), a
 * place on a waitlist, an absence notice naming them (also copied to a coordinator's web inbox), a broadcast
 * that names them delivered to them and to a classmate, an audit entry whose free text names them, and a
 * half-finished sign-up in their chat session.
 */
async function personWithEverything(n: number, realName: string) {
  const phone = `1391234${String(n).padStart(4, '0')}`;
  const idNumber = validIdNumber(n);
  const coordinatorId = await coordinator();
  const course = await createCourse(db(), { realNameRequired: true, startsInHours: 72 });
  const full = await createCourse(db(), { capacity: 1 });
  const later = await createCourse(db());
  const classmate = chatter(runtime);
  await classmate.say(`报名 ${full.code}`);
  await classmate.say('1');
  expect(allText(await classmate.say(`1370000${String(n).padStart(4, '0')}`))).toContain('报名成功');

  const p = chatter(runtime);
  await p.say(`报名 ${course.code}`);
  await p.say('1');
  await p.say(realName);
  await p.say(phone);
  await p.say('同意');
  expect(allText(await p.say(idNumber))).toContain('报名成功');
  expect(allText(await p.say(`报名 ${full.code}`))).toContain(full.code);
  expect(allText(await p.say('1'))).toContain('候补');
  const personId = await p.personId();

  const signUp = await db().enrolment.findFirstOrThrow({ where: { personId, courseId: course.id } });
  const session = await db().classSession.findFirstOrThrow({ where: { courseId: course.id } });
  const absence = await runtime.attendance.reportAbsence(personId, {
    enrolmentId: signUp.id,
    sessionId: session.id,
  });
  expect(absence.status).toBe('notified');
  const notice = await db().delivery.findFirstOrThrow({
    where: { kind: 'absence', personId: coordinatorId },
  });
  expect(JSON.stringify(notice.message)).toContain(realName);
  await db().webLogin.create({
    data: {
      tokenHash: randomBytes(16).toString('hex'),
      expiresAt: new Date(Date.now() + 86_400_000),
      inbox: { create: { text: (notice.message as { text: string }).text } },
    },
  });

  const text = `请${realName}同学带身份证原件，有问题打${phone}。`;
  const broadcast = await db().broadcast.create({
    data: { courseId: course.id, authorId: coordinatorId, text, status: 'completed' },
  });
  const classmateId = await classmate.personId();
  await runtime.delivery.outbox.enqueue(
    [
      { id: personId, chatId: p.id },
      { id: classmateId, chatId: classmate.id },
    ].map((to) => ({
      key: `broadcast:${broadcast.id}:${to.id}`,
      kind: 'broadcast',
      personId: to.id,
      broadcastId: broadcast.id,
      address: { channel: 'test' as const, chatId: to.chatId },
      message: { text },
    })),
  );
  await until('the broadcast and the absence notice to be delivered', async () => {
    const open = await db().delivery.count({
      where: { OR: [{ broadcastId: broadcast.id }, { kind: 'absence' }], status: { not: 'sent' } },
    });
    return open === 0;
  });
  expect(world.channel.sentTo(p.id).map((m) => m.text)).toContain(text);
  await runtime.coordinators.audit(coordinatorId, 'enrolment.on_behalf', course.code, {
    personId,
    consent: { givenBy: 'relative', relation: `${realName}的母亲，电话${phone}，身份证${idNumber}` },
  });

  // Reminders are queued for the seat, and the next sign-up is left half-way.
  const reminders = await runtime.reminderQueue.getJobs(['delayed', 'waiting']);
  expect(reminders.some((j) => j.id?.includes(signUp.id))).toBe(true);
  expect(allText(await p.say(`报名 ${later.code}`))).toContain(later.code);

  return { p, personId, course, realName, phone, idNumber, coordinatorId, signUpId: signUp.id };
}

type Someone = Awaited<ReturnType<typeof personWithEverything>>;

/** Where the person's name, phone, ID number or the ID's keyed hash still occur in the two stores. */
async function traces(who: Someone) {
  const stores = {
    postgres: await pgDump(runtime.databaseUrl),
    redis: await redisDump(testRedis(), runtime.config.QUEUE_PREFIX),
  };
  const needles = {
    name: who.realName,
    phone: who.phone,
    idNumber: who.idNumber,
    idHash: cipher.hash(who.idNumber),
  };
  const found: string[] = [];
  for (const [store, dump] of Object.entries(stores))
    for (const [what, needle] of Object.entries(needles))
      for (const line of dump.split('\n'))
        if (line.includes(needle)) found.push(`${what} in ${store}: ${line.slice(0, 300)}`);
  return found;
}

async function expectTombstone(who: Someone) {
  const row = await db().person.findUniqueOrThrow({ where: { id: who.personId } });
  expect(row).toMatchObject({ realName: null, phone: null, idNumberEnc: null, idNumberHash: null });
  expect(row.deletedAt).toBeInstanceOf(Date);
  expect(await db().enrolment.count({ where: { personId: who.personId, status: 'cancelled' } })).toBe(2);
  const notice = await db().delivery.findFirstOrThrow({
    where: { key: { startsWith: `absence:${who.signUpId}:` } },
  });
  expect(notice).toMatchObject({ message: null });
  expect(notice.status).not.toBe('pending');
  const reminders = await runtime.reminderQueue.getJobs(['delayed', 'waiting']);
  expect(reminders.filter((j) => j.id?.includes(who.signUpId))).toEqual([]);
}

describe('after erasure, a dump of PostgreSQL and of Redis holds nothing that names the person', () => {
  it('when they delete their data in chat', { timeout: 60_000 }, async () => {
    const who = await personWithEverything(401, '赵小兰');
    // The dump does see the person before: the check below is not blind.
    expect((await traces(who)).map((t) => t.split(' in ')[0])).toEqual(
      expect.arrayContaining(['name', 'phone', 'idHash']),
    );
    // Nor is the Redis dump blind: it holds the person's chat session and their queued jobs.
    const redis = await redisDump(testRedis(), runtime.config.QUEUE_PREFIX);
    expect(redis).toContain(`:session:test:${who.p.id}`);
    expect(redis).toContain(who.signUpId);
    await who.p.say('删除我的信息');
    expect(allText(await who.p.say('确定删除'))).toContain('您的个人信息已删除');
    expect(await traces(who)).toEqual([]);
    await expectTombstone(who);
    // The audit trail stays, the deletion included, without the person in it.
    const deleted = await db().auditLog.findFirstOrThrow({
      where: { action: 'person.deleted', actorId: who.personId },
    });
    expect(deleted.detail).toMatchObject({
      personId: who.personId,
      cancelled: 2,
      requestedBy: 'self',
      method: 'chat',
    });
    expect(
      await db().auditLog.count({
        where: { action: 'enrolment.on_behalf', detail: { path: ['personId'], equals: who.personId } },
      }),
    ).toBe(1);
  });

  it('when a coordinator deletes them from the console at their request', { timeout: 60_000 }, async () => {
    const who = await personWithEverything(402, '钱晓燕');
    const deletion = createPersonDeletion({
      db: db(),
      cipher,
      people: createPeopleRepository(db(), cipher),
      enrolments: runtime.enrolments,
      coordinators: runtime.coordinators,
    });
    const access = { role: 'admin' as const, courseCodes: [], counties: [] };
    const outcome = await deletion.delete(access, who.coordinatorId, who.course.code, who.signUpId, {
      requested: 'yes',
      method: 'phone',
    });
    expect(outcome.status).toBe('deleted');
    expect(await traces(who)).toEqual([]);
    await expectTombstone(who);
    // Back in the chat they start afresh: the sign-up left half-way is not theirs to continue any more.
    const next = await who.p.say('1');
    expect(next.intent).not.toBe('flow.enrol');
    expect(await db().person.count({ where: { identities: { some: { externalId: who.p.id } } } })).toBe(1);
    const entry = await db().auditLog.findFirstOrThrow({
      where: { action: 'person.deleted', target: who.course.code },
    });
    expect(entry.detail).toMatchObject({ personId: who.personId, method: 'phone' });
  });

  it('when a coordinator with a console account deletes their own data in chat', async () => {
    const me = chatter(runtime);
    const username = 'sunlili';
    const person = await db().person.create({
      data: {
        realName: '孙丽丽',
        phone: '13912340403',
        identities: { create: { channel: 'test', externalId: me.id, chatId: me.id } },
        coordinator: { create: { role: 'coordinator', countyScope: ['zhenxiong'] } },
        consoleAccount: { create: { username, passwordHash: 'scrypt$x' } },
      },
    });
    await runtime.coordinators.audit(person.id, 'console.signed_in', username);
    await me.say('删除我的信息');
    expect(allText(await me.say('确定删除'))).toContain('您的个人信息已删除');
    const dump = await pgDump(runtime.databaseUrl);
    for (const needle of ['孙丽丽', '13912340403', username]) expect(dump).not.toContain(needle);
    // The entry stays, as the log of who signed in when, without the name it was made under.
    expect(await db().auditLog.count({ where: { actorId: person.id, action: 'console.signed_in' } })).toBe(1);
    expect(await db().consoleAccount.count({ where: { personId: person.id } })).toBe(0);
  });
});
