import type pg from 'pg';
import type { SmsReport } from './sms-mapper';

/**
 * What the SMS channel reads and writes in the database: the person's phone (read at send time, so the ledger
 * never holds a phone number and an erased person gets nothing), how many SMS they got today (the daily cap,
 * counted from the delivery attempts), and the providers' delivery reports against those attempts.
 */
export function createSmsStore(pool: pg.Pool, timezone: string) {
  return {
    async phoneOf(personId: string): Promise<string | undefined> {
      const { rows } = await pool.query<{ phone: string | null }>(
        'SELECT phone FROM people WHERE id = $1::uuid AND deleted_at IS NULL',
        [personId],
      );
      return rows[0]?.phone ?? undefined;
    },

    /**
     * SMS accepted by the provider for this person since midnight in the programme's time zone, not counting
     * messages of `except` kinds (account-linking codes have a limit of their own: identity-link-service.ts).
     */
    async sentToday(personId: string, except: readonly string[] = []): Promise<number> {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE a.person_id = $1::uuid AND a.channel = 'sms' AND a.status = 'sent'
           AND a.created_at >= (date_trunc('day', now() AT TIME ZONE $2) AT TIME ZONE $2)
           AND NOT (d.kind = ANY($3::text[]))`,
        [personId, timezone, except],
      );
      return rows[0]?.n ?? 0;
    },

    /** Records reports against their attempts (by provider and message id); returns how many matched. */
    async recordReports(reports: readonly SmsReport[]): Promise<number> {
      if (!reports.length) return 0;
      const { rowCount } = await pool.query(
        `UPDATE delivery_attempts a SET report_status = r.status, report_code = r.code,
           reported_at = coalesce(r.at, now()), segments = coalesce(r.segments, a.segments), updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[])
           AS r(provider, message_id, status, code, at, segments)
         WHERE a.provider = r.provider AND a.provider_message_id = r.message_id`,
        [
          reports.map((r) => r.provider),
          reports.map((r) => r.messageId),
          reports.map((r) => (r.delivered ? 'delivered' : 'failed')),
          reports.map((r) => r.code.slice(0, 100)),
          reports.map((r) => r.at ?? null),
          reports.map((r) => r.segments ?? null),
        ],
      );
      return rowCount ?? 0;
    },
  };
}

export type SmsStore = ReturnType<typeof createSmsStore>;
