import type pg from 'pg';
import type { ChannelName } from '../core/message';
import type { DeliveryAttempts } from './delivery-attempts';
import type { ClaimedDelivery, DeliveryRow } from './delivery-repository';
import type { Recipients } from './recipients';

export type FallbackResult =
  /** The next route took it: the row is pending again on `channel`, its job queued there. */
  | { state: 'rerouted'; channel: ChannelName }
  /** No route is left: the row failed as no_reachable_channel and the person is listed for staff. */
  | { state: 'exhausted' }
  /** The claim was lost meanwhile (a lease ran out): whoever holds it now decides. */
  | { state: 'lost' };

/** Reasons that end a message without listing the person for staff: they said no themselves. */
const BY_CHOICE = new Set(['opted_out']);

/**
 * The fallback when a route cannot carry a message now (blocked, outside the window, no consent, opted out, no
 * valid phone): the attempt is recorded as fell_back, the next route is chosen by the one reachability rule
 * among the channels not yet tried, and the row moves there under its claim, in one conditional UPDATE (so two
 * jobs can never both move it) before its job is queued on that channel. With nowhere left, it fails as
 * no_reachable_channel, naming each route tried and why, and the person is listed for staff.
 */
export function createFallback(deps: {
  pool: pg.Pool;
  channels: readonly ChannelName[];
  recipients: Recipients;
  attempts: DeliveryAttempts;
  /** The outbox's dispatch (not the Outbox type: outbox.ts → outbound-job.ts → here would be a cycle). */
  outbox: { dispatch(rows: readonly DeliveryRow[]): Promise<number> };
}) {
  const { pool } = deps;

  async function next(
    row: ClaimedDelivery,
    claimToken: string,
    attemptId: string | undefined,
    reason: string,
  ): Promise<FallbackResult> {
    // The routes left before this one; then this attempt is recorded as left too.
    const left = await deps.attempts.leftChannels(row.id);
    await deps.attempts.finish(attemptId, { status: 'fell_back', reason });
    const tried = new Set([...left.map((l) => l.channel), row.channel]);
    const remaining = deps.channels.filter((c) => !tried.has(c));
    const route =
      row.personId && remaining.length
        ? (await deps.recipients.reachable([row.personId], remaining)).get(row.personId)
        : undefined;
    if (route) {
      const { rowCount } = await pool.query(
        `UPDATE deliveries SET channel = $3, chat_id = $4, status = 'pending', claimed_by = NULL,
           in_doubt = false, updated_at = now()
         WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
        [row.id, claimToken, route.channel, route.chatId],
      );
      if (rowCount !== 1) return { state: 'lost' };
      await deps.outbox.dispatch([{ key: row.key, channel: route.channel, chatId: route.chatId }]);
      return { state: 'rerouted', channel: route.channel };
    }
    const why = [...left.map((l) => `${l.channel} (${l.reason ?? '?'})`), `${row.channel} (${reason})`];
    const byChoice = [...left.map((l) => l.reason ?? ''), reason].every((r) => BY_CHOICE.has(r));
    const { rowCount } = await pool.query(
      `UPDATE deliveries SET status = 'failed', error = $3, claimed_by = NULL, updated_at = now()
       WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      // A message that had one route only keeps that route's reason (blocked, outside_window, opted_out).
      [
        row.id,
        claimToken,
        (left.length ? `no_reachable_channel: tried ${why.join(', ')}` : reason).slice(0, 500),
      ],
    );
    if (rowCount !== 1) return { state: 'lost' };
    if (row.personId && !byChoice) await listForStaff(pool, [row.personId]);
    return { state: 'exhausted' };
  }

  return { next };
}

export type Fallback = ReturnType<typeof createFallback>;

/**
 * Lists people no channel reaches for staff: one open follow-up ('no_channel') per person on the console's
 * follow-ups page, with their name and phone masked, until staff resolve it (a phone added, called). Staff
 * themselves (coordinators, console accounts) are not listed.
 */
export async function listForStaff(pool: pg.Pool, personIds: readonly string[]): Promise<void> {
  if (!personIds.length) return;
  await pool.query(
    `INSERT INTO follow_ups (id, kind, person_id)
     SELECT gen_random_uuid(), 'no_channel', p.id FROM people p
     WHERE p.id = ANY($1::uuid[]) AND p.deleted_at IS NULL AND NOT EXISTS (
       SELECT 1 FROM follow_ups f WHERE f.person_id = p.id AND f.kind = 'no_channel' AND f.resolved_at IS NULL)
       -- Staff (a notice's author, an alert's addressee) read the console; nobody needs to chase them.
       AND NOT EXISTS (SELECT 1 FROM coordinators c WHERE c.person_id = p.id)
       AND NOT EXISTS (SELECT 1 FROM console_accounts a WHERE a.person_id = p.id)`,
    [[...new Set(personIds)]],
  );
}
