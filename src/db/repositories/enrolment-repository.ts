import type pg from 'pg';
import type { CancelOutcome, EnrolmentRepository, EnrolOutcome } from '../../core/ports';
import type { Prisma } from '../../generated/prisma/client';
import type { Db } from '../prisma-client';
import { courseWithSessions, toCourseView } from './courses-repository';
import { sqlRunner, TX_OPTIONS } from './sql-runner';

type Tx = Prisma.TransactionClient;
interface LockedCourse {
  id: string;
  code: string;
  capacity: number;
  seats_taken: number;
  status: string;
}

/**
 * A sign-up in one statement. Parameters: $1 person id, $2 course code (upper case), $3 source, $4 whether
 * the caller holds the course's row lock.
 *
 * The course row is where sign-ups queue, and it is locked last: `seat` takes a seat with a conditional
 * UPDATE (`seats_taken < capacity`, re-checked on the newest row version once the lock is granted, so two
 * sign-ups never take the same last seat); if there was none, `place` takes the next waitlist position from
 * the same row's counter the same way. Then the enrolment row is written, and the statement commits: one
 * round trip, the course row locked only from that UPDATE to the commit.
 *
 * Without the lock it leaves to the caller (outcome `locked`, or written = null: nothing written) what it
 * cannot do exactly on its own: signing up again after cancelling (the person's row exists), and the rare
 * seat freed between its snapshot and its lock. If the same person's sign-up raced it, the INSERT fails on
 * UNIQUE (person, course) and the whole statement, seat included, is rolled back. The caller then repeats
 * it holding the course's row lock (SELECT … FOR UPDATE first): its snapshot then follows every earlier
 * writer of the course.
 *
 * Place in line told to a new waitlisted person: those waiting in the statement's snapshot, plus those
 * placed between the snapshot and the lock (positions between the snapshot's last and ours), plus one.
 * Exact under the lock; without it, one too many if someone left the line in that millisecond.
 */
const ENROL_SQL = `
WITH course AS (
  SELECT id, code, status, capacity, seats_taken, last_waitlist_position FROM courses WHERE code = $2
), mine AS (
  SELECT e.id, e.status, e.waitlist_position FROM enrolments e, course c
  WHERE e.person_id = $1::uuid AND e.course_id = c.id
), verdict AS (
  SELECT c.id AS course_id, m.id AS mine_id,
    CASE
      WHEN c.status <> 'open' THEN 'closed'
      WHEN m.status IN ('confirmed', 'waitlisted') THEN 'already'
      WHEN NOT $4::boolean AND m.id IS NOT NULL THEN 'locked'
      ELSE 'enrol'
    END AS outcome
  FROM course c LEFT JOIN mine m ON true
), seat AS (
  UPDATE courses SET seats_taken = seats_taken + 1, updated_at = now()
  WHERE id = (SELECT course_id FROM verdict WHERE outcome = 'enrol')
    AND status = 'open' AND seats_taken < capacity
  RETURNING id
), place AS (
  UPDATE courses c SET updated_at = now(), last_waitlist_position = 1 + greatest(c.last_waitlist_position,
    (SELECT max(w.waitlist_position) FROM enrolments w WHERE w.course_id = c.id AND w.waitlist_position > 0))
  WHERE c.id = (SELECT course_id FROM verdict WHERE outcome = 'enrol') AND NOT EXISTS (SELECT 1 FROM seat)
    AND c.status = 'open' AND c.seats_taken >= c.capacity
  RETURNING c.id, c.last_waitlist_position AS position
), entry AS (
  SELECT id AS course_id, 'confirmed' AS status, NULL::int AS position FROM seat
  UNION ALL
  SELECT id, 'waitlisted', position FROM place
), inserted AS (
  INSERT INTO enrolments (id, person_id, course_id, status, waitlist_position, source, updated_at)
  SELECT gen_random_uuid(), $1::uuid, course_id, status, position, $3, now() FROM entry
  WHERE (SELECT mine_id FROM verdict) IS NULL
  RETURNING status, waitlist_position
), rejoined AS (
  UPDATE enrolments e
  SET status = entry.status, waitlist_position = entry.position, source = $3, cancelled_at = NULL,
      updated_at = now()
  FROM entry WHERE e.id = (SELECT mine_id FROM verdict)
  RETURNING e.status, e.waitlist_position
), written AS (
  SELECT * FROM inserted UNION ALL SELECT * FROM rejoined
)
SELECT c.code, v.outcome, m.status AS current, w.status AS written,
  CASE
    WHEN w.status = 'waitlisted' THEN (
      SELECT count(*) + w.waitlist_position
        - greatest(c.last_waitlist_position, coalesce(max(l.waitlist_position), 0))
      FROM enrolments l WHERE l.course_id = c.id AND l.status = 'waitlisted')::int
    WHEN v.outcome = 'already' AND m.waitlist_position IS NOT NULL THEN (
      SELECT count(*) FROM enrolments l
      WHERE l.course_id = c.id AND l.status = 'waitlisted' AND l.waitlist_position <= m.waitlist_position)::int
  END AS position
FROM course c CROSS JOIN verdict v LEFT JOIN mine m ON true LEFT JOIN written w ON true`;

