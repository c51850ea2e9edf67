import { standardizeDialect } from './dialect';
import type { QuestionKind } from './question-kind';

/**
 * Picks, from a clause's official text, the sentence(s) that answer a question, and the short phrase a
 * direct answer leads with. Everything returned is a verbatim substring of the clause text (an ellipsis
 * marks a cut), so figures, amounts, percentages and durations are never restated. Pure: no I/O.
 */

/** The lead-departments note closing a clause: "(市人社局牵头,市财政局配合)", sometimes left unclosed. */
const DEPARTMENT_NOTE = /[(（][^()（）]*(?:牵头|配合|负责)[^()（）]*(?:[)）]|$)/g;
const SENTENCE_END = /(?<=[。；;！？!?\n])/;
const PART_END = /(?<=[,，:：])/;
const TRAILING_PUNCTUATION = /[\s。；;，,：:！？!?]+$/;
export const ELLIPSIS = '…';

/** Colloquial and misspelt words mapped onto the plan's own wording before comparing. */
const NORMALISE: [RegExp, string][] = [
  [/啥子|啥/g, '什么'],
  [/咋个|啷个|咋/g, '怎么'],
  [/好多钱|好多/g, '多少'],
  [/见档|建当/g, '建档'],
  [/贫困户/g, '建档立卡贫困'],
  [/学徒志|学徒智/g, '学徒制'],
  [/两后身|两后声/g, '两后生'],
  [/退伍|当兵回来|当过兵/g, '退役军人'],
  [/娃儿|娃娃|孩子/g, '子女'],
  [/残废/g, '残疾'],
  [/打工/g, '务工'],
  [/下岗/g, '失业'],
  [/没得/g, '没有'],
  [/补多少/g, '补贴多少'],
  [/比赛/g, '竞赛'],
];

/** Question words and particles: they say what is asked, not what about, so they are not compared. */
const QUESTION_WORDS =
  /多少钱|多少|几次|怎么样|怎么|什么|如何|可不可以|可以|能不能|能够|有没有|是不是|要不要|得不得|整得成|哪些|哪里|哪个|谁|请问|一下|我们|我|你们|你|他们|想|[吗嘛么呢吧啊呀哦的了不没有是能要得会去]/g;

/** Bigrams found in most sentences weigh little. */
const COMMON = new Set(['培训', '技能', '职业', '就业', '开展', '人员', '实施', '我市', '劳动', '动者']);

const GROUPS =
  /建档立卡|两后生|农民工|毕业生|大学生|退役军人|残疾人|企业职工|职工|劳动力|劳动者|失业人员|转岗|青年|学生|子女|服刑人员|社区矫正|戒毒人员|农民|带头人|大户|创业人员|学徒/g;
/** One group named (not global: `test` must not carry state between calls). */
const GROUP = new RegExp(GROUPS.source);
const ELIGIBILITY = /面向|对象|为重点|符合条件|有意愿|有创业意愿|经审核|列入|具备|在劳动年龄/;
const HOW_TERMS = /申请|报名|登记|平台|申领|办理|网上/;
/** A step a person takes (a platform alone is not a step). */
const HOW_STEPS = /申请|报名|登记|申领|办理|网上/;
const WHERE_WHEN_TERMS = /时间|\d{4}年|每年|地点|平台|就近|依托|网上|在企业|院校|基地/;
const FIGURE = /\d+(?:\.\d+)?\s*(?:元|%|％|万人次|万人|万|人次|次|个|年)?/g;

export interface ScoredSentence {
  text: string;
  index: number;
  /** Overlap with the question alone. */
  overlap: number;
  /** Overlap plus what the kind of question favours. */
  score: number;
}

/** The clause text without its department note, as sentences (their end punctuation removed). */
export function clauseSentences(text: string): string[] {
  return text
    .replace(DEPARTMENT_NOTE, '')
    .split(SENTENCE_END)
    .map((s) => s.replace(TRAILING_PUNCTUATION, '').trim())
    .filter((s) => s.length > 0);
}

/** The question with colloquial words mapped to the plan's wording. */
export function normaliseQuestion(question: string): string {
  let q = question.toLowerCase();
  for (const [pattern, replacement] of NORMALISE) q = q.replace(pattern, replacement);
  return q;
}

