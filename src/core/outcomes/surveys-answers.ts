import { DateTime } from 'luxon';
import type { EmploymentAnswer } from './surveys';

/**
 * Typed answers to the satisfaction and employment questions ("5", "很满意", "一般", "还在找工作"), read only
 * when the person has such a question open: the same words at any other time mean what they usually do.
 */

const squash = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');

const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** Longest phrases first: "很不满意" before "不满意" before "满意". */
const RATING_WORDS: [string, number][] = [
  ['非常不满意', 1],
  ['很不满意', 1],
  ['特别不满意', 1],
  ['极不满意', 1],
  ['很差', 1],
  ['太差', 1],
  ['非常差', 1],
  ['特别差', 1],
  ['verydissatisfied', 1],
  ['veryunsatisfied', 1],
  ['verybad', 1],
  ['terrible', 1],
  ['verypoor', 1],
  ['不太满意', 2],
  ['不满意', 2],
  ['不好', 2],
  ['较差', 2],
  ['比较差', 2],
  ['差', 2],
  ['dissatisfied', 2],
  ['unsatisfied', 2],
  ['notsatisfied', 2],
  ['bad', 2],
  ['poor', 2],
  ['一般般', 3],
  ['一般', 3],
  ['还行', 3],
  ['还可以', 3],
  ['凑合', 3],
  ['马马虎虎', 3],
  ['过得去', 3],
  ['average', 3],
  ['soso', 3],
  ['neutral', 3],
  ['非常满意', 5],
  ['很满意', 5],
  ['特别满意', 5],
  ['十分满意', 5],
  ['超满意', 5],
  ['非常好', 5],
  ['很好', 5],
  ['太好了', 5],
  ['verysatisfied', 5],
  ['excellent', 5],
  ['verygood', 5],
  ['great', 5],
  ['比较满意', 4],
  ['满意', 4],
  ['挺好', 4],
  ['不错', 4],
  ['还不错', 4],
  ['satisfied', 4],
  ['good', 4],
];
const RATING_MAP = new Map(RATING_WORDS);

/** Words around a rating that change nothing: "我觉得很满意", "一般吧", "打5分". */
const LEAD = /^(我|我们)?(觉得|感觉|总体|总的来说|总体来说|还是|打|给|评|评分|评价|itwas|its|iam|im)*/;
const TAIL = /(吧|啊|呀|哦|噢|的|了|呢|嘛|哈|啦|分|星|颗星|points?|stars?|outof5|\/5)*$/;

/** A rating 1-5 from a short message, or undefined. */
export function parseRating(text: string): number | undefined {
  const stars = (text.match(/[★⭐]/gu) ?? []).length;
  if (stars >= 1 && stars <= 5 && squash(text.replace(/[★⭐☆]/gu, '')) === '') return stars;
  const s = squash(text).replace(LEAD, '').replace(TAIL, '');
  if (!s || s.length > 20) return undefined;
  if (/^[1-5]$/.test(s)) return Number(s);
  if (s.length === 1 && CN_DIGIT[s] !== undefined) return CN_DIGIT[s];
  return RATING_MAP.get(s);
}

/** Checked in this order: "没找到工作" is still looking, "不找工作了" is not looking. */
const EMPLOYMENT_PATTERNS: [RegExp, EmploymentAnswer][] = [
  [
    /不(想|打算|准备|用)?找(工作|活|事)?了?|暂时不找|没打算找|不想工作|在家(带|照顾)|上学|读书|退休|notlooking|notseeking|notworkingbychoice/,
    'not_looking',
  ],
  [
    /创业|自己(干|做|开)|开(了个?|家)?(店|厂|公司)|做(点)?生意|个体|自主|养殖|种植|selfemployed|ownbusiness|startedabusiness|myownbusiness|freelanc/,
    'self_employed',
  ],
  [
    /还?(在|正在)?找(工作|活|事)|没(有)?找到|没(有)?(工作|活干|事做)|待业|失业|还没(上班|就业)|stilllooking|notworking|looking|unemployed|nojob|jobhunting|searching/,
    'looking',
  ],
  [
    /(上班|就业|工作|打工)了|找到(了)?(工作|活)|有(工作|活干)|在(上班|打工|工厂|厂里)|已(经)?(就业|上班|工作)|被录用|employed|ihaveajob|gotajob|working|havejob/,
    'employed',
  ],
];

/** An employment answer from a short message ("还在找工作", "自己开了个店"), or undefined. */
export function parseEmploymentAnswer(text: string): EmploymentAnswer | undefined {
  const s = squash(text);
  if (!s || s.length > 40) return undefined;
  return EMPLOYMENT_PATTERNS.find(([pattern]) => pattern.test(s))?.[1];
}

/** When the follow-up `months` after completion is due: the same local day that many months later. */
export function employmentDueAt(completedAt: Date, months: number, timeZone: string): Date {
  return DateTime.fromJSDate(completedAt, { zone: timeZone }).plus({ months }).toJSDate();
}
