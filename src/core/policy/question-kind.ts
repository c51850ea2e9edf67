import { standardizeDialect } from './dialect';

/**
 * What a policy question asks, read from the user's own words (zh-CN, including colloquial and Yunnan
 * speech such as 要钱不 / 得不得 / 整得成不 / 啷个 / 好多钱 / 哪个可以, and English). Pure: no I/O.
 */
export type QuestionKind = 'yesno' | 'amount' | 'who' | 'how' | 'where_when' | 'what' | 'other';

/** How a yes/no question is put, so the answer can echo it: 可以 / 有 / 会 / 是的. */
export type YesNoForm = 'can' | 'have' | 'will' | 'is';

/** Words that ask a figure wherever they stand. */
const FIGURE_WORDS_ZH = /多少|好多|几多|什么标准|啥子?标准|标准是|比例|金额|额度|几成/;
/** 几 with a measure word asks how many (几次, 几年); 十几 ("ten-odd"), 好几 ("several") and 哪几 ("which") never do. */
const HOW_MANY_ZH = /(?<![哪十好])几[次回年月天万千百元块项]/;
/** 几个 asks how many, or says "a few" in a statement ("想带几个徒弟"): see `aFewThenYesNo`. */
const AMOUNT_ZH = new RegExp(`${FIGURE_WORDS_ZH.source}|${HOW_MANY_ZH.source}|(?<![哪十好])几个`);
const AMOUNT_EN = /\bhow (much|many)\b|\bamount\b|\bwhat (is|are) the (rate|figure|sum)\b|\bpercentage\b/i;

const WHERE_WHEN_ZH =
  /哪里|哪儿|哪点|哪块|在哪|去哪|什么时候|啥子?时候|哪天|哪年|何时|几时|多久|多长时间|期限|截止|地点|地址/;
const WHERE_WHEN_EN = /\bwhere\b|\bwhen\b|\bhow long\b|\bdeadline\b|\bwhat time\b/i;

const HOW_ZH =
  /怎么|咋个?|啷个|如何|怎样|怎么办|咋办|咋弄|咋整|啷个整|流程|手续|步骤|申请|报名|办理|去办|在哪报/;
const HOW_EN = /\bhow (do|can|to|should|would|does)\b|\bapply\b|\bsign[- ]?up\b|\bregister\b|\benrol/i;
/** Words that ask how in so many words (not 申请/报名, which a "can I…?" question has too). */
const EXPLICIT_HOW = /怎么|咋|啷个|如何|怎样|流程|手续|步骤|\bhow\b/i;

/** "两后生是什么人" defines a group (what); "哪些人可以参加" asks who qualifies. */
const DEFINES_GROUP_ZH = /(是|指)(什么|啥子?|哪种|哪类)(人|意思)/;
const WHO_ZH =
  /谁|哪些人|哪种人|哪类人|什么人|啥子?人|哪个(可以|能|能够|得|有资格|符合)|条件|资格|符合|对象|够格/;
const WHO_EN =
  /\bwho\b|\bwhich (department|office)\b|\beligib|\bqualif|\bwhich (people|groups?)\b|\brequirements?\b/i;

const WHAT_ZH =
  /是什么|是啥|啥子|什么意思|啥意思|指的是|指什么|包括|内容|学什么|学些什么|培训什么|有哪些|有什么|有啥|哪些|哪几|什么样|什么培训|啥培训|讲的|介绍/;
const WHAT_EN = /\bwhat\b|\bwhich\b|\btell me about\b|\bexplain\b|\bmeaning\b/i;

/** A不A asks yes or no (管不管, 支不支持), unless 都/也 follows it ("去不去都行"). */
export const A_NOT_A = /(?<verb>[\u4e00-\u9fff])不\k<verb>(?![^，,。？?\s]{0,2}[都也])/;
const YESNO_ZH = new RegExp(
  `${/([吗嘛]|(?<!什)么)\s*$|([吗嘛]|(?<!什)么)[？?!！。\s]|不\s*[？?!！。]?\s*$|[没莫]得?\s*[？?!！。]?\s*$|没有\s*[？?!！。]?\s*$|能不能|可不可|有没有|有不有|是不是|要不要|收不收|会不会|行不行|给不给|算不算|补不补|包不包|管不管|办不办|去不去|学不学|得不得|整得成|要得不|是否|能否|可否|成不/.source}|${A_NOT_A.source}`,
);
const YESNO_EN =
  /^\s*(is|are|can|could|do|does|did|will|would|should|may|might|am|have|has|shall)\b|\bis it (free|possible|true)\b/i;

/** Questions about paying for training; the plan never says training is free, so they are answered with care. */
const COST_ZH = /要钱|收钱|花钱|交钱|给钱|出钱|收费|缴费|交费|付费|免费|自费|费用|学费|要不要钱|掏钱/;
const COST_EN = /\bfree\b|\bcost|\bfees?\b|\bpay\b|\bcharge/i;

const HAVE_ZH =
  /有没有|(补贴|补助|补|给)(不|没得?|没有)\s*[？?!！。]?\s*$|给不给|有(.{0,12})(吗|不|[没莫]得?|没有)\s*[？?!！。]?\s*$|没得|莫得|有\S{0,12}[吗嘛]/;
