import { z } from 'zod';
import { normalizeText } from '../nlu/normalize';

/**
 * Topics the plan does not cover (医保, 低保, 驾照, 欠薪 …) and who answers them: data/nlu/referrals.json names
 * the topics and their patterns, locales policy:referral.<id> says where to ask. A question naming one is
 * answered "the plan does not say" with that office, instead of a clause that merely shares a word.
 */
export const referralTableSchema = z.object({
  topics: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z]+$/),
        match: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
});

export interface Referrals {
  /** The topic id a message is about, if it names one (first in file order). */
  find(text: string): string | undefined;
}

export function createReferrals(json: unknown): Referrals {
  const table = referralTableSchema.parse(json);
  const compiled = table.topics.map((t) => ({
    id: t.id,
    re: new RegExp(t.match.map((m) => `(?:${m})`).join('|'), 'u'),
  }));
  return {
    find(text) {
      const t = normalizeText(text);
      return compiled.find((c) => c.re.test(t))?.id;
    },
  };
}

/** No referral topics (a city whose data has none): nothing is referred. */
export const NO_REFERRALS: Referrals = { find: () => undefined };
