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

/**
 * One chunk of a notice's recipient rows: the next `limit` recipients after person `after` (keyset over
 * person_id), written and read back in one statement. ON CONFLICT (key) DO NOTHING makes a chunk written
 * twice (a resumed notice, two sweeps) a no-op for the rows already there; only new rows come back.
 */
const WRITE_CHUNK = `
  WITH picked AS (
    SELECT e.person_id FROM enrolments e
    WHERE e.course_id = $3 AND e.status = ANY($4::text[]) AND e.person_id > $7::uuid
    ORDER BY e.person_id LIMIT $8
  ), batch AS (
    -- Each chat looked up for this chunk's people only (not for the whole course before the LIMIT).
    SELECT e.person_id, ci.channel, ci.chat_id, p.locale
    FROM picked e JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL ${REACHABLE}
  ), written AS (
    INSERT INTO deliveries (id, key, kind, person_id, broadcast_id, channel, chat_id, status, error, message, updated_at)
    SELECT gen_random_uuid(), 'broadcast:' || $1 || ':' || b.person_id, 'broadcast', b.person_id, $1::uuid,
      coalesce(b.channel, ''), coalesce(b.chat_id, ''),
      CASE WHEN b.channel IS NULL THEN 'failed' ELSE 'pending' END,
      CASE WHEN b.channel IS NULL THEN 'no_reachable_channel' END,
      jsonb_build_object('text', CASE WHEN b.locale = 'en' THEN $5 ELSE $6 END), now()
    FROM batch b
    ON CONFLICT (key) DO NOTHING
    RETURNING key, channel, chat_id, status = 'pending' AS reachable
  )
  SELECT (SELECT count(*) FROM picked)::int AS n, (SELECT max(person_id::text) FROM picked) AS last,
    coalesce((SELECT json_agg(json_build_object('key', key, 'channel', channel, 'chatId', chat_id))
      FROM written WHERE reachable), '[]'::json) AS rows`;

/** Before the first person id. */
const FIRST = '00000000-0000-0000-0000-000000000000';

/** A notice whose rows are being written: what each chunk needs. */
export interface RowsJob {
  broadcastId: string;
  courseId: string;
  statuses: string[];
  texts: Texts;
}

export interface Chunk {
  /** Recipients looked at (fewer than asked: this was the last chunk). */
  n: number;
  /** The last person looked at: the next chunk starts after it. */
  last: string;
  /** New rows with a chat, to queue. */
  rows: DeliveryRow[];
}

export interface ClaimedBroadcast {
  courseCode: string;
  /** People (waitlist included when asked) plus linked group chats. */
  recipients: number;
  /** Of the recipients, linked group chats. */
  groups: number;
  /** People without a reachable chat. */
  unreachable: number;
  /** Recipients with a chat, by channel (group chats included): what will be queued. */
  byChannel: Map<string, number>;
  /** The group chats' rows, written with the claim. */
  groupRows: DeliveryRow[];
  job: RowsJob;
}

type Render = (course: { code: string; title: string; titleEn: string | null }, text: string) => Texts;

/**
 * The set-based parts of a broadcast, in SQL: counting its audience; on confirmation claiming the draft
 * (status 'sending', recipient count, group chats' rows) in one short transaction; then its people's rows a
 * chunk at a time, and the mark that they are all written (rows_written_at), without which it cannot complete.
 */