const IS_ZH = /是不是|是否/;
const CHOICE_ZH = /\S还是\S/;
const CHOICE_EN = /^\s*(is|are|do|does|will|would|should|can)\b.*\b\w+ or (to |for |the |a )?\w+/i;
/** 能 as "can", not inside a noun (技能, 功能, 才能, 职能). */
const CAN_ZH = /(?<![技功才职性智体本潜效动])能|可以|可不可以|得不得|整得成|要得不|行不/;
const RESPONSIBLE_ZH =
  /谁来?(管|负责|出|牵头|组织|办)|哪个部门|哪个单位|哪些部门|哪个来?(管|负责|牵头|组织)|找谁|归谁|哪里管/;
const RESPONSIBLE_EN =
  /\bwho (runs|pays|is responsible|manages|organi[sz]es)\b|\bwhich (department|office)\b/i;

/**
 * "想带几个徒弟 政府支不支持": 几个 in an earlier statement means "a few"; the question is the last clause, which
 * asks yes or no. ("一年能参加几回培训啊" keeps its figure: 几回 is in the last clause.)
 */
function aFewThenYesNo(q: string): boolean {
  // 几次, 几年, 几天 … ask a figure wherever they stand ("一年培训几次，免不免费"); only 几个 says "a few".
  if (FIGURE_WORDS_ZH.test(q) || HOW_MANY_ZH.test(q)) return false;
  const clauses = q.split(/[，,。；;！!？?\s]+/).filter(Boolean);
  const last = clauses.at(-1) ?? '';
  return clauses.length > 1 && !AMOUNT_ZH.test(last) && YESNO_ZH.test(last);
}

/** The kind of question; the first match in this order wins (a figure outranks a yes/no form, etc.). */
export function detectQuestionKind(text: string): QuestionKind {
  // Zhaotong speech read as standard Mandarin first: 有没得 → 有没有, 哪点 → 哪里, 咋个考 → 怎么考.
  const q = standardizeDialect(text).trim();
  if (!q) return 'other';
  if ((AMOUNT_ZH.test(q) && !aFewThenYesNo(q)) || AMOUNT_EN.test(q)) return 'amount';
  if (WHERE_WHEN_ZH.test(q) || WHERE_WHEN_EN.test(q)) return 'where_when';
  if (DEFINES_GROUP_ZH.test(q)) return 'what';
  if (WHO_ZH.test(q) || RESPONSIBLE_ZH.test(q) || WHO_EN.test(q)) return 'who';
  // "网上能报名不", "可以申请补贴吗", "Can I sign up online?": whether one can do it, not how — unless the words
  // ask how (怎么, 如何, 流程, how).
  if (
    !EXPLICIT_HOW.test(q) &&
    !/什么|啥|哪些|哪样/.test(q) &&
    (CAN_ZH.test(q) || /^\s*(can|could|may)\b/i.test(q)) &&
    (YESNO_ZH.test(q) || YESNO_EN.test(q))
  )
    return 'yesno';
  // 咋办 / 怎么办 ask for help in general, not for steps.
  if (HOW_ZH.test(q.replace(/怎么办|咋办|咋整|啷个办/g, '')) || HOW_EN.test(q)) return 'how';
  // "给企业还是给个人", "to the company or to me?": a choice between two, which 是的/Yes does not answer.
  if (CHOICE_ZH.test(q) || CHOICE_EN.test(q)) return 'other';
  if (YESNO_ZH.test(q) && !/什么|啥|哪些/.test(q)) return 'yesno';
  if (WHAT_ZH.test(q) || WHAT_EN.test(q)) return 'what';
  if (/什么|啥/.test(q)) return 'what';
  if (YESNO_ZH.test(q) || YESNO_EN.test(q)) return 'yesno';
  return 'other';
}

/** Whether the question is about paying (要钱吗 / 收不收费 / is it free). */
export function asksAboutCost(text: string): boolean {
  return COST_ZH.test(text) || COST_EN.test(text);
}

/** How a Chinese yes/no question is put: 是不是 → 是的, 能/可以 → 可以, 会 → 会, 有…吗 → 有, otherwise 是的. */
export function yesNoForm(asked: string): YesNoForm {
  const text = standardizeDialect(asked);
  if (IS_ZH.test(text)) return 'is';
  if (CAN_ZH.test(text)) return 'can';
  if (/会/.test(text)) return 'will';
  if (HAVE_ZH.test(text)) return 'have';
  return 'is';
}

/**
 * "考电工证难不难", "这个培训有没有用", "学徒制靠不靠谱": asks for a judgement the plan never makes, so never answered "yes".
 */
const JUDGEMENT =
  /(难|累|远|贵|苦|容易|简单|麻烦|划算|实用|好学|好考)(不|没)\1|辛不辛苦|靠不靠谱|值不值得?|有没有用|有用没|有没有前途|好不好(学|考|找)|(难|好)(学|考)(吗|不|嘛|么)|\b(is it|are they) (worth|useful|hard|difficult|easy)\b/u;

export function asksJudgement(text: string): boolean {
  return JUDGEMENT.test(text);
}

/** A "who" question about who is in charge (谁来管 / 哪个部门), not who may take part. */
export function asksWhoIsResponsible(text: string): boolean {
  return RESPONSIBLE_ZH.test(text) || RESPONSIBLE_EN.test(text);
}