/** Weighted character bigrams of the question's content words (question words and punctuation removed). */
export function questionTerms(question: string): Map<string, number> {
  const terms = new Map<string, number>();
  const content = normaliseQuestion(question).replace(QUESTION_WORDS, ' ');
  for (const run of content.split(/[^\p{Script=Han}a-z0-9]+/u)) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) {
      const bigram = chars[i]! + chars[i + 1]!;
      terms.set(bigram, COMMON.has(bigram) ? 0.3 : 1);
    }
  }
  return terms;
}

function overlapOf(text: string, terms: Map<string, number>): number {
  let sum = 0;
  for (const [term, weight] of terms) if (text.includes(term)) sum += weight;
  return sum;
}

function kindBonus(text: string, kind: QuestionKind): number {
  switch (kind) {
    case 'amount':
      return /\d/.test(text.replace(/20\d\d年|〔\d+〕\d+号/g, '')) ? 3 : 0;
    case 'who':
      return Math.min(2, (text.match(GROUPS)?.length ?? 0) * 0.5) + (ELIGIBILITY.test(text) ? 1 : 0);
    case 'how':
      return HOW_TERMS.test(text) ? 2 : 0;
    case 'where_when':
      return WHERE_WHEN_TERMS.test(text) ? 1.5 : 0;
    default:
      return 0;
  }
}

