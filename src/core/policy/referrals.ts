import { z } from 'zod';
import { normalizeText } from '../nlu/normalize';
import { POLICY_CONFIDENCE_THRESHOLD } from './thresholds';

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
        /** Referred even when the message is about training (the plan says nothing of it at all). */
        always: z.boolean().optional(),
        /** Referred when merely told, not asked ("the factory hasn't paid us"): telling it is a call for help. */
        saidToo: z.boolean().optional(),
        /** Patterns that keep a message out of the topic ("我的证书怎么查" is the person's own certificate here). */
        unless: z.array(z.string().min(1)).optional(),
      }),
    )
    .min(1),
});

export interface Referrals {
  /** The topic id a message is about, if it names one (first in file order). */
  find(text: string): string | undefined;
  /** Whether a topic is referred even when the message is about training. */
  always(topic: string): boolean;
  /** Whether a topic is referred when merely told in a statement nothing else understood. */
  saidToo(topic: string): boolean;
}

export function createReferrals(json: unknown): Referrals {
  const table = referralTableSchema.parse(json);
  const compiled = table.topics.map((t) => ({
    id: t.id,
    re: new RegExp(t.match.map((m) => `(?:${m})`).join('|'), 'u'),
    unless: t.unless && new RegExp(t.unless.map((m) => `(?:${m})`).join('|'), 'u'),
  }));
  const always = new Set(table.topics.filter((t) => t.always).map((t) => t.id));
  const saidToo = new Set(table.topics.filter((t) => t.saidToo).map((t) => t.id));
  // A turn asks about the same message up to three times (the route's checks, then the referral itself).
  let last: { text: string; topic: string | undefined } | undefined;
  return {
    find(text) {
      if (last?.text === text) return last.topic;
      // Phone keyboards type ’ for the apostrophe ("hasn’t paid us").
      const t = normalizeText(text).replace(/[’‘]/g, "'");
      const topic = compiled.find((c) => c.re.test(t) && !c.unless?.test(t))?.id;
      last = { text, topic };
      return topic;
    },
    always: (topic) => always.has(topic),
    saidToo: (topic) => saidToo.has(topic),
  };
}

/** No referral topics (a city whose data has none): nothing is referred. */
export const NO_REFERRALS: Referrals = {
  find: () => undefined,
  always: () => false,
  saidToo: () => false,
};

/**
 * A message about training itself, or about skills ranks and contests (升等级, 破格晋升, 比赛), which the plan may
 * answer even when it names another office's matter (文凭 in "比赛拿了奖，没文凭能升等级不").
 */
const ABOUT_TRAINING =
  /培训|学技术|学手艺|好学|学完|学(什么|啥|哪|个|门|点)|技能|课程|学徒|创业|技术等级|升等级|晋升|破格|竞赛|比赛|就业(技能)?培训|就业创业|就业能力|教育经费|培训经费|\b(training|course|class|apprentic\w*|skills?|learn\w*|start-?up|business)\b/i;

/**
 * The office a message is referred to, if any: "医保怎么交" is another office's matter whatever the plan
 * matches; "低保户能免费参加技能培训吗" is about training and is referred only when the plan cannot answer it
 * surely: where it could only offer near clauses ("当学徒期间厂里给交五险一金不"), the office is the better answer.
 */
export function referralFor(
  referrals: Referrals,
  text: string,
  planConfidence: () => number,
): string | undefined {
  const topic = referrals.find(text);
  if (!topic) return undefined;
  return referrals.always(topic) ||
    !ABOUT_TRAINING.test(text) ||
    planConfidence() < POLICY_CONFIDENCE_THRESHOLD
    ? topic
    : undefined;
}