const LOCK_SQL = 'SELECT 1 FROM courses WHERE code = $1 FOR UPDATE';

interface EnrolRow {
  code: string;
  outcome: 'closed' | 'already' | 'locked' | 'enrol';
  current: string | null;
  written: 'confirmed' | 'waitlisted' | null;
  position: number | null;
}

/**
 * Whether a person has a sign-up "my classes" lists: most who ask have none, and this costs a small fraction of
 * the Prisma read (whose query compiler alone costs several ms of CPU) that is then skipped. $1 person id.
 */
export const HAS_ACTIVE_SQL = `
  SELECT 1 FROM enrolments WHERE person_id = $1::uuid AND status IN ('confirmed', 'waitlisted', 'attended') LIMIT 1`;

/** Named, so each connection parses and plans the sign-up statements once instead of on every sign-up. */
const STATEMENT_NAMES = new Map([
  [ENROL_SQL, 'jineng_enrol'],
  [LOCK_SQL, 'jineng_enrol_lock'],
  [HAS_ACTIVE_SQL, 'jineng_has_active'],
]);

/** UNIQUE (person, course) refused the insert: the same person's sign-up won a race with this one. */
function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; meta?: { code?: unknown }; message?: unknown };
  return (
    e.code === '23505' ||
    e.meta?.code === '23505' ||
    (e.code === 'P2010' && typeof e.message === 'string' && e.message.includes('23505'))
  );
}

/**
 * Every change to a course's seats happens while holding that course's row lock, so concurrent sign-ups
 * queue up instead of overbooking: a sign-up's one statement takes it with its conditional UPDATE;
 * cancellation, re-enrolment and a sign-up that lost a race take it with SELECT … FOR UPDATE. The database's CHECK
 * (seats_taken <= capacity) and UNIQUE (person, course) back this up if code ever gets it wrong.
 *
 * `pool` (the runtime's `pg` pool) carries the sign-up statement when given: Prisma's raw queries cost more
 * client CPU per statement than the statement costs PostgreSQL.
 */
export function createEnrolmentRepository(db: Db, pool?: pg.Pool): EnrolmentRepository {
  const sql = sqlRunner(db, pool, STATEMENT_NAMES);

  const lockCourse = async (tx: Tx, code: string) => {
    const rows = await tx.$queryRaw<LockedCourse[]>`
      SELECT id, code, capacity, seats_taken, status FROM courses WHERE code = ${code.toUpperCase()} FOR UPDATE`;
    return rows[0];
  };

  /** Place in line as a person understands it (1 = next), however many left the line before them. */
  const waitlistRank = (tx: Tx | Db, courseId: string, position: number) =>
    tx.enrolment.count({ where: { courseId, status: 'waitlisted', waitlistPosition: { lte: position } } });

  function outcomeOf(row: EnrolRow | undefined, code: string): EnrolOutcome | undefined {
    if (!row) return { status: 'not_found', course: code };
    switch (row.outcome) {
      case 'closed':
        return { status: 'closed', course: row.code };
      case 'already':
        return {
          status: 'already',
          course: row.code,
          current: row.current as 'confirmed' | 'waitlisted',
          position: row.position ?? undefined,
        };
      case 'enrol':
        if (row.written === 'confirmed') return { status: 'confirmed', course: row.code };
        if (row.written === 'waitlisted')
          return { status: 'waitlisted', course: row.code, position: row.position! };
        return undefined;
      default:
        return undefined;
    }
  }

  /** The same statement behind the course's row lock: signing up again after leaving, lost races. */
  async function enrolLocked(personId: string, code: string, source: string): Promise<EnrolOutcome> {
    const row = await sql.transaction(async (query) => {
      await query(LOCK_SQL, [code]);
      return (await query<EnrolRow>(ENROL_SQL, [personId, code, source, true]))[0];
    });
    const outcome = outcomeOf(row, code);
    if (!outcome) throw new Error(`sign-up for ${code} wrote nothing while holding the course's lock`);
    return outcome;
  }

  return {
    async enrol(personId, courseCode, source = 'self') {
      const code = courseCode.toUpperCase();
      let row: EnrolRow | undefined;
      try {
        row = (await sql.query<EnrolRow>(ENROL_SQL, [personId, code, source, false]))[0];
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return enrolLocked(personId, code, source);
      }
      const outcome = outcomeOf(row, courseCode);
      return outcome ?? enrolLocked(personId, code, source);
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
      if ((await sql.query(HAS_ACTIVE_SQL, [personId])).length === 0) return [];
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
