import { randomBytes } from 'node:crypto';
import type { Db } from '../src/db/prisma-client';

/** A course for a benchmark (code BN-…), with one session when `startsAt` is given. */
export function createBenchCourse(db: Db, capacity: number, startsAt?: Date) {
  const code = `BN-${randomBytes(3).toString('hex').toUpperCase()}-${String(Date.now() % 100).padStart(2, '0')}`;
  return db.course.create({
    data: {
      code,
      title: `压测课程 ${code}`,
      trade: 'ecommerce',
      trainingType: 'employment',
      county: 'zhaoyang',
      venue: 'bench',
      capacity,
      ...(startsAt
        ? {
            sessions: {
              create: { startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), venue: 'bench' },
            },
          }
        : {}),
    },
  });
}
