import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgPool } from '../../src/db/pg-pool';
import { createEnrolmentRepository } from '../../src/db/repositories/enrolment-repository';
import { createCourse, createPeople } from '../support/fixtures';
import { testDb } from '../support/test-env';

const db = testDb();
// The runtime signs people up on its pg pool; tools and tests without one go through Prisma. Same SQL.
const pool = createPgPool(inject('databaseUrl'));
afterAll(() => pool.end());

async function counts(courseId: string) {
  const course = await db.course.findUniqueOrThrow({ where: { id: courseId } });
  const confirmed = await db.enrolment.count({ where: { courseId, status: 'confirmed' } });
  const waitlisted = await db.enrolment.count({ where: { courseId, status: 'waitlisted' } });
  return { seatsTaken: course.seatsTaken, confirmed, waitlisted };
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const byNumber = (a: number, b: number) => a - b;

describe.each([
  ['on the pg pool', createEnrolmentRepository(db, pool)],
  ['through Prisma', createEnrolmentRepository(db)],
])('enrolment against PostgreSQL %s', (_, repo) => {
  it('never confirms more people than seats when 60 sign up at once, and tells each a place in line', async () => {
    const course = await createCourse(db, { capacity: 5 });
    const people = await createPeople(db, 60);
    const outcomes = await Promise.all(people.map((p) => repo.enrol(p, course.code)));
    expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === 'waitlisted')).toHaveLength(55);
    // Each waiting person was told a different place, 1 to 55 without gaps, and the line agrees.
    const told = outcomes.flatMap((o) => (o.status === 'waitlisted' ? [o.position] : []));
    expect(told.sort(byNumber)).toEqual(oneToN(55));
    const rows = await db.enrolment.findMany({ where: { courseId: course.id, status: 'waitlisted' } });
    expect(rows.map((r) => r.waitlistPosition!).sort(byNumber)).toEqual(oneToN(55));
    expect(await counts(course.id)).toEqual({ seatsTaken: 5, confirmed: 5, waitlisted: 55 });
  });

  it('takes every seat exactly once when 200 sign up for 150 seats at once', async () => {
    const course = await createCourse(db, { capacity: 150 });
    const people = await createPeople(db, 200);
    const outcomes = await Promise.all(people.map((p) => repo.enrol(p, course.code)));
    expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(150);
    const told = outcomes.flatMap((o) => (o.status === 'waitlisted' ? [o.position] : []));
    expect(told.sort(byNumber)).toEqual(oneToN(50));
    expect(await counts(course.id)).toEqual({ seatsTaken: 150, confirmed: 150, waitlisted: 50 });
  });

  it('tells someone already signed up where they stand', async () => {
    const course = await createCourse(db, { capacity: 1 });
    const [a, b, c] = await createPeople(db, 3);
    await repo.enrol(a!, course.code);
    await repo.enrol(b!, course.code);
    await repo.enrol(c!, course.code);
    expect(await repo.enrol(a!, course.code)).toEqual({
      status: 'already',
      course: course.code,
      current: 'confirmed',
      position: undefined,
    });
    await repo.cancel(b!, course.code);
    // c was second in line; with b gone, c is next.
    expect(await repo.enrol(c!, course.code)).toEqual({
      status: 'already',
      course: course.code,
      current: 'waitlisted',
      position: 1,
    });
  });

  it('puts someone who left and comes back at the end of the line', async () => {
    const course = await createCourse(db, { capacity: 1 });
    const [a, b, c] = await createPeople(db, 3);
    await repo.enrol(a!, course.code);
    await repo.enrol(b!, course.code);
    await repo.enrol(c!, course.code);
    // a leaves: b takes the seat, c is next; a comes back behind c.
    expect(await repo.cancel(a!, course.code)).toMatchObject({ promoted: { personId: b } });
    expect(await repo.enrol(a!, course.code)).toEqual({
      status: 'waitlisted',
      course: course.code,
      position: 2,
    });
    expect(await db.enrolment.count({ where: { courseId: course.id, personId: a! } })).toBe(1);
    expect(await counts(course.id)).toEqual({ seatsTaken: 1, confirmed: 1, waitlisted: 2 });
  });

  it('gives a new place after positions written outside sign-up (an import, a repair)', async () => {
    const course = await createCourse(db, { capacity: 0 });
    const [a, b] = await createPeople(db, 2);
    await db.enrolment.create({
      data: { personId: a!, courseId: course.id, status: 'waitlisted', waitlistPosition: 7 },
    });
    expect(await repo.enrol(b!, course.code)).toEqual({
      status: 'waitlisted',
      course: course.code,
      position: 2,
    });
    const row = await db.enrolment.findFirstOrThrow({ where: { courseId: course.id, personId: b! } });
    expect(row.waitlistPosition).toBe(8);
  });

  it('enrols one person once even when the same sign-up arrives several times at once', async () => {
    const course = await createCourse(db, { capacity: 3 });
    const [person] = await createPeople(db, 1);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => repo.enrol(person!, course.code)));
    expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'already')).toHaveLength(7);
    expect(await counts(course.id)).toEqual({ seatsTaken: 1, confirmed: 1, waitlisted: 0 });
  });

  it('gives a freed seat to the first person waiting, and keeps the line in order', async () => {
    const course = await createCourse(db, { capacity: 1 });
    const [a, b, c] = await createPeople(db, 3);
    expect(await repo.enrol(a!, course.code)).toMatchObject({ status: 'confirmed' });
    expect(await repo.enrol(b!, course.code)).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(await repo.enrol(c!, course.code)).toMatchObject({ status: 'waitlisted', position: 2 });

    const cancelled = await repo.cancel(a!, course.code);
    expect(cancelled).toEqual({
      status: 'cancelled',
      course: course.code,
      promoted: { personId: b, course: course.code },
    });
    expect(await counts(course.id)).toEqual({ seatsTaken: 1, confirmed: 1, waitlisted: 1 });
    const [cView] = await repo.listActive(c!, new Date());
    expect(cView).toMatchObject({ status: 'waitlisted', position: 1 });
  });

  it('frees the seat when the last confirmed person leaves and nobody waits', async () => {
    const course = await createCourse(db, { capacity: 2 });
    const [a] = await createPeople(db, 1);
    await repo.enrol(a!, course.code);
    expect(await repo.cancel(a!, course.code)).toEqual({ status: 'cancelled', course: course.code });
    expect(await counts(course.id)).toEqual({ seatsTaken: 0, confirmed: 0, waitlisted: 0 });
    expect(await repo.cancel(a!, course.code)).toMatchObject({ status: 'not_enrolled' });
    // Signing up again after cancelling reuses the same row.
    expect(await repo.enrol(a!, course.code)).toMatchObject({ status: 'confirmed' });
    expect(await db.enrolment.count({ where: { courseId: course.id } })).toBe(1);
  });

  it('refuses closed and unknown courses', async () => {
    const closed = await createCourse(db, { status: 'closed' });
    const [a] = await createPeople(db, 1);
    expect(await repo.enrol(a!, closed.code)).toMatchObject({ status: 'closed' });
    expect(await repo.enrol(a!, 'ZZ-NONE-99')).toMatchObject({ status: 'not_found' });
  });

  it('the database itself refuses a seat count over capacity', async () => {
    const course = await createCourse(db, { capacity: 1 });
    await expect(db.course.update({ where: { id: course.id }, data: { seatsTaken: 2 } })).rejects.toThrow();
  });
});
