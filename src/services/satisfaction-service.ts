import type pg from 'pg';
import type { Config } from '../config';
import { satisfactionChoices } from '../core/dialog/flows/surveys/surveys-flow';
import { asLocale, FAMILY_RELATIONS, inLocale } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { ChannelName } from '../core/message';
import { SURVEY_KINDS, type SurveyAnswerOutcome, surveyKeys } from '../core/outcomes/surveys';
import type { Outbox, OutboxItem } from '../delivery/outbox';
import { sessionKeyOf } from '../delivery/recipients';
import { mayAnswer, surveyRecipientColumns, surveyRecipientJoin } from './survey-recipient';
import { queueThenStamp, whyNotSaved } from './survey-rows';

/** The settings both questions go by (src/config.ts: SURVEY_*, EMPLOYMENT_CHECK_*; docs/surveys.md). */
export interface SurveySettings {
  /** A course not marked finished counts as finished this many days after its last class ended; 0: never. */
  fallbackDays: number;
  /** The satisfaction question goes out while the course finished less than this many days ago. */
  maxAgeDays: number;
  /** One reminder this many hours after an unanswered question; 0: none. */
  reminderHours: number;
  /** Answers are taken this many days after a question was asked. */
  answerDays: number;
  /** Months after completion of each employment follow-up. */
  employmentMonths: readonly number[];
  /** A follow-up due longer ago than this many days is not sent any more. */
  employmentWindowDays: number;
}

export interface SurveyServiceDeps {
  pool: pg.Pool;
  outbox: Outbox;
  /** The channels proactive messages may use (Delivery.channels). */
  channels: readonly ChannelName[];
  translator: Translator;
  settings: SurveySettings;
}

/** What one pass did: questions queued, reminders queued, and people with no reachable chat (tried again later). */
export interface SurveyPass {
  created: number;
  asked: number;
  reminded: number;
  unreachable: number;
}

/**
 * Each course that has finished, with when: `done_at` (completed_at, or else the end of its last class when
 * the fallback is on) and `ask_from` (completed_at, or that end plus the fallback days). $1 = now, $2 = days.
 */
export const FINISHED_COURSES = `
  SELECT c.id AS course_id,
         COALESCE(c.completed_at, last.ends_at) AS done_at,
         COALESCE(c.completed_at, last.ends_at + make_interval(days => $2::int)) AS ask_from
  FROM courses c
  LEFT JOIN LATERAL (SELECT max(s.ends_at) AS ends_at FROM class_sessions s
                     WHERE s.course_id = c.id AND NOT s.cancelled) last ON true
  WHERE c.status <> 'cancelled'
    AND (c.completed_at IS NOT NULL
         OR ($2::int > 0 AND last.ends_at <= $1::timestamptz - make_interval(days => $2::int)))`;

/** Trainees who took part: a seat held to the end, or marked attended. */
export const TRAINEE_STATUSES = `('confirmed', 'attended')`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);

/** One question or reminder to send, as the queries below return it. */
export interface DueRow {
  id: string;
  enrolment_id: string;
  person_id: string;
  locale: string;
  code: string;
  title: string;
  title_en: string | null;
  months: number | null;
  channel: ChannelName | null;
  chat_id: string | null;
  external_id: string | null;
  /** Set when the trainee has no chat of their own and the question goes to the family member who signed them up. */
  proxy_id: string | null;
  member_name: string | null;
  relation: string | null;
}

/** "您女儿王小红": whose question it is, for a proxy (survey-recipient.ts); undefined for the trainee's own chat. */
function whoOf(row: DueRow, t: ReturnType<Translator['forLocale']>): string | undefined {
  if (!row.proxy_id) return undefined;
  const rel = t(`enrol:family.relation.${FAMILY_RELATIONS.find((r) => r === row.relation) ?? 'other'}`);
  return row.member_name ? t('enrol:family.who', { rel, name: row.member_name }) : rel;
}

