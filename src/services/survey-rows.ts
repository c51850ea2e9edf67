import type pg from 'pg';
import type { SurveyAnswerOutcome } from '../core/outcomes/surveys';
import type { Outbox, OutboxItem } from '../delivery/outbox';
import { mayAnswer } from './survey-recipient';

/** The two survey tables: the satisfaction question and the employment checks (docs/surveys.md). */
export type SurveyTable = 'satisfaction_surveys' | 'employment_checks';

/**
 * Queues the questions (or their one reminder), then stamps the rows asked (reminded). The ledger first: a pass
 * that stops between the two sends nothing twice, and the next pass only stamps the rows.
 */
export async function queueThenStamp(
  outbox: Outbox,
  pool: pg.Pool,
  table: SurveyTable,
  ids: readonly string[],
  items: OutboxItem[],
  reminder: boolean,
  now: Date,
): Promise<void> {
  await outbox.enqueue(items);
  const column = reminder ? 'reminded_at' : 'asked_at';
  await pool.query(`UPDATE ${table} SET ${column} = $2 WHERE id = ANY($1::uuid[]) AND ${column} IS NULL`, [
    [...ids],
    now,
  ]);
}

/** Why an answer was not saved: not this person's (or their family member's) question, already answered, or no longer open. */
export async function whyNotSaved(
  pool: pg.Pool,
  table: SurveyTable,
  id: string,
  personId: string,
): Promise<SurveyAnswerOutcome> {
  const { rows } = await pool.query<{ answered: boolean }>(
    `SELECT q.answered_at IS NOT NULL AS answered FROM ${table} q
     JOIN enrolments e ON e.id = q.enrolment_id WHERE q.id = $1 AND ${mayAnswer('e.person_id', '$2')}`,
    [id, personId],
  );
  if (!rows[0]) return 'not_found';
  return rows[0].answered ? 'already' : 'closed';
}
