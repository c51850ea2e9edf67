import type { CancelOutcome, EnrolmentRepository, EnrolOutcome } from '../../core/ports';
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../prisma-client';
import { courseWithSessions, toCourseView } from './courses-repository';

type Tx = Prisma.TransactionClient;
/** Sign-ups for one popular course queue on its row lock; give them time rather than failing under a burst. */
const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;
interface LockedCourse {
  id: string;
  code: string;
  capacity: number;
  seats_taken: number;
  status: string;
}

/**
 * Every change to a course's seats happens in a transaction holding that course's row lock
 * (SELECT … FOR UPDATE), so concurrent sign-ups queue up instead of overbooking. The database's CHECK
 * (seats_taken <= capacity) and UNIQUE (person, course) back this up if code ever gets it wrong.
 */
export function createEnrolmentRepository(db: Db): EnrolmentRepository {
  const lockCourse = async (tx: Tx, code: string) => {
    const rows = await tx.$queryRaw<LockedCourse[]>`
      SELECT id, code, capacity, seats_taken, status FROM courses WHERE code = ${code.toUpperCase()} FOR UPDATE`;
    return rows[0];
  };

  const nextWaitlistPosition = async (tx: Tx, courseId: string) => {
    const agg = await tx.enrolment.aggregate({
      where: { courseId, status: 'waitlisted' },
      _max: { waitlistPosition: true },
    });
    return (agg._max.waitlistPosition ?? 0) + 1;
  };

  /** Place in line as a person understands it (1 = next), however many left the line before them. */
  const waitlistRank = (tx: Tx | Db, courseId: string, position: number) =>
    tx.enrolment.count({ where: { courseId, status: 'waitlisted', waitlistPosition: { lte: position } } });

  async function enrolOnce(personId: string, code: string, source: string): Promise<EnrolOutcome> {
    return db.$transaction(async (tx) => {
      const course = await lockCourse(tx, code);
      if (!course) return { status: 'not_found', course: code };
      if (course.status !== 'open') return { status: 'closed', course: course.code };
      const existing = await tx.enrolment.findUnique({
        where: { personId_courseId: { personId, courseId: course.id } },
      });
      if (existing && (existing.status === 'confirmed' || existing.status === 'waitlisted')) {
        return {
          status: 'already',
          course: course.code,
          current: existing.status,
          position: existing.waitlistPosition
            ? await waitlistRank(tx, course.id, existing.waitlistPosition)
            : undefined,
        };
      }
      const hasSeat = course.seats_taken < course.capacity;
      const data = hasSeat
        ? { status: 'confirmed', waitlistPosition: null }
        : { status: 'waitlisted', waitlistPosition: await nextWaitlistPosition(tx, course.id) };
      if (hasSeat)
        await tx.course.update({ where: { id: course.id }, data: { seatsTaken: { increment: 1 } } });
      if (existing) {
        await tx.enrolment.update({
          where: { id: existing.id },
          data: { ...data, source, cancelledAt: null },
        });
      } else {
        await tx.enrolment.create({ data: { ...data, personId, courseId: course.id, source } });
      }
      if (hasSeat) return { status: 'confirmed', course: course.code };
      return {
        status: 'waitlisted',
        course: course.code,
        position: await waitlistRank(tx, course.id, data.waitlistPosition!),
      };
    }, TX_OPTIONS);
  }

  return {
    async enrol(personId, code, source = 'self') {
      try {
        return await enrolOnce(personId, code, source);
      } catch (error) {
        // Two first-time sign-ups by one person at the same instant: the second hits UNIQUE(person, course).
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          return enrolOnce(personId, code, source);
        }
        throw error;
      }
    },

    async cancel(personId, code): Promise<CancelOutcome> {
      return db.$transaction(async (tx) => {
        const course = await lockCourse(tx, code);
        if (!course) return { status: 'not_enrolled', course: code };
        const enrolment = await tx.enrolment.findUnique({
          where: { personId_courseId: { personId, courseId: course.id } },
        });
        if (!enrolment || (enrolment.status !== 'confirmed' && enrolment.status !== 'waitlisted')) {
          return { status: 'not_enrolled', course: course.code };
        }
        await tx.enrolment.update({
          where: { id: enrolment.id },
          data: { status: 'cancelled', waitlistPosition: null, cancelledAt: new Date() },
        });
        if (enrolment.status === 'waitlisted') return { status: 'cancelled', course: course.code };

        const next = await tx.enrolment.findFirst({
          where: { courseId: course.id, status: 'waitlisted' },
          orderBy: { waitlistPosition: 'asc' },
        });
        if (!next) {
          await tx.course.update({ where: { id: course.id }, data: { seatsTaken: { decrement: 1 } } });
          return { status: 'cancelled', course: course.code };
        }
        // The freed seat goes straight to the first in line; seats_taken stays the same.
        await tx.enrolment.update({
          where: { id: next.id },
          data: { status: 'confirmed', waitlistPosition: null, promotedAt: new Date() },
        });
        return {
          status: 'cancelled',
          course: course.code,
          promoted: { personId: next.personId, course: course.code },
        };
      }, TX_OPTIONS);
    },

    async listActive(personId, now) {
      const rows = await db.enrolment.findMany({
        where: { personId, status: { in: ['confirmed', 'waitlisted', 'attended'] } },
        include: { course: { include: courseWithSessions } },
        orderBy: { createdAt: 'asc' },
      });
      return Promise.all(
        rows.map(async (r) => ({
          course: toCourseView(r.course, now),
          status: r.status as 'confirmed' | 'waitlisted' | 'attended',
          position: r.waitlistPosition ? await waitlistRank(db, r.courseId, r.waitlistPosition) : undefined,
        })),
      );
    },
  };
}
