import type { LocalizedString } from '../courses/course-types';
import type { FamilyRelation } from '../domain';

/**
 * The satisfaction question at course end and the employment follow-up months later (issue 20, items 3 and 4;
 * docs/surveys.md): what the dialog asks of the database, through this port (services/satisfaction-service.ts
 * and services/employment-service.ts implement it).
 */

/** Answers to the employment follow-up, as stored in employment_checks.status. */
export const EMPLOYMENT_ANSWERS = ['employed', 'self_employed', 'looking', 'not_looking'] as const;
export type EmploymentAnswer = (typeof EMPLOYMENT_ANSWERS)[number];

/** The question a person was asked last and has not answered, while it still takes an answer. */
export type OpenQuestion =
  | { kind: 'satisfaction'; id: string; course: SurveyCourse; member?: SurveyMember }
  | { kind: 'employment'; id: string; months: number; course: SurveyCourse; member?: SurveyMember };

/**
 * Set when the question is about a family member the person signed up (it was sent to them as the proxy):
 * whose course it is, so that every question and answer names one person.
 */
export interface SurveyMember {
  name: string | null;
  relation: FamilyRelation;
}

export interface SurveyCourse {
  code: string;
  title: LocalizedString;
}

/**
 * saved: taken; already: this question was answered before (the first answer stays); closed: asked too long
 * ago; not_found: not this person's question (or no such question).
 */
export type SurveyAnswerOutcome = 'saved' | 'already' | 'closed' | 'not_found';

/** What the trainee says back, and where those answers are kept. */
export interface SurveyPort {
  /**
   * Every question sent to this person (about themselves, or as the proxy of a family member) and not answered,
   * while it takes an answer; the latest asked first. More than one of a kind: a typed answer is not guessed.
   */
  openAll(personId: string, now: Date): Promise<OpenQuestion[]>;
  rate(personId: string, surveyId: string, rating: number, now: Date): Promise<SurveyAnswerOutcome>;
  /** The optional comment after a rating (masked, at most COMMENT_MAX characters). */
  comment(personId: string, surveyId: string, comment: string): Promise<SurveyAnswerOutcome>;
  answerEmployment(
    personId: string,
    checkId: string,
    answer: EmploymentAnswer,
    now: Date,
  ): Promise<SurveyAnswerOutcome>;
  /** The optional trade and county after the employment answer (ids when recognised, else short text). */
  employmentDetails(
    personId: string,
    checkId: string,
    details: { trade?: string; county?: string },
  ): Promise<SurveyAnswerOutcome>;
}

/** A comment longer than this is cut (the person is told). */
export const COMMENT_MAX = 500;
/** Free text kept for a trade nobody recognised ("修手机"). */
export const TRADE_TEXT_MAX = 40;

/** The prefixes of the delivery keys below (services/satisfaction-survey-port.ts matches them in SQL). */
export const SURVEY_KEY_PREFIXES = {
  satisfaction: 'survey:',
  satisfactionReminder: 'survey-reminder:',
  employment: 'employment:',
  employmentReminder: 'employment-reminder:',
} as const;

/** The delivery keys of the questions and their one reminder: unique, so a retried job sends nothing twice. */
export const surveyKeys = {
  satisfaction: (enrolmentId: string) => `${SURVEY_KEY_PREFIXES.satisfaction}${enrolmentId}`,
  satisfactionReminder: (enrolmentId: string) => `${SURVEY_KEY_PREFIXES.satisfactionReminder}${enrolmentId}`,
  employment: (enrolmentId: string, months: number) =>
    `${SURVEY_KEY_PREFIXES.employment}${enrolmentId}:${months}`,
  employmentReminder: (enrolmentId: string, months: number) =>
    `${SURVEY_KEY_PREFIXES.employmentReminder}${enrolmentId}:${months}`,
};

/**
 * The delivery kinds: none is a reminder of a class or a notice about one, so a person who said "退订" for
 * optional messages on a channel gets none of them there (issue 19's opt-out applies them by kind).
 */
export const SURVEY_KINDS = {
  satisfaction: 'survey',
  satisfactionReminder: 'survey_reminder',
  employment: 'employment_check',
  employmentReminder: 'employment_reminder',
} as const;
