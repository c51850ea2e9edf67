import type pg from 'pg';

export type AttemptStatus = 'sending' | 'sent' | 'failed' | 'deferred' | 'fell_back';

export interface AttemptOutcome {
  status: Exclude<AttemptStatus, 'sending'>;
  reason?: string;
  provider?: string;
  providerMessageId?: string;
  segments?: number;
}

/**
 * The attempts of each delivery (delivery_attempts): one row per try on one channel, written when the job has
 * claimed the delivery and closed when the channel answered. With the deliveries row (unique key, claim) this is
 * the ledger of every attempt: which routes were tried and why each ended, what an SMS cost, and its report.
 */
export function createDeliveryAttempts(pool: pg.Pool) {
  return {
    async begin(row: { id: string; personId: string | null; channel: string }): Promise<string | undefined> {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO delivery_attempts (id, delivery_id, person_id, channel, status)
         VALUES (gen_random_uuid(), $1, $2, $3, 'sending') RETURNING id`,
        [row.id, row.personId, row.channel],
      );
      return rows[0]?.id;
    },

    async finish(id: string | undefined, outcome: AttemptOutcome): Promise<void> {
      if (!id) return;
      await pool.query(
        `UPDATE delivery_attempts SET status = $2, reason = $3, provider = $4, provider_message_id = $5,
           segments = $6, updated_at = now()
         WHERE id = $1`,
        [
          id,
          outcome.status,
          outcome.reason?.slice(0, 500) ?? null,
          outcome.provider ?? null,
          outcome.providerMessageId ?? null,
          outcome.segments ?? null,
        ],
      );
    },

    /** The channels this delivery has already been tried on and left (not to be tried again by a fallback). */
    async leftChannels(deliveryId: string): Promise<{ channel: string; reason: string | null }[]> {
      const { rows } = await pool.query<{ channel: string; reason: string | null }>(
        `SELECT channel, reason FROM delivery_attempts
         WHERE delivery_id = $1 AND status = 'fell_back' ORDER BY created_at`,
        [deliveryId],
      );
      return rows;
    },
  };
}

export type DeliveryAttempts = ReturnType<typeof createDeliveryAttempts>;
