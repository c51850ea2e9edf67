import type pg from 'pg';
import type { UnansweredEntry, UnansweredLog } from '../../core/curated/curated-ports';
import { createBatcher } from './batcher';

/** Entries waiting for the database beyond this are dropped (and counted in the warning): a turn never waits. */
const MAX_IN_FLIGHT = 1_000;

/**
 * The unanswered log on PostgreSQL: `record` returns at once; entries of one tick go in one INSERT. A failure
 * is reported to `onError` (logged by the composition root), never to the turn.
 */
export function createUnansweredLog(
  pool: pg.Pool,
  onError: (error: unknown, dropped: number) => void,
): UnansweredLog {
  let inFlight = 0;
  let dropped = 0;
  // On the pg pool, not Prisma: it runs beside the turns, and Prisma's query compiler costs CPU per query.
  const insert = createBatcher<UnansweredEntry, number>(async (entries) => {
    await pool.query(
      `INSERT INTO unanswered_questions (text, channel, locale, answer, clause_id, confidence, county, asked_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[],
         $8::timestamptz[])`,
      [
        entries.map((e) => e.text),
        entries.map((e) => e.channel),
        entries.map((e) => e.locale),
        entries.map((e) => e.answer),
        entries.map((e) => e.clauseId ?? null),
        entries.map((e) => (Number.isFinite(e.confidence) ? e.confidence : 0)),
        entries.map((e) => e.county ?? null),
        entries.map((e) => e.askedAt),
      ],
    );
    return entries.map(() => 1);
  });
  return {
    record(entry) {
      if (inFlight >= MAX_IN_FLIGHT) {
        dropped++;
        return;
      }
      inFlight++;
      insert(entry)
        .catch((error: unknown) => {
          onError(error, dropped);
          dropped = 0;
        })
        .finally(() => {
          inFlight--;
        });
    },
  };
}
