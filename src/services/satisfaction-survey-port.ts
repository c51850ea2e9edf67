import type pg from 'pg';
import type { OpenQuestion, SurveyPort } from '../core/outcomes/surveys';
import type { EmploymentService } from './employment-service';
import type { SatisfactionService } from './satisfaction-service';

/**
 * The dialog's side of both questions (core/outcomes/surveys.ts): which one a person has open, and where
 * their answers go. The open one is the latest asked (or reminded) and unanswered, within SURVEY_ANSWER_DAYS.
 */
export function createSurveyPort(deps: {
  pool: pg.Pool;
  satisfaction: SatisfactionService;
  employment: EmploymentService;
  answerDays: number;
}): SurveyPort {
  return {
    async open(personId, now) {
      const { rows } = await deps.pool.query<{
        kind: OpenQuestion['kind'];
        id: string;
        months: number | null;
        code: string;
        title: string;
        title_en: string | null;
      }>(
        `SELECT q.kind, q.id, q.months, c.code, c.title, c.title_en FROM (
           SELECT 'satisfaction' AS kind, s.id, NULL::int AS months, s.course_id,
                  COALESCE(s.reminded_at, s.asked_at) AS last_asked, s.asked_at
           FROM satisfaction_surveys s JOIN enrolments e ON e.id = s.enrolment_id
           WHERE e.person_id = $1 AND s.asked_at IS NOT NULL AND s.answered_at IS NULL
           UNION ALL
           SELECT 'employment', k.id, k.months, k.course_id, COALESCE(k.reminded_at, k.asked_at), k.asked_at
           FROM employment_checks k JOIN enrolments e ON e.id = k.enrolment_id
           WHERE e.person_id = $1 AND k.asked_at IS NOT NULL AND k.answered_at IS NULL
         ) q JOIN courses c ON c.id = q.course_id
         WHERE q.asked_at > $2::timestamptz - make_interval(days => $3::int)
         ORDER BY q.last_asked DESC LIMIT 1`,
        [personId, now, deps.answerDays],
      );
      const row = rows[0];
      if (!row) return undefined;
      const course = { code: row.code, title: { 'zh-CN': row.title, en: row.title_en ?? row.title } };
      return row.kind === 'employment'
        ? { kind: 'employment', id: row.id, months: row.months ?? 0, course }
        : { kind: 'satisfaction', id: row.id, course };
    },
    rate: (personId, surveyId, rating, now) => deps.satisfaction.rate(personId, surveyId, rating, now),
    comment: (personId, surveyId, comment) => deps.satisfaction.comment(personId, surveyId, comment),
    answerEmployment: (personId, checkId, answer, now) =>
      deps.employment.answer(personId, checkId, answer, now),
    employmentDetails: (personId, checkId, details) => deps.employment.details(personId, checkId, details),
  };
}
