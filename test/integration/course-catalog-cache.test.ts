import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgPool } from '../../src/db/pg-pool';
import { createCourseCatalog } from '../../src/db/repositories/courses-repository';
import { createEnrolmentRepository } from '../../src/db/repositories/enrolment-repository';
import { createCourse, createPeople } from '../support/fixtures';
import { testDb } from '../support/test-env';

const db = testDb();
const pool = createPgPool(inject('databaseUrl'));
afterAll(() => pool.end());

/**
 * The open-course list keeps mapped courses between turns (courses-repository.ts): two catalogs stand for two
 * processes, each with its own cache, and every change made elsewhere must show on the very next read.
 */
describe.each([
  ['on the pg pool', () => createCourseCatalog(db, pool)],
  ['through Prisma', () => createCourseCatalog(db)],
])('open courses read through the cache %s', (_, catalog) => {
  it('shows seats taken and freed by another process, and a full course as full', async () => {
    const reader = catalog();
    const enrolments = createEnrolmentRepository(db, pool);
    const course = await createCourse(db, { capacity: 2 });
    const [a, b] = await createPeople(db, 2);
    const seats = async () => (await reader.listOpen(new Date())).find((c) => c.id === course.id)?.seatsTaken;
    expect(await seats()).toBe(0);
    expect(await seats()).toBe(0);
    await enrolments.enrol(a!, course.code);
    expect(await seats()).toBe(1);
    await enrolments.enrol(b!, course.code);
    expect(await seats()).toBe(2);
    await enrolments.cancel(a!, course.code);
    expect(await seats()).toBe(1);
  });

  it('shows edits, a cancelled first session, a closed course and a reopened one', async () => {
    const reader = catalog();
    const course = await createCourse(db);
    const find = async (now = new Date()) => (await reader.listOpen(now)).find((c) => c.id === course.id);
    expect((await find())?.title['zh-CN']).toBe(course.title);
    await db.course.update({ where: { id: course.id }, data: { title: '改过的标题' } });
    expect((await find())?.title['zh-CN']).toBe('改过的标题');
    const sessions = await db.classSession.findMany({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    });
    await db.classSession.update({ where: { id: sessions[0]!.id }, data: { cancelled: true } });
    expect((await find())?.firstSessionStart).toEqual(sessions[1]!.startsAt);
    await db.course.update({ where: { id: course.id }, data: { status: 'closed' } });
    expect(await find()).toBeUndefined();
    await db.course.update({ where: { id: course.id }, data: { status: 'open' } });
    expect((await find())?.status).toBe('open');
    expect(await find(new Date(sessions[1]!.startsAt.getTime() + 1))).toBeUndefined();
  });
});
