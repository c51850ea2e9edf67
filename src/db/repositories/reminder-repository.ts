import type pg from 'pg';
import type { PiiCipher } from '../../core/people/pii-crypto';
import { familyProxyJoin, reachableIdentityJoin } from '../../delivery/recipients';
import { createBatcher } from './batcher';
import { idFacts } from './people-repository';

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
  /**
   * A person with a chat of their own who was signed up by a family member (the latest link, reachable): the
   * guardian, who also gets a minor's reminder (issue 18). The job decides whether the person is a minor.
   */
  guardian: ReminderGuardian | null;
  /** The person's birth date from their ID number (yyyy-mm-dd), or the birth year they stated. */
  birthDate: string | null;
  birthYear: number | null;
}

export interface ReminderGuardian {
  id: string;
  locale: string;
  memberName: string | null;
  channel: string;
  chatId: string;
  externalId: string;
}

type FactsRow = Omit<ReminderFacts, 'guardian' | 'birthDate'> & {
  ref: number;
  idNumberEnc: string | null;
  personName: string | null;
  guardianId: string | null;
  guardianLocale: string | null;
  guardianChannel: string | null;
  guardianChatId: string | null;
  guardianExternalId: string | null;
};

/**
 * Everything a firing reminder checks and says, in one query: hundreds fall due in the same minute before
 * morning classes.
 */
export function createReminderRepository(
  pool: pg.Pool,
  channels: readonly string[],
  cipher?: Pick<PiiCipher, 'decrypt'>,
) {
  // Reminders due at the same moment are looked up together, in one round trip.
  const facts = createBatcher<{ enrolmentId: string; sessionId: string }, ReminderFacts | undefined>(
    async (refs) => {
      const { rows } = await pool.query<FactsRow>(
        `SELECT r.ord AS ref, e.status AS "enrolmentStatus", e.person_id AS "personId",
         p.deleted_at IS NOT NULL AS "personDeleted", coalesce(pp.locale, p.locale) AS locale,
         c.id AS "courseId", c.code, c.title,
         c.title_en AS "titleEn", s.course_id AS "sessionCourseId", s.starts_at AS "startsAt", s.cancelled,
         s.venue, s.venue_en AS "venueEn", pp.id AS "proxyId", CASE WHEN pp.id IS NOT NULL THEN p.real_name END
         AS "memberName", CASE WHEN pp.id IS NOT NULL THEN px.channel ELSE ci.channel END AS channel,
         CASE WHEN pp.id IS NOT NULL THEN px.chat_id ELSE ci.chat_id END AS "chatId",
         CASE WHEN pp.id IS NOT NULL THEN px.external_id ELSE ci.external_id END AS "externalId",
         p.id_number_enc AS "idNumberEnc", p.real_name AS "personName", p.birth_year AS "birthYear", gp.id AS "guardianId",
         gp.locale AS "guardianLocale", px.channel AS "guardianChannel", px.chat_id AS "guardianChatId",
         px.external_id AS "guardianExternalId"
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(enrolment_id, session_id, ord)
       JOIN enrolments e ON e.id = r.enrolment_id
       JOIN people p ON p.id = e.person_id
       JOIN courses c ON c.id = e.course_id
       LEFT JOIN class_sessions s ON s.id = r.session_id
       ${reachableIdentityJoin('e.person_id', '$3', 'ci')}
       -- No chat of their own (SMS at most): the family member who signed them up, if reachable (pp).
       ${familyProxyJoin('e.person_id', '$3', 'ci')}
       -- A chat of their own: that family member too, for a minor's second reminder (gp).
       LEFT JOIN people gp ON gp.id = fl.proxy_id AND px.channel IS NOT NULL
         AND ci.channel IS NOT NULL AND ci.channel <> 'sms'`,
        [refs.map((r) => r.enrolmentId), refs.map((r) => r.sessionId), channels],
      );
      const byRef = new Map(
        rows.map(
          ({
            ref,
            idNumberEnc,
            personName,
            guardianId,
            guardianLocale,
            guardianChannel,
            guardianChatId,
            guardianExternalId,
            ...f
          }): [number, ReminderFacts] => [
            Number(ref),
            {
              ...f,
              birthDate:
                (guardianId && idNumberEnc && cipher && idFacts(cipher.decrypt(idNumberEnc)).birthDate) ||
                null,
              guardian:
                guardianId && guardianChannel && guardianChatId && guardianExternalId
                  ? {
                      id: guardianId,
                      locale: guardianLocale ?? 'zh-CN',
                      // Named in the guardian's copy: the member's name on record.
                      memberName: personName,
                      channel: guardianChannel,
                      chatId: guardianChatId,
                      externalId: guardianExternalId,
                    }
                  : null,
            },
          ],
        ),
      );
      return refs.map((_, i) => byRef.get(i + 1));
    },
  );

  return {
    facts: (enrolmentId: string, sessionId: string): Promise<ReminderFacts | undefined> =>
      facts({ enrolmentId, sessionId }),
  };
}

export type ReminderRepository = ReturnType<typeof createReminderRepository>;
