import type pg from 'pg';
import { reachableIdentityJoin } from '../../delivery/recipients';
import { createBatcher } from './batcher';

export interface ReminderFacts {
  enrolmentStatus: string;
  personId: string;
  personDeleted: boolean;
  locale: string;
  courseId: string;
  code: string;
  title: string;
  titleEn: string | null;
  sessionCourseId: string | null;
  startsAt: Date | null;
  cancelled: boolean | null;
  venue: string | null;
  venueEn: string | null;
  /** The person's chat for proactive messages, if any. */
  channel: string | null;
  chatId: string | null;
  externalId: string | null;
}

/**
 * Everything a firing reminder checks and says, in one query: hundreds fall due in the same minute before
 * morning classes.
 */
export function createReminderRepository(pool: pg.Pool, channels: readonly string[]) {
  // Reminders due at the same moment are looked up together, in one round trip.
  const facts = createBatcher<{ enrolmentId: string; sessionId: string }, ReminderFacts | undefined>(
    async (refs) => {
      const { rows } = await pool.query<ReminderFacts & { ref: number }>(
        `SELECT r.ord AS ref, e.status AS "enrolmentStatus", e.person_id AS "personId",
         p.deleted_at IS NOT NULL AS "personDeleted", p.locale, c.id AS "courseId", c.code, c.title,
         c.title_en AS "titleEn", s.course_id AS "sessionCourseId", s.starts_at AS "startsAt", s.cancelled,
         s.venue, s.venue_en AS "venueEn", ci.channel, ci.chat_id AS "chatId", ci.external_id AS "externalId"
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(enrolment_id, session_id, ord)
       JOIN enrolments e ON e.id = r.enrolment_id
       JOIN people p ON p.id = e.person_id
       JOIN courses c ON c.id = e.course_id
       LEFT JOIN class_sessions s ON s.id = r.session_id
       ${reachableIdentityJoin('e.person_id', '$3', 'ci')}`,
        [refs.map((r) => r.enrolmentId), refs.map((r) => r.sessionId), channels],
      );
      const byRef = new Map(rows.map(({ ref, ...f }) => [Number(ref), f]));
      return refs.map((_, i) => byRef.get(i + 1));
    },
  );

  return {
    facts: (enrolmentId: string, sessionId: string): Promise<ReminderFacts | undefined> =>
      facts({ enrolmentId, sessionId }),
  };
}

export type ReminderRepository = ReturnType<typeof createReminderRepository>;
