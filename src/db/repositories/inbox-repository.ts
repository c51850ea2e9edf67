import type pg from 'pg';
import type {
  ComplaintStatus,
  InboxKind,
  InboxStatus,
  OpenItemState,
  TranscriptLine,
} from '../../core/inbox/inbox-item';
import { trackingNumber } from '../../core/inbox/tracking-number';
import type { ChannelName } from '../../core/message';

/** One inbox row as the service reads it (text fields already masked where they hold what people wrote). */
export interface InboxRow {
  id: string;
  kind: InboxKind;
  status: InboxStatus;
  personId: string | null;
  channel: ChannelName;
  channelUser: string;
  chatId: string;
  county: string | null;
  lastText: string;
  trackingNo: string | null;
  callbackPhone: string | null;
  callbackTime: string | null;
  claimedBy: string | null;
  outcome: string | null;
  rating: number | null;
  transcript: TranscriptLine[];
  lastStaffAt: Date | null;
  createdAt: Date;
  claimedAt: Date | null;
  closedAt: Date | null;
}

export interface NewInboxRow {
  kind: InboxKind;
  personId: string;
  channel: string;
  channelUser: string;
  chatId: string;
  county: string | null;
  lastText: string;
  transcript: TranscriptLine[];
}

/** Filter of items by a coordinator's scope: their counties, or a sign-up of the person in their courses. */
export interface ScopeFilter {
  counties: string[];
  courseCodes: string[];
}

const COLUMNS = `id, kind, status, person_id AS "personId", channel, channel_user AS "channelUser", chat_id AS "chatId",
  county, last_text AS "lastText", tracking_no AS "trackingNo", callback_phone AS "callbackPhone",
  callback_time AS "callbackTime", claimed_by AS "claimedBy", outcome, rating, transcript,
  last_staff_at AS "lastStaffAt", created_at AS "createdAt", claimed_at AS "claimedAt", closed_at AS "closedAt"`;

/**
 * What the dialog needs of an item on every turn of a conversation that has one: never the transcript, which
 * grows with the conversation.
 */
const STATE_COLUMNS = `id, kind, status, last_staff_at AS "lastStaffAt", claimed_at AS "claimedAt"`;
type StateRow = Pick<InboxRow, 'id' | 'kind' | 'status' | 'lastStaffAt' | 'claimedAt'>;
const toState = (row: StateRow): OpenItemState => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  lastStaffAt: row.lastStaffAt ?? undefined,
  claimedAt: row.claimedAt ?? undefined,
});

const SCOPED = `(i.county = ANY($1::text[]) OR EXISTS (
  SELECT 1 FROM enrolments e JOIN courses c ON c.id = e.course_id
  WHERE e.person_id = i.person_id AND (c.code = ANY($2::text[]) OR c.county = ANY($1::text[]))))`;

