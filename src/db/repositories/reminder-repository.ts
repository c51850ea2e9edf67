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
  /**
   * Set when the person has no chat of their own and the reminder goes to the family member who signed them
   * up (their proxy): the proxy, and the person's name for the text. The chat and locale are then the proxy's.
   */
  proxyId: string | null;
  memberName: string | null;
  /** The person's chat for proactive messages (or their proxy's, above), if any. */
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
         p.deleted_at IS NOT NULL AS "personDeleted", coalesce(pp.locale, p.locale) AS locale,
         c.id AS "courseId", c.code, c.title,
         c.title_en AS "titleEn", s.course_id AS "sessionCourseId", s.starts_at AS "startsAt", s.cancelled,
         s.venue, s.venue_en AS "venueEn", pp.id AS "proxyId", CASE WHEN pp.id IS NOT NULL THEN p.real_name END
         AS "memberName", CASE WHEN pp.id IS NOT NULL THEN px.channel ELSE ci.channel END AS channel,
         CASE WHEN pp.id IS NOT NULL THEN px.chat_id ELSE ci.chat_id END AS "chatId",
         CASE WHEN pp.id IS NOT NULL THEN px.external_id ELSE ci.external_id END AS "externalId"
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(enrolment_id, session_id, ord)
       JOIN enrolments e ON e.id = r.enrolment_id
       JOIN people p ON p.id = e.person_id
       JOIN courses c ON c.id = e.course_id
       LEFT JOIN class_sessions s ON s.id = r.session_id
       ${reachableIdentityJoin('e.person_id', '$3', 'ci')}
       -- No chat of their own (SMS at most): the family member who signed them up (the latest link), if
       -- reachable, and by chat rather than SMS when only the member has a phone (a chat costs nothing).
       LEFT JOIN LATERAL (
         SELECT f.proxy_id FROM family_links f JOIN people q ON q.id = f.proxy_id AND q.deleted_at IS NULL
         WHERE f.member_id = e.person_id ORDER BY f.created_at DESC LIMIT 1) fl
         ON ci.channel IS NULL OR ci.channel = 'sms'
       ${reachableIdentityJoin('fl.proxy_id', '$3', 'px')}
       LEFT JOIN people pp ON pp.id = fl.proxy_id AND px.channel IS NOT NULL
         AND (ci.channel IS NULL OR px.channel <> 'sms')`,
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
