import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { loadPiiCipher } from '../../src/app/pii-keys';
import type { TurnResult } from '../../src/core/dialog/engine';
import { maskIdNumber } from '../../src/core/people/mask';
import type { PiiCipher } from '../../src/core/people/pii-crypto';
import { createPeopleRepository } from '../../src/db/repositories/people-repository';
import { createAuditLog } from '../../src/services/audit-log-service';
import { createRoster } from '../../src/services/roster-service';
import { allText, testRuntime } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { chatter } from '../support/outreach-runtime';
import { validIdNumber } from '../support/sample-runtime';
import { isolatedDb } from '../support/test-env';

let runtime: Runtime;
let cipher: PiiCipher;
beforeAll(async () => {
  runtime = await testRuntime({ DATABASE_URL: (await isolatedDb('idclash')).url });
  cipher = loadPiiCipher(runtime.config, runtime.logger);
});
afterAll(() => runtime?.close());

/** A new chat identity signs up for the course by typing, and returns every turn's replies. */
async function signUp(code: string, name: string, phone: string, idNumber: string) {
  const who = chatter(runtime);
  const turns: TurnResult[] = [];
  for (const text of [`报名 ${code}`, '1', name, phone, '同意', idNumber]) turns.push(await who.say(text));
  return { who, turns, personId: await who.personId() };
}

/** What a person sees, with their own ID number's masked form and their course's code taken out. */
const seen = (turns: TurnResult[], idNumber: string, code: string) =>
  turns.map((t) => ({
    intent: t.intent,
    replies: t.replies.map((r) => ({
      text: r.text.replaceAll(maskIdNumber(idNumber), '<masked>').replaceAll(code, '<code>'),
      choices: r.choices?.map((c) => c.replaceAll(code, '<code>')),
    })),
    events: JSON.parse(JSON.stringify(t.events).replaceAll(code, '<code>')),
  }));

/** Two courses alike in all but their code, with classes at the same times. */
async function twinCourses() {
  const a = await createCourse(runtime.db, { realNameRequired: true });
  const b = await createCourse(runtime.db, { realNameRequired: true });
  const times = await runtime.db.classSession.findMany({
    where: { courseId: a.id },
    orderBy: { startsAt: 'asc' },
  });
  const twins = await runtime.db.classSession.findMany({
    where: { courseId: b.id },
    orderBy: { startsAt: 'asc' },
  });
  for (const [i, s] of twins.entries())
    await runtime.db.classSession.update({
      where: { id: s.id },
      data: { startsAt: times[i]!.startsAt, endsAt: times[i]!.endsAt },
    });
  return [a, b] as const;
}

