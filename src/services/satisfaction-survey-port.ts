import type pg from 'pg';
import { FAMILY_RELATIONS } from '../core/domain';
import { type OpenQuestion, SURVEY_KEY_PREFIXES, type SurveyPort } from '../core/outcomes/surveys';
import type { EmploymentService } from './employment-service';
import type { SatisfactionService } from './satisfaction-service';

const KEYS = SURVEY_KEY_PREFIXES;
/** A constant as an SQL string literal (the key prefixes are ours, never user input). */
const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The questions sent to a person: their own, and those about a family member they signed up that went to them
 * as the proxy (the delivery ledger says who a question or its reminder was written to). $1 = person.
 */
const SENT_TO = (key: string, reminderKey: string) => `(e.person_id = $1 OR EXISTS (
  SELECT 1 FROM deliveries d WHERE d.key IN (${key}, ${reminderKey}) AND d.person_id = $1))`;

/** The person's own enrolments and those of the family members they signed up. $1 = person. */
const MINE_OR_MEMBERS =
  'e.person_id = ANY(ARRAY(SELECT $1::uuid UNION ALL SELECT member_id FROM family_links WHERE proxy_id = $1))';
/** Asked within the answer window. $2 = now, $3 = the window in days. */
const IN_WINDOW = (asked: string) => `${asked} > $2::timestamptz - make_interval(days => $3::int)`;

/**
 * Whether anything could be open at all: the person's or a family member's question asked and unanswered in
 * the window, nothing more. Almost always false, and a fraction of the full query's cost (most of which was
 * planning it); a typed "创业了" or "很满意" from someone with nothing open costs only this. Same parameters.
 */
const ANY_OPEN_SQL = `SELECT EXISTS (
    SELECT 1 FROM satisfaction_surveys s JOIN enrolments e ON e.id = s.enrolment_id
    WHERE ${IN_WINDOW('s.asked_at')} AND s.answered_at IS NULL AND ${MINE_OR_MEMBERS}
  ) OR EXISTS (
    SELECT 1 FROM employment_checks k JOIN enrolments e ON e.id = k.enrolment_id
    WHERE ${IN_WINDOW('k.asked_at')} AND k.answered_at IS NULL AND ${MINE_OR_MEMBERS}
  ) AS open`;

/**
 * The dialog's side of both questions (core/outcomes/surveys.ts): which ones a person has open, and where
 * their answers go. The open ones are asked (or reminded) and unanswered, within SURVEY_ANSWER_DAYS; a
 * proxy's include their family members' (docs/surveys.md, "Family members").
 */
export function createSurveyPort(deps: {
  pool: pg.Pool;
  satisfaction: SatisfactionService;
  employment: EmploymentService;
  answerDays: number;
}): SurveyPort {
  async function openAll(personId: string, now: Date): Promise<OpenQuestion[]> {
    const values = [personId, now, deps.answerDays];
    const gate = await deps.pool.query<{ open: boolean }>({
      name: 'jineng_survey_any_open',
      text: ANY_OPEN_SQL,
      values,
    });
    if (!gate.rows[0]?.open) return [];
    const { rows } = await deps.pool.query<{
      kind: OpenQuestion['kind'];
      id: string;
      months: number | null;
      code: string;
      title: string;
      title_en: string | null;
      member_id: string;
      member_name: string | null;
      relation: string | null;
    }>({
      // Named, so each connection plans it once: its planning cost more than the rest of a turn (docs/benchmarks.md).
      name: 'jineng_survey_open_all',
      text: `SELECT q.kind, q.id, q.months, c.code, c.title, c.title_en, q.member_id, m.real_name AS member_name,
              (SELECT f.relation FROM family_links f WHERE f.proxy_id = $1 AND f.member_id = q.member_id) AS relation
       FROM (
         SELECT 'satisfaction' AS kind, s.id, NULL::int AS months, s.course_id, e.person_id AS member_id,
                COALESCE(s.reminded_at, s.asked_at) AS last_asked, s.asked_at
         FROM satisfaction_surveys s JOIN enrolments e ON e.id = s.enrolment_id
         WHERE s.asked_at IS NOT NULL AND s.answered_at IS NULL
           AND ${MINE_OR_MEMBERS}
           AND ${SENT_TO(`${sqlText(KEYS.satisfaction)} || s.enrolment_id`, `${sqlText(KEYS.satisfactionReminder)} || s.enrolment_id`)}
         UNION ALL
         SELECT 'employment', k.id, k.months, k.course_id, e.person_id, COALESCE(k.reminded_at, k.asked_at),
                k.asked_at
         FROM employment_checks k JOIN enrolments e ON e.id = k.enrolment_id
         WHERE k.asked_at IS NOT NULL AND k.answered_at IS NULL
           AND ${MINE_OR_MEMBERS}
           AND ${SENT_TO(
             `${sqlText(KEYS.employment)} || k.enrolment_id || ':' || k.months`,
             `${sqlText(KEYS.employmentReminder)} || k.enrolment_id || ':' || k.months`,
           )}
       ) q JOIN courses c ON c.id = q.course_id
       JOIN people m ON m.id = q.member_id AND m.deleted_at IS NULL
       WHERE ${IN_WINDOW('q.asked_at')}
       ORDER BY q.last_asked DESC, q.id LIMIT 20`,
      values,
    });
    return rows.map((row): OpenQuestion => {
      const course = { code: row.code, title: { 'zh-CN': row.title, en: row.title_en ?? row.title } };
      const member =
        row.member_id === personId
          ? undefined
          : {
              name: row.member_name,
              relation: FAMILY_RELATIONS.find((r) => r === row.relation) ?? 'other',
            };
      return row.kind === 'employment'
        ? { kind: 'employment', id: row.id, months: row.months ?? 0, course, member }
        : { kind: 'satisfaction', id: row.id, course, member };
    });
  }

  return {
    openAll,
    rate: (personId, surveyId, rating, now) => deps.satisfaction.rate(personId, surveyId, rating, now),
    comment: (personId, surveyId, comment) => deps.satisfaction.comment(personId, surveyId, comment),
    answerEmployment: (personId, checkId, answer, now) =>
      deps.employment.answer(personId, checkId, answer, now),
    employmentDetails: (personId, checkId, details) => deps.employment.details(personId, checkId, details),
  };
}
