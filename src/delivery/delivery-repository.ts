import type pg from 'pg';
import { createBatcher } from '../db/repositories/batcher';

/** One message to one chat, as stored before its job is queued. */
export interface NewDelivery {
  key: string;
  kind: string;
  personId?: string;
  broadcastId?: string;
  channel: string;
  chatId: string;
  message: unknown;
  /** Set for a message that cannot be sent at all (no reachable chat): recorded as failed at once. */
  failReason?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string | undefined): value is string => value !== undefined && UUID.test(value);

/** A value for a uuid column that is not one: refused before it reaches a batched statement. */
export class NotAUuidError extends Error {
  override name = 'NotAUuidError';
}

export interface ClaimedDelivery {
  id: string;
  key: string;
  kind: string;
  personId: string | null;
  broadcastId: string | null;
  channel: string;
  chatId: string;
  message: unknown;
  inDoubt: boolean;
  attempts: number;
}

export type Claim =
  | { state: 'claimed'; row: ClaimedDelivery }
  /** Already sent or failed: a duplicate or retried job, nothing to do. */
  | { state: 'done'; status: string }
  /** Another attempt holds a fresh claim (look again once it has expired), or the row just became claimable. */
  | { state: 'busy'; retryAt: Date }
  | { state: 'missing' };

export interface DeliveryRow {
  key: string;
  channel: string;
  chatId: string;
  /** Epoch ms before which its job waits (a reminder prepared ahead); absent: at once. */
  notBefore?: number;
}

const CLAIM = `
  UPDATE deliveries d
  SET status = 'sending', claimed_by = c.token, claimed_at = now(), attempts = d.attempts + 1,
      in_doubt = d.in_doubt OR d.status = 'sending', updated_at = now()
  FROM unnest($1::text[], $2::text[]) AS c(key, token)
  WHERE d.key = c.key AND (d.status = 'pending'
    OR (d.status = 'sending' AND d.claimed_at < now() - $3::int * interval '1 millisecond'))
  RETURNING d.id, d.key, d.kind, d.person_id AS "personId", d.broadcast_id AS "broadcastId", d.channel,
    d.chat_id AS "chatId", d.message, d.in_doubt AS "inDoubt", d.attempts, d.claimed_by AS "claimedBy"`;

const MARK_SENT = `
  UPDATE deliveries d SET status = 'sent', sent_at = now(), error = NULL, claimed_by = NULL, updated_at = now()
  FROM unnest($1::uuid[], $2::text[]) AS m(id, token)
  WHERE d.id = m.id AND d.status = 'sending' AND d.claimed_by = m.token
  RETURNING d.id`;

/**
 * The deliveries table is the ledger that makes proactive messages exactly-once in the normal case: a job
 * claims its row (pending → sending) with a conditional UPDATE before calling the platform, and marks it sent
 * after. A second job for the same key finds the row sent (no-op) or claimed (waits). A claim left by a
 * crashed process is taken over after `leaseMs` and flagged in_doubt: the platform may already have it.
 * Claims and marks of concurrent jobs are batched into one statement each (see batcher.ts).
 */