describe('an ID number typed in chat that is already registered to someone else', () => {
  it('is explained (masked) and otherwise answered as a new one, leaves the registered person alone, and is flagged for staff', async () => {
    const first = await createCourse(runtime.db, { realNameRequired: true });
    const [course, other] = await twinCourses();
    const registered = validIdNumber(511);
    const owner = await signUp(first.code, '周大山', '13600000511', registered);
    expect(allText(owner.turns.at(-1)!)).toContain('报名成功');
    const ownerBefore = await runtime.db.person.findUniqueOrThrow({ where: { id: owner.personId } });

    // Someone else types the same number; a third person types a number nobody has: the same answers.
    const fresh = validIdNumber(512);
    const clashing = await signUp(course.code, '吴小河', '13600000512', registered);
    const unknown = await signUp(other.code, '吴小河', '13600000512', fresh);
    // Issue 18: the one difference is that the number is said to be on record already (masked), with what
    // happens next; nothing of the registered person is shown, and the sign-up goes on all the same.
    const clashSeen = seen(clashing.turns, registered, course.code);
    const freshSeen = seen(unknown.turns, fresh, other.code);
    expect(clashSeen.slice(0, -1)).toEqual(freshSeen.slice(0, -1));
    expect(clashSeen.at(-1)!.replies.slice(1)).toEqual(freshSeen.at(-1)!.replies.slice(1));
    expect(clashSeen.at(-1)!.replies[0]!.text).toContain('<masked> 在我们这里已经登记过');
    expect(freshSeen.at(-1)!.replies[0]!.text).not.toContain('已经登记过');
    expect(allText(clashing.turns.at(-1)!)).toContain('报名成功');

    // The registered person's data is neither read out nor changed, and keeps the number's hash.
    const ownerAfter = await runtime.db.person.findUniqueOrThrow({ where: { id: owner.personId } });
    expect(ownerAfter).toEqual(ownerBefore);
    expect(ownerAfter.idNumberHash).toBe(cipher.hash(registered));
    expect(JSON.stringify(clashing.turns)).not.toContain('周大山');
    expect(JSON.stringify(clashing.turns)).not.toContain('13600000511');

    // The newcomer's seat stands on their own record: the number kept encrypted, without the hash.
    const newcomer = await runtime.db.person.findUniqueOrThrow({
      where: { id: clashing.personId },
      include: { enrolments: true },
    });
    expect(newcomer.idNumberHash).toBeNull();
    expect(cipher.decrypt(newcomer.idNumberEnc!)).toBe(registered);
    expect(newcomer.enrolments.map((e) => e.status)).toEqual(['confirmed']);

    // Staff see the clash in the audit log (admins see every entry): who, whose number, which course.
    const entries = await createAuditLog(runtime.db).list(
      { role: 'admin', courseCodes: [], counties: [] },
      '',
    );
    const clash = entries.filter((e) => e.action === 'person.id_clash');
    expect(clash).toHaveLength(1);
    expect(clash[0]!.target).toBe(course.code);
    expect(clash[0]!.detail).toContain(clashing.personId);
    expect(clash[0]!.detail).toContain(owner.personId);
    const stored = await runtime.db.auditLog.findFirstOrThrow({ where: { action: 'person.id_clash' } });
    for (const leaked of [registered, '周大山', '吴小河', '13600000511', cipher.hash(registered)])
      expect(JSON.stringify(stored.detail)).not.toContain(leaked);
    // The course's roster marks the newcomer's ID number for checking in person, and only theirs.
    const admin = { role: 'admin' as const, courseCodes: [], counties: [] };
    const roster = createRoster(runtime.db, cipher, runtime.coordinators);
    const rows = (await roster.forCourse(admin, course.code, owner.personId, 'viewed'))!.rows;
    expect(rows.map((r) => [r.name, r.idToCheck])).toEqual([['吴小河', true]]);
    const ownRows = (await roster.forCourse(admin, first.code, owner.personId, 'viewed'))!.rows;
    expect(ownRows.map((r) => [r.name, r.idToCheck])).toEqual([['周大山', false]]);
    // The person with the new number made no such entry.
    expect(
      await runtime.db.auditLog.count({ where: { actorId: unknown.personId, action: 'person.id_clash' } }),
    ).toBe(0);
  });

  it('is settled the same way when two people type one new number at the same moment', async () => {
    const people = createPeopleRepository(runtime.db, cipher, runtime.database.pool);
    const a = await runtime.db.person.create({ data: {} });
    const b = await runtime.db.person.create({ data: {} });
    const id = validIdNumber(513);
    await Promise.all([a, b].map((p) => people.claimIdNumber(p.id, id, new Date(), 'QQ-RACE-01')));
    const rows = await runtime.db.person.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(rows.filter((r) => r.idNumberHash === cipher.hash(id))).toHaveLength(1);
    expect(rows.every((r) => r.idNumberEnc && cipher.decrypt(r.idNumberEnc) === id)).toBe(true);
    expect(
      await runtime.db.auditLog.count({ where: { action: 'person.id_clash', target: 'QQ-RACE-01' } }),
    ).toBe(1);
  });
});