/** The staff inbox on PostgreSQL (inbox_items); transcripts grow by appending in SQL, so writers never race. */
export function createInboxRepository(pool: pg.Pool) {
  const one = async (sql: string, params: unknown[]): Promise<InboxRow | undefined> =>
    (await pool.query<InboxRow>(sql, params)).rows[0];
  const line = (l: TranscriptLine) => JSON.stringify([l]);

  return {
    async create(row: NewInboxRow, now: Date): Promise<{ id: string; trackingNo?: string }> {
      const { rows } = await pool.query<{ id: string; seq: number }>(
        `INSERT INTO inbox_items (id, kind, person_id, channel, channel_user, chat_id, county, last_text, transcript,
           created_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $9) RETURNING id, seq`,
        [
          row.kind,
          row.personId,
          row.channel,
          row.channelUser,
          row.chatId,
          row.county,
          row.lastText,
          JSON.stringify(row.transcript),
          now,
        ],
      );
      const { id, seq } = rows[0]!;
      if (row.kind !== 'complaint') return { id };
      const trackingNo = trackingNumber(now.getUTCFullYear(), seq);
      await pool.query('UPDATE inbox_items SET tracking_no = $2 WHERE id = $1', [id, trackingNo]);
      return { id, trackingNo };
    },

    get: (id: string) => one(`SELECT ${COLUMNS} FROM inbox_items WHERE id = $1`, [id]),

    async state(id: string): Promise<OpenItemState | undefined> {
      const { rows } = await pool.query<StateRow>({
        name: 'jineng_inbox_state',
        text: `SELECT ${STATE_COLUMNS} FROM inbox_items WHERE id = $1`,
        values: [id],
      });
      return rows[0] && toState(rows[0]);
    },

    async openFor(channel: string, channelUser: string): Promise<OpenItemState | undefined> {
      const { rows } = await pool.query<StateRow>(
        `SELECT ${STATE_COLUMNS} FROM inbox_items
         WHERE channel = $1 AND channel_user = $2 AND status <> 'closed' ORDER BY created_at DESC LIMIT 1`,
        [channel, channelUser],
      );
      return rows[0] && toState(rows[0]);
    },

    /** Open items (waiting and claimed), oldest first; `scope` undefined means all (admins). */
    async listOpen(scope: ScopeFilter | undefined): Promise<InboxRow[]> {
      const where = scope ? `AND ${SCOPED}` : '';
      const { rows } = await pool.query<InboxRow>(
        `SELECT ${COLUMNS} FROM inbox_items i WHERE status <> 'closed' ${where} ORDER BY created_at, seq`,
        scope ? [scope.counties, scope.courseCodes] : [],
      );
      return rows;
    },

    async inScope(id: string, scope: ScopeFilter): Promise<boolean> {
      const { rows } = await pool.query(`SELECT 1 FROM inbox_items i WHERE i.id = $3 AND ${SCOPED}`, [
        scope.counties,
        scope.courseCodes,
        id,
      ]);
      return rows.length > 0;
    },

    /** Adds a line; a user line also becomes the last text. */
    async append(id: string, entry: TranscriptLine): Promise<void> {
      await pool.query({
        name: 'jineng_inbox_append',
        text: `UPDATE inbox_items SET transcript = transcript || $2::jsonb, updated_at = now(),
           last_text = CASE WHEN $3 THEN $4 ELSE last_text END
         WHERE id = $1`,
        values: [id, line(entry), entry.who === 'user', entry.text],
      });
    },

    /** waiting → claimed by `account`; false when someone else holds it or it is closed. */
    async claim(
      id: string,
      account: string,
      now: Date,
    ): Promise<'claimed' | 'taken' | 'closed' | 'not_found'> {
      const { rowCount } = await pool.query(
        `UPDATE inbox_items SET status = 'claimed', claimed_by = $2, claimed_at = $3, last_staff_at = $3,
           updated_at = now()
         WHERE id = $1 AND (status = 'waiting' OR (status = 'claimed' AND claimed_by = $2))`,
        [id, account, now],
      );
      if (rowCount) return 'claimed';
      const row = await one(`SELECT ${COLUMNS} FROM inbox_items WHERE id = $1`, [id]);
      return !row ? 'not_found' : row.status === 'closed' ? 'closed' : 'taken';
    },

    /** A staff line: claims a waiting item for its writer, and restarts the silence clock. */
    async staffLine(id: string, entry: TranscriptLine, now: Date): Promise<boolean> {
      const { rowCount } = await pool.query(
        `UPDATE inbox_items SET transcript = transcript || $2::jsonb, last_staff_at = $3, updated_at = now(),
           status = 'claimed', claimed_by = COALESCE(claimed_by, $4), claimed_at = COALESCE(claimed_at, $3)
         WHERE id = $1 AND status <> 'closed'`,
        [id, line(entry), now, entry.by ?? null],
      );
      return Boolean(rowCount);
    },

    /** claimed → waiting: the bot answers the conversation again. */
    async release(id: string): Promise<boolean> {
      const { rowCount } = await pool.query(
        `UPDATE inbox_items SET status = 'waiting', claimed_by = NULL, claimed_at = NULL, updated_at = now()
         WHERE id = $1 AND status = 'claimed'`,
        [id],
      );
      return Boolean(rowCount);
    },

    async close(id: string, outcome: string | null, now: Date): Promise<InboxRow | undefined> {
      return one(
        `UPDATE inbox_items SET status = 'closed', outcome = $2, closed_at = $3, updated_at = now()
         WHERE id = $1 AND status <> 'closed' RETURNING ${COLUMNS}`,
        [id, outcome, now],
      );
    },

    async setCallback(id: string, phone: string, time: string): Promise<void> {
      await pool.query(
        `UPDATE inbox_items SET kind = 'callback', callback_phone = $2, callback_time = $3, updated_at = now()
         WHERE id = $1 AND kind = 'handoff'`,
        [id, phone, time],
      );
    },

    async complaint(personId: string, trackingNo: string): Promise<ComplaintStatus | undefined> {
      const row = await one(
        `SELECT ${COLUMNS} FROM inbox_items WHERE tracking_no = $1 AND person_id = $2 AND kind = 'complaint'`,
        [trackingNo, personId],
      );
      if (!row?.trackingNo) return undefined;
      return {
        trackingNo: row.trackingNo,
        status: row.status,
        outcome: row.outcome ?? undefined,
        createdAt: row.createdAt,
      };
    },

    async rate(personId: string, id: string, rating: number): Promise<boolean> {
      const { rowCount } = await pool.query(
        `UPDATE inbox_items SET rating = $3, updated_at = now()
         WHERE id = $1 AND person_id = $2 AND status = 'closed' AND rating IS NULL`,
        [id, personId, rating],
      );
      return Boolean(rowCount);
    },

    /** The person's sign-ups, for the console's view of an item. */
    async enrolments(personId: string) {
      const { rows } = await pool.query<{
        courseCode: string;
        title: string;
        county: string;
        status: string;
      }>(
        `SELECT c.code AS "courseCode", c.title, c.county, e.status FROM enrolments e
         JOIN courses c ON c.id = e.course_id WHERE e.person_id = $1 ORDER BY e.created_at DESC`,
        [personId],
      );
      return rows;
    },

    /** The identity a reply goes to: whether it is reachable, when the person last wrote, their language. */
    async identity(channel: string, channelUser: string) {
      const { rows } = await pool.query<{
        unreachableAt: Date | null;
        lastInboundAt: Date | null;
        locale: string | null;
        phone: string | null;
      }>(
        `SELECT i.unreachable_at AS "unreachableAt", i.last_inbound_at AS "lastInboundAt", p.locale, p.phone
         FROM channel_identities i JOIN people p ON p.id = i.person_id
         WHERE i.channel = $1 AND i.external_id = $2`,
        [channel, channelUser],
      );
      return rows[0];
    },

    /** Where the person registered, else the county of their latest sign-up. */
    async countyOf(personId: string): Promise<string | null> {
      const { rows } = await pool.query<{ county: string | null }>(
        `SELECT COALESCE(p.county, (SELECT c.county FROM enrolments e JOIN courses c ON c.id = e.course_id
           WHERE e.person_id = p.id ORDER BY e.created_at DESC LIMIT 1)) AS county
         FROM people p WHERE p.id = $1`,
        [personId],
      );
      return rows[0]?.county ?? null;
    },
  };
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;