export function createDeliveryRepository(pool: pg.Pool, leaseMs: number) {
  const claimBatch = createBatcher<{ key: string; token: string }, Claim>(async (items) => {
    const { rows } = await pool.query<ClaimedDelivery & { claimedBy: string }>(CLAIM, [
      items.map((i) => i.key),
      items.map((i) => i.token),
      leaseMs,
    ]);
    const won = new Map(rows.map(({ claimedBy, ...row }) => [`${row.key}\n${claimedBy}`, row]));
    const lost = items.filter((i) => !won.has(`${i.key}\n${i.token}`)).map((i) => i.key);
    const current = lost.length
      ? await pool.query<{ key: string; status: string; claimedAt: Date | null }>(
          'SELECT key, status, claimed_at AS "claimedAt" FROM deliveries WHERE key = ANY($1::text[])',
          [lost],
        )
      : { rows: [] };
    const byKey = new Map(current.rows.map((r) => [r.key, r]));
    return items.map((i): Claim => {
      const row = won.get(`${i.key}\n${i.token}`);
      if (row) return { state: 'claimed', row };
      const c = byKey.get(i.key);
      if (!c) return { state: 'missing' };
      if (c.status === 'sending' && c.claimedAt) {
        return { state: 'busy', retryAt: new Date(c.claimedAt.getTime() + leaseMs + 50) };
      }
      // Pending after all: the row was committed (or released) between the UPDATE and this read. Try again.
      if (c.status === 'pending') return { state: 'busy', retryAt: new Date(Date.now() + 20) };
      return { state: 'done', status: c.status };
    });
  });

  const sentBatch = createBatcher<{ id: string; token: string }, boolean>(async (items) => {
    const { rows } = await pool.query<{ id: string }>(MARK_SENT, [
      items.map((i) => i.id),
      items.map((i) => i.token),
    ]);
    const marked = new Set(rows.map((r) => r.id));
    return items.map((i) => marked.has(i.id));
  });

  // Reminders fall due together (hundreds before morning classes): their last check is one statement per batch,
  // not a query each, which held the pool's ten connections while 1,000 reminders went out.
  const reminderStateBatch = createBatcher<
    { enrolmentId: string; sessionId: string },
    { startsAt: Date; cancelled: boolean; status: string | null } | undefined
  >(async (items) => {
    const { rows } = await pool.query<{
      ord: string;
      startsAt: Date;
      cancelled: boolean;
      status: string | null;
    }>(
      `SELECT r.ord, s.starts_at AS "startsAt", s.cancelled, e.status
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS r(enrolment_id, session_id, ord)
       JOIN class_sessions s ON s.id = r.session_id
       LEFT JOIN enrolments e ON e.id = r.enrolment_id AND e.course_id = s.course_id`,
      [items.map((i) => i.enrolmentId), items.map((i) => i.sessionId)],
    );
    const byOrd = new Map(rows.map(({ ord, ...state }) => [Number(ord), state]));
    return items.map((_, i) => byOrd.get(i + 1));
  });

  return {
    /** Inserts rows, skipping keys that exist already (the same message queued twice). */
    async createMany(rows: NewDelivery[]): Promise<void> {
      if (!rows.length) return;
      const bad = rows.filter(
        (r) =>
          (r.personId !== undefined && !isUuid(r.personId)) ||
          (r.broadcastId !== undefined && !isUuid(r.broadcastId)),
      );
      if (bad.length)
        throw new NotAUuidError(`person or broadcast id is not a uuid: ${bad.map((r) => r.key).join(', ')}`);
      await pool.query(
        `INSERT INTO deliveries (id, key, kind, person_id, broadcast_id, channel, chat_id, message, status, error, updated_at)
         SELECT gen_random_uuid(), r.key, r.kind, r.person_id, r.broadcast_id, r.channel, r.chat_id, r.message,
           CASE WHEN r.error IS NULL THEN 'pending' ELSE 'failed' END, r.error, now()
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::jsonb[], $8::text[])
           AS r(key, kind, person_id, broadcast_id, channel, chat_id, message, error)
         ON CONFLICT (key) DO NOTHING`,
        [
          rows.map((r) => r.key),
          rows.map((r) => r.kind),
          rows.map((r) => r.personId ?? null),
          rows.map((r) => r.broadcastId ?? null),
          rows.map((r) => r.channel),
          rows.map((r) => r.chatId),
          rows.map((r) => JSON.stringify(r.message)),
          rows.map((r) => r.failReason ?? null),
        ],
      );
    },

    claim: (key: string, token: string): Promise<Claim> => claimBatch({ key, token }),

    /**
     * False when the claim was taken over meanwhile (the send took longer than the lease). Marks of concurrent
     * sends share one statement, so an id that is not a uuid (no row of ours) is answered here: it must not
     * fail the statement for the others, whose messages went out and would be sent again in doubt.
     */
    markSent: (id: string, token: string): Promise<boolean> =>
      isUuid(id) ? sentBatch({ id, token }) : Promise.resolve(false),

    /** Back to pending: the platform refused this attempt (429, network), so nothing was delivered. */
    async release(id: string, token: string): Promise<void> {
      if (!isUuid(id)) return;
      await pool.query(
        `UPDATE deliveries SET status = 'pending', claimed_by = NULL, updated_at = now()
         WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
        [id, token],
      );
    },

    async markFailed(key: string, reason: string): Promise<boolean> {
      const { rowCount } = await pool.query(
        `UPDATE deliveries SET status = 'failed', error = $2, claimed_by = NULL, updated_at = now()
         WHERE key = $1 AND status IN ('pending', 'sending')`,
        [key, reason.slice(0, 500)],
      );
      return rowCount === 1;
    },

    /** The user blocked the bot or the chat is gone: no proactive message goes there until they write again. */
    async markUnreachable(channel: string, chatId: string): Promise<void> {
      await pool.query(
        `UPDATE channel_identities SET unreachable_at = now()
         WHERE channel = $1 AND chat_id = $2 AND unreachable_at IS NULL`,
        [channel, chatId],
      );
    },

    async lastInboundAt(channel: string, chatId: string): Promise<Date | undefined> {
      const { rows } = await pool.query<{ at: Date | null }>(
        `SELECT max(last_inbound_at) AS at FROM channel_identities WHERE channel = $1 AND chat_id = $2`,
        [channel, chatId],
      );
      return rows[0]?.at ?? undefined;
    },

    /**
     * Why a reminder must not go out any more, or undefined: its class session was moved (the row was
     * renamed `…@<old start>`), cancelled or has started, or the sign-up was cancelled. A reminder held back
     * (a daily cap, a logged-out account, a long 429) can otherwise arrive after the fact.
     */
    /**
     * Why a reminder must not go out now, if it must not: its class was cancelled or has started, the sign-up
     * was cancelled, or (`moved`) the class no longer starts at `forStartsAt`, the time its text states.
     */
    async reminderExpired(
      row: Pick<ClaimedDelivery, 'key' | 'kind'>,
      forStartsAt?: string,
    ): Promise<string | undefined> {
      if (row.kind !== 'reminder') return undefined;
      if (row.key.includes('@')) return 'superseded';
      const [, enrolmentId = '', sessionId = ''] = row.key.split(':');
      if (!isUuid(enrolmentId) || !isUuid(sessionId)) return undefined;
      const session = await reminderStateBatch({ enrolmentId, sessionId });
      if (!session || session.cancelled) return 'session_cancelled';
      if (session.startsAt.getTime() <= Date.now()) return 'too_late';
      if (session.status !== 'confirmed') return 'enrolment_cancelled';
      if (forStartsAt && Date.parse(forStartsAt) !== session.startsAt.getTime()) return 'moved';
      return undefined;
    },

    /**
     * A message that no longer applies, kept as history under another key (key@<reason>:<time>) and failed, so
     * the key is free for the message that replaces it (a reminder for the class's new time).
     */
    async supersede(id: string, reason: string): Promise<void> {
      await pool.query(
        `UPDATE deliveries SET key = key || '@' || $2 || ':' || (extract(epoch from now()) * 1000)::bigint,
           status = 'failed', error = $2, claimed_by = NULL, updated_at = now()
         WHERE id = $1`,
        [id, reason],
      );
    },

    /**
     * Messages waiting longer than `olderThanMs` for one of `channels`, which no process runs any more: failed
     * as `channel_off` in one statement, so their notices can complete. Returns how many.
     */
    async failChannelOff(channels: readonly string[], olderThanMs: number): Promise<number> {
      if (!channels.length) return 0;
      const { rowCount } = await pool.query(
        `UPDATE deliveries SET status = 'failed', error = 'channel_off', updated_at = now()
         WHERE status = 'pending' AND channel = ANY($1::text[])
           AND created_at < now() - $2::int * interval '1 millisecond'`,
        [channels, olderThanMs],
      );
      return rowCount ?? 0;
    },

    /** Deliveries still open after `olderThanMs`: their jobs may have been lost with Redis data. */
    async open(olderThanMs: number, limit: number): Promise<DeliveryRow[]> {
      const { rows } = await pool.query<DeliveryRow>(
        `SELECT key, channel, chat_id AS "chatId" FROM deliveries
         WHERE (status = 'pending' AND created_at < now() - $1::int * interval '1 millisecond')
            OR (status = 'sending' AND claimed_at < now() - $2::int * interval '1 millisecond')
         ORDER BY created_at LIMIT $3`,
        [olderThanMs, leaseMs, limit],
      );
      return rows;
    },

    /** Completes the broadcast if none of its deliveries is open; true only for the one call that did it. */
    async completeBroadcastIfDone(broadcastId: string): Promise<boolean> {
      if (!isUuid(broadcastId)) return false;
      const { rowCount } = await pool.query(
        `UPDATE broadcasts SET status = 'completed', completed_at = now()
         WHERE id = $1 AND status = 'sending' AND rows_written_at IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM deliveries WHERE broadcast_id = $1 AND status IN ('pending', 'sending'))`,
        [broadcastId],
      );
      return rowCount === 1;
    },

    async existingKeys(keys: string[]): Promise<Set<string>> {
      if (!keys.length) return new Set();
      const { rows } = await pool.query<{ key: string }>(
        'SELECT key FROM deliveries WHERE key = ANY($1::text[])',
        [keys],
      );
      return new Set(rows.map((r) => r.key));
    },
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