/** The outbox items for due rows with a reachable chat; the others are counted, and tried again next pass. */
export function outboxItems(
  rows: readonly DueRow[],
  build: (
    row: DueRow,
    t: ReturnType<Translator['forLocale']>,
    title: string,
    who: string | undefined,
  ) => Omit<OutboxItem, 'address' | 'personId'>,
  translator: Translator,
): { items: OutboxItem[]; ids: string[]; unreachable: number } {
  const items: OutboxItem[] = [];
  const ids: string[] = [];
  for (const row of rows) {
    if (!row.channel || !row.chat_id || !row.external_id) continue;
    const locale = asLocale(row.locale);
    const t = translator.forLocale(locale);
    const identity = { channel: row.channel, chatId: row.chat_id, externalId: row.external_id };
    const item = build(row, t, inLocale(locale, row.title, row.title_en), whoOf(row, t));
    items.push({
      ...item,
      // The one written to: the trainee, or their proxy (whose opt-out and quiet hours then apply).
      personId: row.proxy_id ?? row.person_id,
      address: { channel: identity.channel, chatId: identity.chatId },
      message: { ...item.message, sessionKey: sessionKeyOf(identity) },
    });
    ids.push(row.id);
  }
  return { items, ids, unreachable: rows.length - ids.length };
}

/**
 * The satisfaction question at course end (issue 20, item 3): one row per trainee, the question queued once
 * (survey:<enrolment>), one reminder at most (survey-reminder:<enrolment>), answers 1-5 and an optional
 * comment. Reports show them only added up per course and provider, never with names.
 */
