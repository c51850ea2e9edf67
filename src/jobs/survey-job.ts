import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { isQuiet, type QuietHours } from '../core/reminders/reminder-plan';
import type { Logger } from '../logger';

/**
 * The survey job (issue 20, items 3 and 4; docs/surveys.md): on a schedule, finds courses that finished and
 * employment follow-ups that fell due, creates their rows (unique per enrolment, so a retry or a second
 * process adds nothing) and queues the questions and their one reminder through the outbox. Nothing is
 * queued in quiet hours: the first pass after them does it.
 */
export const SURVEY_QUEUE = 'surveys';
export const SURVEY_JOB = 'surveys';
export const SURVEY_SCHEDULER_ID = 'surveys-every';

export const surveyPayloadSchema = z.object({ reason: z.enum(['schedule', 'startup', 'manual']) });
export type SurveyPayload = z.infer<typeof surveyPayloadSchema>;

/** What one question's pass did (services/satisfaction-service.ts: SurveyPass). */
export interface SurveyPassResult {
  created: number;
  asked: number;
  reminded: number;
  unreachable: number;
}

export interface SurveyJobDeps {
  satisfaction: (now: Date) => Promise<SurveyPassResult>;
  employment: (now: Date) => Promise<SurveyPassResult>;
  timezone: string;
  /** REMINDER_QUIET_HOURS: no question or reminder is queued then. */
  quiet: QuietHours | undefined;
  logger: Logger;
}

export type SurveyJobResult =
  | { quiet: true }
  | { quiet: false; satisfaction: SurveyPassResult; employment: SurveyPassResult };

export async function runSurveyJob(deps: SurveyJobDeps, now = new Date()): Promise<SurveyJobResult> {
  if (isQuiet(now, deps.timezone, deps.quiet)) return { quiet: true };
  const satisfaction = await deps.satisfaction(now);
  const employment = await deps.employment(now);
  const result = { quiet: false as const, satisfaction, employment };
  deps.logger.info(result, 'survey pass done');
  return result;
}

export function surveyProcessor(deps: SurveyJobDeps) {
  return async (job: Job): Promise<SurveyJobResult> => {
    const parsed = surveyPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid survey payload: ${parsed.error.message}`);
    return runSurveyJob(deps);
  };
}

const SURVEY_OPTS = { removeOnComplete: { count: 20 }, removeOnFail: { count: 50 } };

/** Idempotent: re-registering replaces the schedule (every process does it at start). */
export async function scheduleSurveys(queue: Queue, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(
    SURVEY_SCHEDULER_ID,
    { every: everyMs },
    { name: SURVEY_JOB, data: surveyPayloadSchema.parse({ reason: 'schedule' }), opts: SURVEY_OPTS },
  );
}
