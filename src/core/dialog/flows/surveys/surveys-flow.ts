import { z } from 'zod';
import type { Translate } from '../../../i18n';
import { EMPLOYMENT_ANSWERS, type EmploymentAnswer } from '../../../outcomes/surveys';
import type { ChoiceOption } from '../../chat-session';
import { defineFlow } from '../../flow';

/**
 * The questions' own flow (issue 20, items 3 and 4). Its choices ride on the proactive messages the survey
 * job queues ("rate:<survey>:<1-5>", "work:<check>:<answer>"); a step is open only for the optional part
 * that follows an answer: the comment after a rating, the trade and county after the employment answer.
 */
export const surveysFlow = defineFlow({
  name: 'surveys',
  version: 1,
  steps: {
    // `who`: the family member the question is about, when the person answers as their proxy ("您女儿王小红").
    comment: z.object({ surveyId: z.string().max(64), who: z.string().max(80).optional() }),
    details: z.object({
      checkId: z.string().max(64),
      answer: z.enum(EMPLOYMENT_ANSWERS),
      who: z.string().max(80).optional(),
    }),
  },
});

/** The ratings in order, so that a typed "5" (the fifth choice) is 5. */
export function satisfactionChoices(t: Translate, surveyId: string): ChoiceOption[] {
  return [1, 2, 3, 4, 5].map((n) =>
    surveysFlow.choice(t(`surveys:satisfaction.choice.${n}`), `rate:${surveyId}:${n}`),
  );
}

export function employmentChoices(t: Translate, checkId: string): ChoiceOption[] {
  return EMPLOYMENT_ANSWERS.map((answer) =>
    surveysFlow.choice(t(`surveys:employment.choice.${answer}`), `work:${checkId}:${answer}`),
  );
}

export type SurveyChoice =
  | { kind: 'rate'; id: string; rating: number }
  | { kind: 'work'; id: string; answer: EmploymentAnswer }
  | { kind: 'skip' }
  | { kind: 'none' };

/** What a pressed choice of this flow means; anything malformed means nothing. */
export function readSurveyChoice(value: string | undefined): SurveyChoice {
  if (value === 'skip') return { kind: 'skip' };
  const [what, id, arg] = (value ?? '').split(':');
  if (!id || !arg) return { kind: 'none' };
  if (what === 'rate' && /^[1-5]$/.test(arg)) return { kind: 'rate', id, rating: Number(arg) };
  const answer = EMPLOYMENT_ANSWERS.find((a) => a === arg);
  if (what === 'work' && answer) return { kind: 'work', id, answer };
  return { kind: 'none' };
}

export const skipChoice = (t: Translate): ChoiceOption => surveysFlow.choice(t('surveys:skip'), 'skip');
