import type { Database } from '../src/db/database';
import { createEnrolmentRepository } from '../src/db/repositories/enrolment-repository';
import { createBenchCourse } from './bench-course';
import { pgbenchEnrol } from './pgbench-enrol';
import { latencySummary, round } from './stats';

export interface EnrolBenchOptions {
  attempts: number;
  /** Seats in the course; the attempts beyond it join the waitlist. */
  capacity: number;
  /** Sign-up loops running at once (and pgbench clients). */
  concurrency: number;
}

export interface EnrolBenchResult {
  suite: 'enrol';
  attempts: number;
  capacity: number;
  concurrency: number;
  confirmed: number;
  waitlisted: number;
  overbooked: number;
  errors: number;
  p50_ms: number;
  p99_ms: number;
  per_s: number;
  /** PostgreSQL's own rate for the same hot-row work at the same concurrency (null on the embedded default). */
  pgbench_tps: number | null;
  /** per_s / pgbench_tps. */
  ratio: number | null;
  reason?: string;
}

/**
 * `attempts` different people sign up for one course with `capacity` seats through the code path the dialog
 * uses (the runtime's enrolment repository on its `pg` pool), `concurrency` at a time; then, in the same
 * run, pgbench does the same hot-row work (seat UPDATE + enrolment INSERT) at the same concurrency, and the
 * ratio of the two says how close sign-up comes to the database's own limit. Overbooking is read back from
 * the database, not from what the code returned.
 */
export async function benchEnrol(database: Database, options: EnrolBenchOptions): Promise<EnrolBenchResult> {
  const { attempts, capacity, concurrency } = options;
  const db = database.prisma;
  const course = await createBenchCourse(db, capacity);
  const people = await db.person.createManyAndReturn({
    data: Array.from({ length: attempts }, () => ({})),
    select: { id: true },
  });
  const repo = createEnrolmentRepository(db, database.pool);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < people.length; i = next++) {
        const t0 = performance.now();
        try {
          await repo.enrol(people[i]!.id, course.code);
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  const confirmed = await db.enrolment.count({ where: { courseId: course.id, status: 'confirmed' } });
  const waitlisted = await db.enrolment.count({ where: { courseId: course.id, status: 'waitlisted' } });
  const seats = (await db.course.findUniqueOrThrow({ where: { id: course.id } })).seatsTaken;
  await db.course.delete({ where: { id: course.id } });
  await db.person.deleteMany({ where: { id: { in: people.map((p) => p.id) } } });
  const perS = round((attempts / elapsed) * 1000, 1);

  let reference: Pick<EnrolBenchResult, 'pgbench_tps' | 'ratio' | 'reason'>;
  if (database.embedded) {
    reference = {
      pgbench_tps: null,
      ratio: null,
      reason: 'embedded PGlite (one connection in this process): pgbench cannot connect; set DATABASE_URL',
    };
  } else {
    try {
      const pgbench = await pgbenchEnrol(database.url, database.pool, attempts, capacity, concurrency);
      reference = { pgbench_tps: round(pgbench.tps, 1), ratio: round(perS / pgbench.tps, 2) };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      reference = { pgbench_tps: null, ratio: null, reason: `pgbench failed: ${message}` };
    }
  }
  return {
    suite: 'enrol',
    attempts,
    capacity,
    concurrency,
    confirmed,
    waitlisted,
    overbooked: Math.max(0, confirmed - capacity, seats - capacity),
    errors,
    ...latencySummary(latencies),
    per_s: perS,
    ...reference,
  };
}
