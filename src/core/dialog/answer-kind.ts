/**
 * What kind of answer a turn gave, reported with its citations (converse, the web chat API, the live
 * evaluation): the plan's answer, courses, courses with the plan's basis, a clarifying question, an honest
 * "the plan does not say", a staff-written curated answer (docs/curated-answers.md), or anything else (a
 * greeting, a sign-up step, a menu).
 */
export const ANSWER_KINDS = ['policy', 'course', 'both', 'clarify', 'abstain', 'curated', 'other'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];
