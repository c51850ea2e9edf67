import { randomBytes } from 'node:crypto';
import type { Runtime } from '../../src/app/compose';
import { loadPiiCipher } from '../../src/app/pii-keys';
import { createPeopleRepository } from '../../src/db/repositories/people-repository';
import { createCourse } from './fixtures';
import { validIdNumber } from './sample-runtime';

const tag = () => randomBytes(3).toString('hex').toUpperCase();

/** A course whose title and first class's venue are strings no other object holds. */
async function course(runtime: Runtime, county: string) {
  const c = await createCourse(runtime.db, { county });
  const t = tag();
  const title = `课程T${t}`;
  await runtime.db.course.update({ where: { id: c.id }, data: { title, titleEn: `Course T${t}` } });
  const classSessions = await runtime.db.classSession.findMany({ where: { courseId: c.id } });
  const venue = `教室V${t}`;
  await runtime.db.classSession.update({ where: { id: classSessions[0]!.id }, data: { venue } });
  return { id: c.id, code: c.code, county, title, venue, classSessionId: classSessions[0]!.id };
}
export type ScopeCourse = Awaited<ReturnType<typeof course>>;

let phoneSeq = 0;

/** A person registered in `county` (or nowhere), signed up for each course given, with an ID number. */
async function person(runtime: Runtime, county: string | null, courses: ScopeCourse[], idSeed: number) {
  const name = `人名${tag()}`;
  const phone = `1391234${String(5000 + ++phoneSeq).slice(-4)}`;
  const row = await runtime.db.person.create({
    data: { realName: name, phone, county, consentProfileAt: new Date() },
  });
  const idNumber = validIdNumber(idSeed);
  const people = createPeopleRepository(
    runtime.db,
    loadPiiCipher(runtime.config, runtime.logger),
    runtime.database.pool,
  );
  await people.setIdNumber(row.id, idNumber, new Date());
  const enrolments: Record<string, string> = {};
  for (const c of courses) {
    const e = await runtime.db.enrolment.create({
      data: { personId: row.id, courseId: c.id, status: 'confirmed' },
    });
    await runtime.db.course.update({ where: { id: c.id }, data: { seatsTaken: { increment: 1 } } });
    enrolments[c.code] = e.id;
  }
  return { id: row.id, name, phone, county, idNumber, enrolments };
}
export type ScopePerson = Awaited<ReturnType<typeof person>>;

/** A broadcast with a text no other object holds. */
export async function broadcast(runtime: Runtime, c: ScopeCourse, authorId: string, status: string) {
  const text = `通知N${tag()}`;
  const row = await runtime.db.broadcast.create({
    data: { courseId: c.id, authorId, text, status, recipients: 1 },
  });
  return { id: row.id, text, course: c };
}
export type ScopeBroadcast = Awaited<ReturnType<typeof broadcast>>;

/**
 * Two counties' worth of objects: courses A1 and A2 in Zhenxiong, B in Weixin; a person in each course, one
 * registered in Weixin who signed up in Zhenxiong (mixed), one of Zhenxiong also signed up in Weixin (multi).
 */
export async function scopeFixtures(runtime: Runtime, seed: number) {
  const A1 = await course(runtime, 'zhenxiong');
  const A2 = await course(runtime, 'zhenxiong');
  const B = await course(runtime, 'weixin');
  const people = {
    a1: await person(runtime, 'zhenxiong', [A1], seed + 1),
    a2: await person(runtime, 'zhenxiong', [A2], seed + 2),
    b: await person(runtime, 'weixin', [B], seed + 3),
    mixed: await person(runtime, 'weixin', [A1], seed + 4),
    multi: await person(runtime, 'zhenxiong', [A1, B], seed + 5),
    /** Registered in Weixin, signed up nowhere: only an admin can see them. */
    loose: await person(runtime, 'weixin', [], seed + 6),
  };
  return { courses: { A1, A2, B }, people };
}
export type ScopeFixtures = Awaited<ReturnType<typeof scopeFixtures>>;
