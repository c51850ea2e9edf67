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
  /** A notice asking for confirmation (issue 19): each person's text and "收到" choice, by language. */
  ack?: Record<'zh' | 'en', { text: string; choices: unknown[] }>;
}

interface Claimed {
  /** The broadcast's id, and whether it asks for confirmation (notice_ack_requests). */
  id: string;
  askAck: boolean;
  code: string;
  title: string;
  titleEn: string | null;
  text: string;
  courseId: string;
}

/** The draft as its author would confirm it: what the notice's text is rendered from. */
const READ_DRAFT = `
  SELECT b.id, c.code, c.title, c.title_en AS "titleEn", b.text, b.course_id AS "courseId",
    EXISTS (SELECT 1 FROM notice_ack_requests r WHERE r.broadcast_id = b.id) AS "askAck"
  FROM broadcasts b JOIN courses c ON c.id = b.course_id
  WHERE b.id = $1 AND b.author_id = $2 AND b.status = 'draft'`;

/**
 * Confirming, in one statement (one snapshot, one round trip): the draft becomes 'sending' with its recipient
 * count, its people are counted by the channel that reaches them (null: none), and its linked group chats' rows
 * are written with the notice in the programme's language. A second confirmation racing the first waits for its
 * row lock, finds no draft, and claims nothing. $1 broadcast, $2 channels, $3 include waitlisted, $4 statuses,
 * $5 author, $6 the group chats' text.
 */
const CLAIM = `
  WITH draft AS (
    SELECT course_id FROM broadcasts WHERE id = $1 AND author_id = $5 AND status = 'draft'
  ), people AS (
    SELECT ci.channel, count(*)::int AS n
    FROM draft d JOIN enrolments e ON e.course_id = d.course_id AND e.status = ANY($4::text[])
    JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL ${REACHABLE}
    GROUP BY 1
  ), links AS (
    SELECT l.channel, l.chat_id FROM draft d JOIN chat_links l ON l.course_id = d.course_id
    WHERE l.channel = ANY($2::text[])
  ), claimed AS (
    UPDATE broadcasts b SET status = 'sending', confirmed_at = now(), include_waitlisted = $3,
      recipients = (SELECT coalesce(sum(n), 0) FROM people) + (SELECT count(*) FROM links)
    WHERE b.id = $1 AND b.author_id = $5 AND b.status = 'draft'
    RETURNING b.id
  ), groups AS (
    INSERT INTO deliveries (id, key, kind, broadcast_id, channel, chat_id, message, updated_at)
    SELECT gen_random_uuid(), 'broadcast:' || $1 || ':group:' || l.channel || ':' || l.chat_id, 'broadcast',
      $1::uuid, l.channel, l.chat_id, jsonb_build_object('text', $6::text), now()
    FROM links l WHERE EXISTS (SELECT 1 FROM claimed)
    ON CONFLICT (key) DO NOTHING
    RETURNING key, channel, chat_id AS "chatId"
  )
  SELECT 'people' AS part, channel, n, NULL AS key, NULL AS "chatId" FROM people WHERE EXISTS (SELECT 1 FROM claimed)
  UNION ALL SELECT 'group', channel, 1, key, "chatId" FROM groups
  UNION ALL SELECT 'claimed', NULL, 0, NULL, NULL FROM claimed`;

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
    SELECT e.person_id, ci.channel, ci.chat_id, ci.external_id, p.locale
    FROM picked e JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL ${REACHABLE}
  ), written AS (
    INSERT INTO deliveries (id, key, kind, person_id, broadcast_id, channel, chat_id, status, error, message, updated_at)
    SELECT gen_random_uuid(), 'broadcast:' || $1 || ':' || b.person_id, 'broadcast', b.person_id, $1::uuid,
      coalesce(b.channel, ''), coalesce(b.chat_id, ''),
      CASE WHEN b.channel IS NULL THEN 'failed' ELSE 'pending' END,
      CASE WHEN b.channel IS NULL THEN 'no_reachable_channel' END,
      CASE WHEN $9::jsonb IS NULL OR b.channel IS NULL
        THEN jsonb_build_object('text', CASE WHEN b.locale = 'en' THEN $5 ELSE $6 END)
        -- Asks for confirmation: its "收到" choice becomes the person's current one when it is delivered.
        ELSE $9::jsonb -> (CASE WHEN b.locale = 'en' THEN 'en' ELSE 'zh' END)
          || jsonb_build_object('sessionKey', b.channel || ':' || b.external_id) END, now()
    FROM batch b
    ON CONFLICT (key) DO NOTHING
    RETURNING key, channel, chat_id, status = 'pending' AS reachable
  ), listed AS (
    -- People no route reaches are listed for staff (follow-ups, 'no_channel'; src/delivery/fallback.ts).
    INSERT INTO follow_ups (id, kind, person_id, course_id)
    SELECT gen_random_uuid(), 'no_channel', b.person_id, $3::uuid FROM batch b
    WHERE b.channel IS NULL AND NOT EXISTS (
      SELECT 1 FROM follow_ups f WHERE f.person_id = b.person_id AND f.kind = 'no_channel' AND f.resolved_at IS NULL)
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

type Render = (
  course: { code: string; title: string; titleEn: string | null; id?: string; askAck?: boolean },
  text: string,
) => Texts;

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
     * Turns the draft into 'sending', counts its recipients and writes its group chats' rows, in one statement
     * (CLAIM); the people's rows follow with `writeChunk`. undefined when the broadcast is not this author's
     * draft any more (sent, discarded, someone else's, or confirmed by a second tap at the same moment).
     */
    async claim(
      broadcastId: string,
      authorId: string,
      includeWaitlisted: boolean,
      render: Render,
    ): Promise<ClaimedBroadcast | undefined> {
      const [b] = (await pool.query<Claimed>(READ_DRAFT, [broadcastId, authorId])).rows;
      if (!b) return undefined;
      const statuses = includeWaitlisted ? ['confirmed', 'waitlisted'] : ['confirmed'];
      const texts = render(b, b.text);
      const { rows } = await pool.query<{
        part: 'people' | 'group' | 'claimed';
        channel: string | null;
        n: number;
        key: string | null;
        chatId: string | null;
      }>({
        name: 'jineng_broadcast_claim',
        text: CLAIM,
        values: [broadcastId, channels, includeWaitlisted, statuses, authorId, texts.zh],
      });
      if (!rows.some((r) => r.part === 'claimed')) return undefined;
      const byChannel = new Map<string, number>();
      let unreachable = 0;
      let people = 0;
      const groupRows: DeliveryRow[] = [];
      for (const r of rows) {
        if (r.part === 'people') {
          people += r.n;
          if (r.channel) byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + r.n);
          else unreachable += r.n;
        } else if (r.part === 'group' && r.channel && r.key && r.chatId) {
          groupRows.push({ key: r.key, channel: r.channel, chatId: r.chatId });
          byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + 1);
        }
      }
      return {
        courseCode: b.code,
        recipients: people + groupRows.length,
        groups: groupRows.length,
        unreachable,
        byChannel,
        groupRows,
        job: { broadcastId, courseId: b.courseId, statuses, texts },
      };
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
          job.texts.ack ? JSON.stringify(job.texts.ack) : null,
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
           b.include_waitlisted AS "includeWaitlisted",
           EXISTS (SELECT 1 FROM notice_ack_requests r WHERE r.broadcast_id = b.id) AS "askAck"
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
