import { describe, expect, it } from 'vitest';
import { createEnrolmentRepository } from '../../src/db/repositories/enrolment-repository';
import { createCourse, createPeople } from '../support/fixtures';
import { testDb } from '../support/test-env';

const db = testDb();
const repo = createEnrolmentRepository(db);

async function counts(courseId: string) {
  const course = await db.course.findUniqueOrThrow({ where: { id: courseId } });
  const confirmed = await db.enrolment.count({ where: { courseId, status: 'confirmed' } });
  const waitlisted = await db.enrolment.count({ where: { courseId, status: 'waitlisted' } });
  return { seatsTaken: course.seatsTaken, confirmed, waitlisted };
}

describe('enrolment against PostgreSQL', () => {
  it('never confirms more people than seats when 60 sign up at once', async () => {
    const course = await createCourse(db, { capacity: 5 });
    const people = await createPeople(db, 60);
    const outcomes = await Promise.all(people.map((p) => repo.enrol(p, course.code)));
    expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === 'waitlisted')).toHaveLength(55);
    const positions = outcomes.flatMap((o) => (o.status === 'waitlisted' ? [o.position] : []));
    expect(new Set(positions).size).toBe(55);
    expect(await counts(course.id)).toEqual({ seatsTaken: 5, confirmed: 5, waitlisted: 55 });
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
