import type pg from 'pg';
import type { DeliveryRow } from '../../delivery/delivery-repository';
import { reachableIdentityJoin } from '../../delivery/recipients';

/** Each recipient's chat, by the one reachability rule (src/delivery/recipients.ts). */
const REACHABLE = reachableIdentityJoin('e.person_id', '$2', 'ci');

export interface Audience {
  confirmed: number;
  waitlisted: number;
  /** Confirmed people with no reachable chat. */
  unreachable: number;
  /** Group chats linked to the course (chat_links) that get the notice too. */
  groups: number;
  /** Channels the reachable recipients (waitlist included) and linked groups would be written to. */
  channels: string[];
}

interface Texts {
  zh: string;
  en: string;
}

interface Claimed {
  code: string;
  title: string;
  titleEn: string | null;
  text: string;
  courseId: string;
}

const CLAIM_DRAFT = `
  UPDATE broadcasts b SET status = 'sending', confirmed_at = now(), include_waitlisted = $3
  FROM courses c WHERE b.id = $1 AND b.author_id = $2 AND b.status = 'draft' AND c.id = b.course_id
  RETURNING c.code, c.title, c.title_en AS "titleEn", b.text, b.course_id AS "courseId"`;

const INSERT_ROWS = `
  INSERT INTO deliveries (id, key, kind, person_id, broadcast_id, channel, chat_id, status, error, message, updated_at)
  SELECT gen_random_uuid(), 'broadcast:' || $1 || ':' || e.person_id, 'broadcast', e.person_id, $1::uuid,
    coalesce(ci.channel, ''), coalesce(ci.chat_id, ''),
    CASE WHEN ci.channel IS NULL THEN 'failed' ELSE 'pending' END,
    CASE WHEN ci.channel IS NULL THEN 'no_reachable_channel' END,
    jsonb_build_object('text', CASE WHEN p.locale = 'en' THEN $5 ELSE $6 END), now()
  FROM enrolments e JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL ${REACHABLE}
  WHERE e.course_id = $3 AND e.status = ANY($4::text[])
  ON CONFLICT (key) DO NOTHING
  RETURNING key, channel, chat_id AS "chatId", status = 'pending' AS reachable`;

export interface ConfirmedBroadcast {
  courseCode: string;
  recipients: number;
  /** Of the recipients, linked group chats. */
  groups: number;
  /** Rows with a chat, queued. */
  queued: DeliveryRow[];
}

/**
 * The set-based parts of a broadcast, in SQL: counting its audience, and on confirmation writing one delivery
 * row per recipient in the same transaction that turns the draft into 'sending' (10,000 rows in one statement).
 */