export function createSatisfactionService(deps: SurveyServiceDeps) {
  const { pool, settings } = deps;

  /** Rows for every trainee of a course that finished lately; the unique enrolment makes it idempotent. */
  async function create(now: Date): Promise<number> {
    const { rowCount } = await pool.query(
      `INSERT INTO satisfaction_surveys (id, enrolment_id, course_id, created_at)
       SELECT gen_random_uuid(), e.id, e.course_id, $1
       FROM (${FINISHED_COURSES}) d
       JOIN enrolments e ON e.course_id = d.course_id AND e.status IN ${TRAINEE_STATUSES}
       JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL
       WHERE d.ask_from <= $1 AND d.ask_from > $1::timestamptz - make_interval(days => $3::int)
       ON CONFLICT (enrolment_id) DO NOTHING`,
      [now, settings.fallbackDays, settings.maxAgeDays],
    );
    return rowCount ?? 0;
  }

  /** Rows whose question (reminder: false) or reminder (true) is due now, with where to reach the person. */
  async function due(now: Date, reminder: boolean): Promise<DueRow[]> {
    const when = reminder
      ? `s.asked_at IS NOT NULL AND s.reminded_at IS NULL
         AND s.asked_at <= $1::timestamptz - make_interval(hours => $3::int)
         AND s.asked_at > $1::timestamptz - make_interval(days => $4::int)`
      : `s.asked_at IS NULL AND s.created_at > $1::timestamptz - make_interval(days => $4::int)
         AND $3::int >= 0`;
    const { rows } = await pool.query<DueRow>(
      `SELECT s.id, s.enrolment_id, e.person_id, c.code, c.title, c.title_en, NULL::int AS months,
              ${surveyRecipientColumns('p')}
       FROM satisfaction_surveys s
       JOIN enrolments e ON e.id = s.enrolment_id AND e.status IN ${TRAINEE_STATUSES}
       JOIN people p ON p.id = e.person_id AND p.deleted_at IS NULL
       JOIN courses c ON c.id = s.course_id
       ${surveyRecipientJoin('e.person_id', '$2')}
       WHERE s.answered_at IS NULL AND ${when}
       ORDER BY s.created_at LIMIT 5000`,
      [now, deps.channels, settings.reminderHours, reminder ? settings.answerDays : settings.maxAgeDays],
    );
    return rows;
  }

  async function send(now: Date, reminder: boolean): Promise<{ sent: number; unreachable: number }> {
    const rows = await due(now, reminder);
    const { items, ids, unreachable } = outboxItems(
      rows,
      (row, t, title, who) => ({
        key: reminder
          ? surveyKeys.satisfactionReminder(row.enrolment_id)
          : surveyKeys.satisfaction(row.enrolment_id),
        kind: reminder ? SURVEY_KINDS.satisfactionReminder : SURVEY_KINDS.satisfaction,
        message: {
          // To a proxy: whose course it is, by name ("您为您女儿王小红报名的…").
          text: t(`surveys:satisfaction.${reminder ? 'reminder' : 'ask'}${who ? 'Family' : ''}`, {
            code: row.code,
            title,
            who,
          }),
          choices: satisfactionChoices(t, row.id),
        },
      }),
      deps.translator,
    );
    if (!items.length) return { sent: 0, unreachable };
    await queueThenStamp(deps.outbox, pool, 'satisfaction_surveys', ids, items, reminder, now);
    return { sent: items.length, unreachable };
  }

  /** Why an answer was not taken. */
  const why = (personId: string, surveyId: string) =>
    whyNotSaved(pool, 'satisfaction_surveys', surveyId, personId);

  return {
    /** One pass of the survey job at `now`. */
    async run(now: Date): Promise<SurveyPass> {
      const created = await create(now);
      const asked = await send(now, false);
      const reminded = settings.reminderHours > 0 ? await send(now, true) : { sent: 0, unreachable: 0 };
      return { created, asked: asked.sent, reminded: reminded.sent, unreachable: asked.unreachable };
    },

    async rate(personId: string, surveyId: string, rating: number, now: Date): Promise<SurveyAnswerOutcome> {
      if (!isUuid(surveyId) || !Number.isInteger(rating) || rating < 1 || rating > 5) return 'not_found';
      const { rowCount } = await pool.query(
        `UPDATE satisfaction_surveys s SET rating = $3, answered_at = $4
         FROM enrolments e
         WHERE s.id = $1 AND e.id = s.enrolment_id AND ${mayAnswer('e.person_id', '$2')} AND s.answered_at IS NULL
           AND s.asked_at IS NOT NULL AND s.asked_at > $4::timestamptz - make_interval(days => $5::int)`,
        [surveyId, personId, rating, now, settings.answerDays],
      );
      return rowCount ? 'saved' : why(personId, surveyId);
    },

    async comment(personId: string, surveyId: string, comment: string): Promise<SurveyAnswerOutcome> {
      if (!isUuid(surveyId)) return 'not_found';
      const { rowCount } = await pool.query(
        `UPDATE satisfaction_surveys s SET comment = $3
         FROM enrolments e
         WHERE s.id = $1 AND e.id = s.enrolment_id AND ${mayAnswer('e.person_id', '$2')}
           AND s.answered_at IS NOT NULL AND s.comment IS NULL`,
        [surveyId, personId, comment],
      );
      return rowCount ? 'saved' : why(personId, surveyId);
    },
  };
}

export type SatisfactionService = ReturnType<typeof createSatisfactionService>;

/** The settings from the environment (src/config.ts). */
export function surveySettingsOf(
  config: Pick<
    Config,
    | 'SURVEY_FALLBACK_DAYS'
    | 'SURVEY_MAX_AGE_DAYS'
    | 'SURVEY_REMINDER_HOURS'
    | 'SURVEY_ANSWER_DAYS'
    | 'EMPLOYMENT_CHECK_MONTHS'
    | 'EMPLOYMENT_CHECK_WINDOW_DAYS'
  >,
): SurveySettings {
  return {
    fallbackDays: config.SURVEY_FALLBACK_DAYS,
    maxAgeDays: config.SURVEY_MAX_AGE_DAYS,
    reminderHours: config.SURVEY_REMINDER_HOURS,
    answerDays: config.SURVEY_ANSWER_DAYS,
    employmentMonths: config.EMPLOYMENT_CHECK_MONTHS,
    employmentWindowDays: config.EMPLOYMENT_CHECK_WINDOW_DAYS,
  };
}
