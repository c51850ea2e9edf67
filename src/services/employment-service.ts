import { employmentChoices } from '../core/dialog/flows/surveys/surveys-flow';
import {
  EMPLOYMENT_ANSWERS,
  type EmploymentAnswer,
  SURVEY_KINDS,
  type SurveyAnswerOutcome,
  surveyKeys,
} from '../core/outcomes/surveys';
import {
  type DueRow,
  FINISHED_COURSES,
  isUuid,
  outboxItems,
  type SurveyPass,
  type SurveyServiceDeps,
  TRAINEE_STATUSES,
} from './satisfaction-service';
import { mayAnswer, surveyRecipientColumns, surveyRecipientJoin } from './survey-recipient';
import { queueThenStamp, whyNotSaved } from './survey-rows';

/**
 * The employment follow-up (issue 20, item 4): EMPLOYMENT_CHECK_MONTHS after a course finished (3 and 6 by
 * default) each trainee is asked once (employment:<enrolment>:<months>), reminded once at most, and answers
 * employed / self-employed / still looking / not looking, with trade and county if they like.
 */
export function createEmploymentService(deps: SurveyServiceDeps & { timezone: string }) {
  const { pool, settings } = deps;

  /** A row per trainee and follow-up that fell due lately (the local date that many months after completion). */
  async function create(now: Date): Promise<number> {
    if (!settings.employmentMonths.length) return 0;
    const { rowCount } = await pool.query(
      `INSERT INTO employment_checks (id, enrolment_id, course_id, months, due_at, created_at)
       SELECT gen_random_uuid(), e.id, e.course_id, d.months, d.due_at, $1
       FROM (SELECT f.course_id, m.months,
                    ((f.done_at AT TIME ZONE $4) + make_interval(months => m.months)) AT TIME ZONE $4 AS due_at
             FROM (${FINISHED_COURSES}) f CROSS JOIN unnest($3::int[]) AS m(months)) d
       JOIN enrolments e ON e.course_id = d.course_id AND e.status IN ${TRAINEE_STATUSES}
       JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL
       WHERE d.due_at <= $1 AND d.due_at > $1::timestamptz - make_interval(days => $5::int)
       ON CONFLICT (enrolment_id, months) DO NOTHING`,
      [
        now,
        settings.fallbackDays,
        [...settings.employmentMonths],
        deps.timezone,
        settings.employmentWindowDays,
      ],
    );
    return rowCount ?? 0;
  }

  async function due(now: Date, reminder: boolean): Promise<DueRow[]> {
    const when = reminder
      ? `k.asked_at IS NOT NULL AND k.reminded_at IS NULL
         AND k.asked_at <= $1::timestamptz - make_interval(hours => $3::int)
         AND k.asked_at > $1::timestamptz - make_interval(days => $4::int)`
      : `k.asked_at IS NULL AND k.due_at <= $1 AND k.due_at > $1::timestamptz - make_interval(days => $4::int)
         AND $3::int >= 0`;
    const { rows } = await pool.query<DueRow>(
      `SELECT k.id, k.enrolment_id, e.person_id, c.code, c.title, c.title_en, k.months,
              ${surveyRecipientColumns('p')}
       FROM employment_checks k
       JOIN enrolments e ON e.id = k.enrolment_id AND e.status IN ${TRAINEE_STATUSES}
       JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL
       JOIN courses c ON c.id = k.course_id
       ${surveyRecipientJoin('e.person_id', '$2')}
       WHERE k.answered_at IS NULL AND ${when}
       ORDER BY k.due_at LIMIT 5000`,
      [
        now,
        deps.channels,
        settings.reminderHours,
        reminder ? settings.answerDays : settings.employmentWindowDays,
      ],
    );
    return rows;
  }

  async function send(now: Date, reminder: boolean): Promise<{ sent: number; unreachable: number }> {
    const rows = await due(now, reminder);
    const { items, ids, unreachable } = outboxItems(
      rows,
      (row, t, title, who) => {
        const months = row.months ?? 0;
        return {
          key: reminder
            ? surveyKeys.employmentReminder(row.enrolment_id, months)
            : surveyKeys.employment(row.enrolment_id, months),
          kind: reminder ? SURVEY_KINDS.employmentReminder : SURVEY_KINDS.employment,
          message: {
            // To a proxy: whose course it is, by name.
            text: t(`surveys:employment.${reminder ? 'reminder' : 'ask'}${who ? 'Family' : ''}`, {
              code: row.code,
              title,
              months,
              who,
            }),
            choices: employmentChoices(t, row.id),
          },
        };
      },
      deps.translator,
    );
    if (!items.length) return { sent: 0, unreachable };
    await queueThenStamp(deps.outbox, pool, 'employment_checks', ids, items, reminder, now);
    return { sent: items.length, unreachable };
  }

  const why = (personId: string, checkId: string) =>
    whyNotSaved(pool, 'employment_checks', checkId, personId);

  return {
    async run(now: Date): Promise<SurveyPass> {
      const created = await create(now);
      const asked = await send(now, false);
      const reminded = settings.reminderHours > 0 ? await send(now, true) : { sent: 0, unreachable: 0 };
      return { created, asked: asked.sent, reminded: reminded.sent, unreachable: asked.unreachable };
    },

    async answer(
      personId: string,
      checkId: string,
      answer: EmploymentAnswer,
      now: Date,
    ): Promise<SurveyAnswerOutcome> {
      if (!isUuid(checkId) || !EMPLOYMENT_ANSWERS.includes(answer)) return 'not_found';
      const { rowCount } = await pool.query(
        `UPDATE employment_checks k SET status = $3, answered_at = $4
         FROM enrolments e
         WHERE k.id = $1 AND e.id = k.enrolment_id AND ${mayAnswer('e.person_id', '$2')} AND k.answered_at IS NULL
           AND k.asked_at IS NOT NULL AND k.asked_at > $4::timestamptz - make_interval(days => $5::int)`,
        [checkId, personId, answer, now, settings.answerDays],
      );
      return rowCount ? 'saved' : why(personId, checkId);
    },

    async details(
      personId: string,
      checkId: string,
      details: { trade?: string; county?: string },
    ): Promise<SurveyAnswerOutcome> {
      if (!isUuid(checkId)) return 'not_found';
      const { rowCount } = await pool.query(
        `UPDATE employment_checks k SET trade = $3, county = $4
         FROM enrolments e
         WHERE k.id = $1 AND e.id = k.enrolment_id AND ${mayAnswer('e.person_id', '$2')}
           AND k.answered_at IS NOT NULL AND k.trade IS NULL AND k.county IS NULL`,
        [checkId, personId, details.trade ?? null, details.county ?? null],
      );
      return rowCount ? 'saved' : why(personId, checkId);
    },
  };
}

export type EmploymentService = ReturnType<typeof createEmploymentService>;