export function createBroadcastRepository(
  pool: pg.Pool,
  channels: readonly string[],
  logDispatchFailure: (error: unknown) => void = () => {},
) {
  return {
    async audience(courseId: string): Promise<Audience> {
      const { rows } = await pool.query<{
        status: string;
        reachable: boolean;
        channel: string | null;
        n: number;
      }>(
        `SELECT e.status, ci.channel IS NOT NULL AS reachable, ci.channel, count(*)::int AS n
         FROM enrolments e JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL ${REACHABLE}
         WHERE e.course_id = $1 AND e.status IN ('confirmed', 'waitlisted')
         GROUP BY 1, 2, 3`,
        [courseId, channels],
      );
      const groups = await pool.query<{ channel: string }>(
        'SELECT channel FROM chat_links WHERE course_id = $1 AND channel = ANY($2::text[])',
        [courseId, channels],
      );
      const sum = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).reduce((n, r) => n + r.n, 0);
      return {
        confirmed: sum((r) => r.status === 'confirmed'),
        waitlisted: sum((r) => r.status === 'waitlisted'),
        unreachable: sum((r) => r.status === 'confirmed' && !r.reachable),
        groups: groups.rows.length,
        channels: [
          ...new Set([
            ...rows.flatMap((r) => (r.channel ? [r.channel] : [])),
            ...groups.rows.map((g) => g.channel),
          ]),
        ],
      };
    },

    /**
     * Turns the draft into 'sending' and writes its delivery rows in one REPEATABLE READ transaction; `dispatch`
     * (queueing the jobs for the rows written) runs after the commit.
     * undefined when the broadcast is not this author's draft any more (sent, discarded, someone else's).
     */
    async confirm(
      broadcastId: string,
      authorId: string,
      includeWaitlisted: boolean,
      render: (course: { code: string; title: string; titleEn: string | null }, text: string) => Texts,
      dispatch: (rows: DeliveryRow[]) => Promise<unknown>,
    ): Promise<ConfirmedBroadcast | undefined> {
      const client = await pool.connect();
      let released = false;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        const claimed = await client.query<Claimed>(CLAIM_DRAFT, [broadcastId, authorId, includeWaitlisted]);
        const b = claimed.rows[0];
        if (!b) {
          await client.query('ROLLBACK');
          return undefined;
        }
        const statuses = includeWaitlisted ? ['confirmed', 'waitlisted'] : ['confirmed'];
        const groups = await client.query<DeliveryRow>(
          `SELECT 'broadcast:' || $1 || ':group:' || channel || ':' || chat_id AS key, channel, chat_id AS "chatId"
           FROM chat_links WHERE course_id = $2 AND channel = ANY($3::text[])`,
          [broadcastId, b.courseId, channels],
        );
        const texts = render(b, b.text);
        // The recipients' rows, written and read back in one statement (their keys and chats are what gets
        // queued): the recipients are looked up once, not once to list them and again to insert them. The
        // draft was claimed in this transaction, so none of its keys can exist yet and every row comes back.
        const recipients = await client.query<DeliveryRow & { reachable: boolean }>(INSERT_ROWS, [
          broadcastId,
          channels,
          b.courseId,
          statuses,
          texts.en,
          texts.zh,
        ]);
        const queued = [
          ...recipients.rows.filter((r) => r.reachable).map(({ reachable: _r, ...row }) => row),
          ...groups.rows,
        ];
        const write = async () => {
          // Linked group chats get the notice in the programme's language.
          await client.query(
            `INSERT INTO deliveries (id, key, kind, broadcast_id, channel, chat_id, message, updated_at)
             SELECT gen_random_uuid(), r.key, 'broadcast', $1::uuid, r.channel, r.chat_id, jsonb_build_object('text', $2::text), now()
             FROM unnest($3::text[], $4::text[], $5::text[]) AS r(key, channel, chat_id)
             ON CONFLICT (key) DO NOTHING`,
            [
              broadcastId,
              texts.zh,
              groups.rows.map((g) => g.key),
              groups.rows.map((g) => g.channel),
              groups.rows.map((g) => g.chatId),
            ],
          );
          await client.query('UPDATE broadcasts SET recipients = $2 WHERE id = $1', [
            broadcastId,
            recipients.rows.length + groups.rows.length,
          ]);
          await client.query('COMMIT');
        };
        await write();
        // Jobs only after the commit and with the connection given back: a job never finds its row missing,
        // and `dispatch` may query the database (the embedded database has one connection, held until here).
        client.release();
        released = true;
        // Rows committed but jobs not queued (Redis trouble): the sweep queues open rows after a minute.
        await dispatch(queued).catch(logDispatchFailure);
        return {
          courseCode: b.code,
          recipients: recipients.rows.length + groups.rows.length,
          groups: groups.rows.length,
          queued,
        };
      } catch (error) {
        if (!released) await client.query('ROLLBACK').catch(() => undefined);
        // A second confirmation racing the first: the draft is no longer a draft.
        if ((error as { code?: string }).code === '40001') return undefined;
        throw error;
      } finally {
        if (!released) client.release();
      }
    },
  };
}

export type BroadcastRepository = ReturnType<typeof createBroadcastRepository>;