export function createBroadcastRepository(pool: pg.Pool, channels: readonly string[]) {
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
     * Turns the draft into 'sending', counts its recipients and writes its group chats' rows, in one
     * REPEATABLE READ transaction; the people's rows follow with `writeChunk`.
     * undefined when the broadcast is not this author's draft any more (sent, discarded, someone else's).
     */
    async claim(
      broadcastId: string,
      authorId: string,
      includeWaitlisted: boolean,
      render: Render,
    ): Promise<ClaimedBroadcast | undefined> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        const claimed = await client.query<Claimed>(CLAIM_DRAFT, [broadcastId, authorId, includeWaitlisted]);
        const b = claimed.rows[0];
        if (!b) {
          await client.query('ROLLBACK');
          return undefined;
        }
        const statuses = includeWaitlisted ? ['confirmed', 'waitlisted'] : ['confirmed'];
        const texts = render(b, b.text);
        const people = await client.query<{ channel: string | null; n: number }>(
          `SELECT ci.channel, count(*)::int AS n
           FROM enrolments e JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL ${REACHABLE}
           WHERE e.course_id = $1 AND e.status = ANY($3::text[]) GROUP BY 1`,
          [b.courseId, channels, statuses],
        );
        // Linked group chats get the notice in the programme's language.
        const groups = await client.query<DeliveryRow>(
          `INSERT INTO deliveries (id, key, kind, broadcast_id, channel, chat_id, message, updated_at)
           SELECT gen_random_uuid(), 'broadcast:' || $1 || ':group:' || channel || ':' || chat_id, 'broadcast',
             $1::uuid, channel, chat_id, jsonb_build_object('text', $4::text), now()
           FROM chat_links WHERE course_id = $2 AND channel = ANY($3::text[])
           ON CONFLICT (key) DO NOTHING
           RETURNING key, channel, chat_id AS "chatId"`,
          [broadcastId, b.courseId, channels, texts.zh],
        );
        const byChannel = new Map<string, number>();
        let unreachable = 0;
        for (const r of people.rows)
          if (r.channel) byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + r.n);
          else unreachable += r.n;
        for (const g of groups.rows) byChannel.set(g.channel, (byChannel.get(g.channel) ?? 0) + 1);
        const recipients = people.rows.reduce((n, r) => n + r.n, 0) + groups.rows.length;
        await client.query('UPDATE broadcasts SET recipients = $2 WHERE id = $1', [broadcastId, recipients]);
        await client.query('COMMIT');
        return {
          courseCode: b.code,
          recipients,
          groups: groups.rows.length,
          unreachable,
          byChannel,
          groupRows: groups.rows,
          job: { broadcastId, courseId: b.courseId, statuses, texts },
        };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        // A second confirmation racing the first: the draft is no longer a draft.
        if ((error as { code?: string }).code === '40001') return undefined;
        throw error;
      } finally {
        client.release();
      }
    },

    /** The next `limit` recipients' rows after person `after` (undefined: from the first). */
    async writeChunk(job: RowsJob, after: string | undefined, limit: number): Promise<Chunk> {
      const { rows } = await pool.query<{ n: number; last: string | null; rows: DeliveryRow[] }>(
        WRITE_CHUNK,
        [
          job.broadcastId,
          channels,
          job.courseId,
          job.statuses,
          job.texts.en,
          job.texts.zh,
          after ?? FIRST,
          limit,
        ],
      );
      const r = rows[0]!;
      return { n: r.n, last: r.last ?? after ?? FIRST, rows: r.rows };
    },

    /**
     * Every row written: from now on the notice may complete. Its recipient count becomes the rows it has
     * (someone who enrolled or left while the rows were written).
     */
    async markWritten(broadcastId: string): Promise<void> {
      await pool.query(
        `UPDATE broadcasts SET rows_written_at = now(),
           recipients = (SELECT count(*) FROM deliveries WHERE broadcast_id = $1 AND kind = 'broadcast')
         WHERE id = $1 AND rows_written_at IS NULL`,
        [broadcastId],
      );
    },

    /** Confirmed notices whose rows a stopped process left half-written (for the sweep), with what they need. */
    async unwritten(render: Render): Promise<RowsJob[]> {
      const { rows } = await pool.query<Claimed & { id: string; includeWaitlisted: boolean }>(
        `SELECT b.id, c.code, c.title, c.title_en AS "titleEn", b.text, b.course_id AS "courseId",
           b.include_waitlisted AS "includeWaitlisted"
         FROM broadcasts b JOIN courses c ON c.id = b.course_id
         WHERE b.status = 'sending' AND b.rows_written_at IS NULL`,
      );
      return rows.map((b) => ({
        broadcastId: b.id,
        courseId: b.courseId,
        statuses: b.includeWaitlisted ? ['confirmed', 'waitlisted'] : ['confirmed'],
        texts: render(b, b.text),
      }));
    },
  };
}

export type BroadcastRepository = ReturnType<typeof createBroadcastRepository>;