/** Every sentence of the clause scored for this question, best first (earlier wins a tie). */
export function scoreSentences(
  clauseText: string,
  question: string,
  kind: QuestionKind,
  heading?: string,
): ScoredSentence[] {
  const terms = questionTerms(question);
  return clauseSentences(clauseText)
    .map((text, index) => {
      const overlap = overlapOf(text, terms);
      // A sentence that only repeats the heading says nothing the citation does not.
      const headingOnly = heading !== undefined && text === heading.replace(TRAILING_PUNCTUATION, '');
      return { text, index, overlap, score: overlap + kindBonus(text, kind) - (headingOnly ? 1 : 0) };
    })
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

/** A long sentence cut to the run of comma-separated parts around its best part, with ellipses. */
export function clipSentence(
  sentence: string,
  terms: Map<string, number>,
  kind: QuestionKind,
  max: number,
): string {
  if (Array.from(sentence).length <= max) return sentence;
  const parts = sentence.split(PART_END);
  const scores = parts.map((p) => overlapOf(p, terms) + kindBonus(p, kind));
  let best = 0;
  for (let i = 1; i < parts.length; i++) if (scores[i]! > scores[best]!) best = i;
  let from = best;
  let to = best;
  const len = () => Array.from(parts.slice(from, to + 1).join('')).length;
  // Grow towards the neighbour that says more about the question (the one before on a tie: the means and the subject come first).
  const fits = (i: number) => i >= 0 && i < parts.length && len() + Array.from(parts[i]!).length <= max;
  for (;;) {
    const next = fits(to + 1) ? scores[to + 1]! : -1;
    const previous = fits(from - 1) ? scores[from - 1]! : -1;
    if (next < 0 && previous < 0) break;
    if (next > previous) to++;
    else from--;
  }
  let text = parts.slice(from, to + 1).join('');
  if (Array.from(text).length > max) text = Array.from(text).slice(0, max).join('');
  text = text.replace(TRAILING_PUNCTUATION, '');
  const cutEnd =
    to < parts.length - 1 ||
    text.length <
      parts
        .slice(from, to + 1)
        .join('')
        .replace(TRAILING_PUNCTUATION, '').length;
  return (from > 0 ? ELLIPSIS : '') + text + (cutEnd ? ELLIPSIS : '');
}

export interface PickOptions {
  heading?: string;
  /** Characters the quoted sentences may take together. */
  maxChars?: number;
  /** Characters one quoted sentence may take before it is cut. */
  maxSentence?: number;
}

/** The sentence(s) that best answer the question, verbatim (cut with an ellipsis if long), in text order. */
export function pickSentences(
  clauseText: string,
  question: string,
  kind: QuestionKind,
  options: PickOptions = {},
): string[] {
  const maxChars = options.maxChars ?? 140;
  const maxSentence = options.maxSentence ?? 90;
  const terms = questionTerms(question);
  const ranked = scoreSentences(clauseText, question, kind, options.heading);
  const [best, second] = ranked;
  if (!best) return [];
  const chosen = [{ index: best.index, text: clipSentence(best.text, terms, kind, maxSentence) }];
  if (second && second.score > 0 && second.score >= best.score * 0.6) {
    const text = clipSentence(second.text, terms, kind, maxSentence);
    if (Array.from(chosen[0]!.text + text).length <= maxChars) chosen.push({ index: second.index, text });
  }
  return chosen.sort((a, b) => a.index - b.index).map((c) => c.text);
}

/** How well the best sentence matches the question's own words (0 when nothing is shared). */
export function bestOverlap(clauseText: string, question: string): number {
  const terms = questionTerms(question);
  return Math.max(0, ...clauseSentences(clauseText).map((s) => overlapOf(s, terms)));
}

/** Whether the text says the question's own words only in the negative ("全日制" in "非全日制"). */
export function negatesQuestion(text: string, question: string): boolean {
  for (const term of questionTerms(question).keys()) {
    let at = text.indexOf(term);
    while (at > 0) {
      if (/[非不未无没]/.test(text[at - 1]!)) return true;
      at = text.indexOf(term, at + 1);
    }
  }
  return false;
}

/** Markers a figure phrase may start at: "每人每年4000元", "不超过…8%", "不少于1…". */
const FIGURE_LEAD = /每|不低于|不超过|不少于|至少|最高|超过|达到|完成|培训/g;
const FIGURE_TAIL = /^(?:以上|以下|以内|左右)?(?:的[^\s,，;；。(（)）、的要将应由用]{1,8})?/;
const FIGURE_BARE_TAIL = /^[^\s,，;；。(（)）、]{0,4}/;

/**
 * The short phrase around the figure that best fits the question ("每人每年4000元以上的培养经费补贴"),
 * verbatim from the text; undefined when the text has no figure (years and document numbers do not count).
 */
export function figurePhrase(text: string, question: string): string | undefined {
  const terms = questionTerms(question);
  const parts = text.split(/(?<=[,，;；。])/);
  let best: { phrase: string; score: number } | undefined;
  let offset = 0;
  for (const part of parts) {
    for (const m of part.matchAll(FIGURE)) {
      const at = m.index;
      const unit = m[0].replace(/^[\d.\s]+/, '');
      const before = part.slice(0, at);
      if (unit === '年' || /〔$/.test(before) || /^号/.test(part.slice(at + m[0].length))) continue;
      const window = text.slice(Math.max(0, offset + at - 16), offset + at + m[0].length + 16);
      const score = overlapOf(window, terms) + (/元|%|％/.test(unit) ? 1.5 : unit ? 0.5 : 0);
      // Start at the earliest marker within ten characters before the figure.
      const lead = before.slice(-10);
      const leadAt = [...lead.matchAll(FIGURE_LEAD)].map((x) => x.index)[0];
      const start =
        leadAt !== undefined ? before.length - lead.length + leadAt : Math.max(0, before.length - 6);
      let end = at + m[0].length;
      const rest = part.slice(end);
      if (/^[(（]/.test(rest)) end += rest.search(/[)）]/) + 1 || 0;
      // Keep what qualifies the figure ("以上的培养经费补贴", "的部分"), not the sentence that follows (要用于…).
      const tailPattern = unit ? FIGURE_TAIL : FIGURE_BARE_TAIL;
      end += part.slice(end).match(tailPattern)?.[0].length ?? 0;
      const phrase = part.slice(start, end).replace(TRAILING_PUNCTUATION, '');
      if (!best || score > best.score) best = { phrase, score };
    }
    offset += part.length;
  }
  return best?.phrase;
}

/** Shortest useful run: the part that best shows what this kind asks, cut before the action it leads to. */
export function kindPhrase(
  sentence: string,
  question: string,
  kind: 'who' | 'how' | 'where_when',
): { phrase: string; score: number } | undefined {
  const wanted = kind === 'who' ? ELIGIBILITY : kind === 'how' ? HOW_STEPS : WHERE_WHEN_TERMS;
  const terms = questionTerms(question);
  const parts = sentence
    .split(/[,，;；]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const scored = parts
    .map((part, i) => ({
      part,
      i,
      score:
        (wanted.test(part) ? 2 : 0) +
        (kind === 'who' ? Math.min(2, (part.match(GROUPS)?.length ?? 0) * 0.5) : 0) +
        overlapOf(part, terms) * 0.5,
    }))
    .filter((p) => wanted.test(p.part) || (kind === 'who' && GROUP.test(p.part)))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  const top = scored[0];
  if (!top) return undefined;
  let phrase = top.part;
  if (kind === 'who') {
    const cut = phrase.slice(6).search(/给予|开展|组织开展|实施|确保|大力|开技能|接受/);
    if (cut >= 0) phrase = phrase.slice(0, cut + 6);
  }
  const chars = Array.from(phrase);
  return { phrase: chars.length > 40 ? chars.slice(0, 40).join('') + ELLIPSIS : phrase, score: top.score };
}

/** Whether a sentence states that something is not allowed or not given. */
export function isNegative(sentence: string): boolean {
  return /不予|不得|禁止/.test(sentence);
}

/** What a question asks of its subject (money, conditions, the steps): "有创业补贴吗" is about 创业, not 补贴. */
const ASPECT_WORDS =
  /补贴|补助|资助|津贴|奖励|奖金|免费|不要钱|收费|费用|学费|经费|钱|条件|资格|要求|申请|申领|报名|办理|标准|部门|单位|负责|牵头/g;
/** Words any question about training is made of, and which most clauses have: they name no subject. */
const GENERIC_WORDS =
  /职业技能|培训班|培训|技能|职业|就业|政策|人员|参加|学习|学技术|学手艺|技术|手艺|国家|政府|项目|开展|实施|劳动者|劳动|我市|昭通|工作|方面|相关|规定|方案|问题|情况|这个|那个|这些|一下|现在|今年|还|超过|以上|以下|不到|左右/g;

/** Function words that join a question's words ("给不给安排", "也能"), never its subject. */
const SUBJECT_FILLER = /[给把被让就都也又再才还]/g;

/** The subject of a question: its content words other than question words, aspects and generic words. */
export interface QuestionSubject {
  /** Runs of two characters or more (normalised: 下岗 → 失业, 当兵回来 → 退役军人). */
  runs: string[];
  /** The whole question, normalised, for finding a clause's keywords in it. */
  text: string;
}

export function questionSubject(question: string): QuestionSubject {
  const text = normaliseQuestion(standardizeDialect(question));
  const runs = text
    .replace(ASPECT_WORDS, ' ')
    .replace(GENERIC_WORDS, ' ')
    .replace(QUESTION_WORDS, ' ')
    .replace(SUBJECT_FILLER, ' ')
    .split(/[^\p{Script=Han}a-z0-9]+/u)
    .filter((run) => /\p{Script=Han}/u.test(run) && Array.from(run).length >= 2);
  return { runs, text };
}

/** A run's bigrams; two digits say nothing without their unit ("60岁" is not "60%"). */
function bigrams(run: string): string[] {
  const chars = Array.from(run);
  return chars
    .slice(0, -1)
    .map((c, i) => c + chars[i + 1]!)
    .filter((b) => !/^\d\d$/.test(b));
}

/**
 * Whether `text` speaks of the question's subject at all: some run of it has at least half its bigrams in the
 * text ("建档立卡户" in "建档立卡贫困劳动力"), or is named by one of the clause's own keywords found in the
 * question ("拜师" for the apprenticeship clause). Questions carry incidental words (家娃, 享受, 过来), so one run
 * is enough; a question with no subject beyond generic words is always covered.
 */
export function subjectCovered(
  text: string,
  subject: QuestionSubject,
  keywords: readonly string[] = [],
): boolean {
  const named = keywords.filter((k) => Array.from(k).length >= 2 && subject.text.includes(k));
  const runs = subject.runs.filter((run) => bigrams(run).length > 0);
  return (
    runs.length === 0 ||
    runs.some((run) => {
      const pairs = bigrams(run);
      if (named.some((k) => pairs.some((p) => k.includes(p)))) return true;
      return pairs.filter((p) => text.includes(p)).length * 2 >= pairs.length;
    })
  );
}

/** Whether one of the clause's keywords found in the question names part of its subject: the clause is about it. */
export function keywordNamesSubject(subject: QuestionSubject, keywords: readonly string[]): boolean {
  return keywords.some(
    (k) =>
      Array.from(k).length >= 2 &&
      subject.text.includes(k) &&
      subject.runs.some((run) => bigrams(run).some((p) => k.includes(p))),
  );
}
