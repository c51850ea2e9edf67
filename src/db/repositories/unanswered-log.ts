import type { UnansweredEntry, UnansweredLog } from '../../core/curated/curated-ports';
import type { Db } from '../prisma-client';
import { createBatcher } from './batcher';

/** Entries waiting for the database beyond this are dropped (and counted in the warning): a turn never waits. */
const MAX_IN_FLIGHT = 1_000;

/**
 * The unanswered log on PostgreSQL: `record` returns at once; entries of one tick go in one INSERT. A failure
 * is reported to `onError` (logged by the composition root), never to the turn.
 */
export function createUnansweredLog(
  db: Db,
  onError: (error: unknown, dropped: number) => void,
): UnansweredLog {
  let inFlight = 0;
  let dropped = 0;
  const insert = createBatcher<UnansweredEntry, number>(async (entries) => {
    await db.unansweredQuestion.createMany({
      data: entries.map((e) => ({
        text: e.text,
        channel: e.channel,
        locale: e.locale,
        answer: e.answer,
        clauseId: e.clauseId ?? null,
        confidence: Number.isFinite(e.confidence) ? e.confidence : 0,
        county: e.county ?? null,
        askedAt: e.askedAt,
      })),
    });
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
