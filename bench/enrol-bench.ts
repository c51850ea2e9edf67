import type { Db } from '../src/db/prisma-client';
import { createEnrolmentRepository } from '../src/db/repositories/enrolment-repository';
import { createBenchCourse } from './bench-course';
import { latencySummary, round } from './stats';

export interface EnrolBenchResult {
  suite: 'enrol';
  attempts: number;
  capacity: number;
  confirmed: number;
  waitlisted: number;
  overbooked: number;
  errors: number;
  p50_ms: number;
  p99_ms: number;
  per_s: number;
}

/**
 * N different people sign up for one course with `capacity` seats, all at once, through the same code path
 * the dialog uses. Overbooking is read back from the database, not from what the code returned.
 */
export async function benchEnrol(db: Db, attempts = 500, capacity = 30): Promise<EnrolBenchResult> {
  const course = await createBenchCourse(db, capacity);
  const people = await db.person.createManyAndReturn({
    data: Array.from({ length: attempts }, () => ({})),
    select: { id: true },
  });
  const repo = createEnrolmentRepository(db);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    people.map(async ({ id }) => {
      const t0 = performance.now();
      try {
        await repo.enrol(id, course.code);
        latencies.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
    }),
  );
  const elapsed = performance.now() - started;
  const confirmed = await db.enrolment.count({ where: { courseId: course.id, status: 'confirmed' } });
  const waitlisted = await db.enrolment.count({ where: { courseId: course.id, status: 'waitlisted' } });
  const seats = (await db.course.findUniqueOrThrow({ where: { id: course.id } })).seatsTaken;
  await db.course.delete({ where: { id: course.id } });
  await db.person.deleteMany({ where: { id: { in: people.map((p) => p.id) } } });
  return {
    suite: 'enrol',
    attempts,
    capacity,
    confirmed,
    waitlisted,
    overbooked: Math.max(0, confirmed - capacity, seats - capacity),
    errors,
    ...latencySummary(latencies),
    per_s: round((attempts / elapsed) * 1000, 1),
  };
}
