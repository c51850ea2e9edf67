import type { Locale } from '../domain';
import type { Translate } from '../i18n';
import {
  bestOverlap,
  clauseSentences,
  ELLIPSIS,
  figurePhrase,
  isNegative,
  keywordNamesSubject,
  kindPhrase,
  negatesQuestion,
  pickSentences,
  type QuestionSubject,
  questionSubject,
  subjectCovered,
} from './answer-sentence';
import type { PolicySearchResult } from './policy-index';
import { POLICY_CONFIDENCE_THRESHOLD } from './policy-index';
import type { PolicyClause, PolicyDocument } from './policy-schema';
import {
  asksAboutCost,
  asksJudgement,
  asksWhoIsResponsible,
  detectQuestionKind,
  type QuestionKind,
  yesNoForm,
} from './question-kind';

export interface PolicyAnswerInput {
  /** Best first; with their search scores when known (a runner-up scored far below the best is no rival). */
  results: readonly (Pick<PolicySearchResult, 'clauseId'> & { score?: number })[];
  confidence: number;
  doc: PolicyDocument;
  locale: Locale;
  t: Translate;
  threshold?: number;
  /** The user's own words: with them, a confident answer leads with what was asked and quotes the clause. */
  question?: string;
  /** The question was searched together with the one before it: the clause its topic chose stays first. */
  followUp?: boolean;
  /**
   * The search's typo correction (母婴户理 → 母婴护理): the question is read through it before it is answered from
   * the clause. Only slips are undone: other names of a trade or group were tried and made wrong leads
   * ("带孩子的妇女能参加培训吗" read as 母婴护理 got "可以。").
   */
  correctTypos?: (text: string) => string;
}

/** What a choice under an answer leads to; the dialog maps it to an action. */
export interface PolicyChoice {
  label: string;
  kind: 'courses' | 'signUp' | 'human' | 'clause';
  clauseId?: string;
}

export interface PolicyAnswer {
  text: string;
  choices: PolicyChoice[];
  /** Clause IDs the answer relies on (empty when the bot was not sure). */
  citations: string[];
  /**
   * The question asks for a figure the plan owes (how much, how many — not a fee or a class's length, which
   * the course record gives) and the clause gives none: the plan does not answer it, whatever the clause is
   * about (the dialog says so instead of citing it).
   */
  noFigure?: boolean;
}

/** Departments named in an answer; a clause may list many, the first ones lead. */
const MAX_DEPARTMENTS = 3;
/** Headings longer than this make poor buttons; the short topic is shown instead. */
const MAX_CHOICE_HEADING = 24;

function choiceLabel(clause: PolicyClause, locale: Locale): string {
  if (locale === 'zh-CN') {
    return Array.from(clause.heading).length <= MAX_CHOICE_HEADING
      ? clause.heading
      : (clause.topic?.['zh-CN'] ?? clause.heading);
  }
  return clause.topic?.[locale] ?? clause.heading;
}

function leadDepartments(clause: PolicyClause, t: Translate): string {
  return clause.departments
    .slice(0, MAX_DEPARTMENTS)
    .map((name) => t(`policy:department.${name}`, { defaultValue: name }))
    .join(t('policy:listSeparator'));
}

/** "依据：《实施方案》二(二)2“…”。": the line that cites a clause under an answer. */
export function citationLine(
  clause: PolicyClause,
  doc: PolicyDocument,
  locale: Locale,
  t: Translate,
): string {
  return t('policy:answer.citation', {
    document: doc.shortTitle[locale],
    ref: clause.ref,
    heading: clause.heading,
    topic: clause.topic?.[locale] ?? clause.heading,
  });
}

function confident(
  clause: PolicyClause,
  doc: PolicyDocument,
  locale: Locale,
  t: Translate,
  question: string | undefined,
  correctTypos?: (text: string) => string,
): PolicyAnswer {
  const hotline = t('policy:hotline');
  const citation = citationLine(clause, doc, locale, t);
  const departments = leadDepartments(clause, t);
  const contact = departments
    ? t('policy:answer.contactDepartments', { departments, hotline })
    : t('policy:answer.contactHotline', { hotline });
  const lines = answerLines(clause, doc, locale, t, question, correctTypos);
  const noFigure =
    question !== undefined &&
    lines[0] === t('policy:direct.noFigure', { document: doc.shortTitle[locale] }) &&
    !asksAboutCost(question) &&
    !CLASS_FIGURE.test(question);
  return {
    ...(noFigure && { noFigure }),
    text: [...lines, citation, contact].join('\n'),
    choices: [
      { label: t('policy:choice.courses'), kind: 'courses' },
      { label: t('policy:choice.signUp'), kind: 'signUp' },
      { label: t('policy:choice.human', { hotline }), kind: 'human' },
    ],
    citations: [clause.id],
  };
}

/**
 * Asks for a sum of money (补贴/工资/贷款… 多少, 补多少钱, how much subsidy), not a number of times or people:
 * only a figure in 元 or a percentage answers it.
 */
const SUM_ZH =
  /(补贴|补助|奖励|奖金|工资|贷款?|钱|费|津贴|税率?|金).{0,8}(多少|好多|几千|几百|几万|多高)|(补|给|发|领|拿|贷|奖|扣).{0,4}(多少|好多|几千|几百|几万)(钱|块|元)?(?!次|回|人|天)|(多少|好多|几千|几百|几万)(钱|块|元)/;
const SUM_EN =
  /\b(how much|amount|rate)\b.*\b(subsid\w*|money|yuan|pay|paid|costs?|fees?|allowance|salary|wages?|loans?)\b|\b(salary|wages?|loan)\b.*\bhow much\b/i;
function asksSum(question: string): boolean {
  return (
    (SUM_ZH.test(question) || SUM_EN.test(question)) &&
    !/几次|几回|多少次|多少回|好多(次|回|人)|几(个|万)?人|多少万?人|多少名|人次|\btimes\b|\bpeople\b/.test(
      question,
    )
  );
}
/**
 * Sums that are not subsidies: a question asking one of these ("学徒工资多少", "技校学费多少", "退役金有多少") is
 * answered by a figure only when the quoted sentences speak of the same kind of sum, never by a subsidy's amount.
 */
const SUM_KINDS: readonly { asked: RegExp; said: RegExp }[] = [
  {
    asked: /工资|薪水|薪资|月薪|收入|\b(salary|wages?|earn\w*|income)\b/i,
    said: /工资|薪|收入|报酬|salary|wage|income/i,
  },
  {
    asked: /学费(?!补)|培训费(?!补)|收费|\b(tuition|fees?)\b(?! (subsid|allowance))/i,
    said: /学费|培训费|收费|缴费|tuition|fee/i,
  },
  { asked: /贷款|\bloans?\b/i, said: /贷款|loan/i },
  {
    asked: /退役金|抚恤金|养老金|退休金|安置费|失业金|\bpension\b/i,
    said: /退役金|抚恤金|养老金|退休金|安置费|失业金|pension/i,
  },
];

/** The question asks a kind of sum the quoted text does not speak of (a wage, answered with a subsidy). */
function otherSum(question: string, quoted: string): boolean {
  return SUM_KINDS.some((k) => k.asked.test(question) && !k.said.test(quoted));
}

/** A figure that is a sum of money or a share: 4000元, 8%, 六成. */
const MONEY_FIGURE = /元|%|％|[一二三四五六七八九十\d]成|yuan/;

/** How long a class lasts or how many there are: the course's record, not the plan. */
const CLASS_FIGURE =
  /几天|多少天|多久|几个月|几节|几次课|\b(how many (days|weeks|hours|lessons|classes)|how long)\b/i;

/** What a direct answer may take before the citation: a phone screen. */
const MAX_DIRECT_CHARS = 220;
/** Words added to a cost question so the sentences on subsidies and funding are the ones quoted. */
const COST_TERMS = ' 补贴 经费 缴费 资金 subsidy subsidised fees funds';
/** A yes needs this much of the question's own wording in the quoted sentence. */
const YES_SUPPORT = 1;

interface DirectInput {
  clause: PolicyClause;
  document: string;
  locale: Locale;
  t: Translate;
  question: string;
  /**
   * The question with typos corrected (母婴户理 → 母婴护理): what the quoted sentences are chosen by and a yes
   * is checked against; the question kind and figures come from `question`.
   */
  worded: string;
}

const length = (s: string) => Array.from(s).length;

function joinQuotes(quotes: string[], t: Translate): string {
  const end = t('policy:direct.sentenceEnd');
  return quotes
    .map((q) => (q.endsWith(ELLIPSIS) ? q : q + end))
    .join('')
    .trim();
}

/** Chinese: one direct sentence by kind, then the clause's own sentences quoted. */
function directLinesZh({ clause, document, t, question, worded }: DirectInput, kind: QuestionKind): string[] {
  const cost = asksAboutCost(question);
  const asked = cost ? worded + COST_TERMS : worded;
  const topic = clause.topic?.['zh-CN'] ?? clause.heading;
  for (const [maxChars, maxSentence] of [
    [140, 90],
    [90, 90],
    [70, 70],
    [50, 50],
  ] as const) {
    const quotes = pickSentences(clause.text, asked, kind, {
      heading: clause.heading,
      maxChars,
      maxSentence,
    });
    const quoted = joinQuotes(quotes, t);
    const lead = leadZh(kind, { quotes, quoted, cost, question, worded, clause, document, topic, t });
    const quoteLine = t('policy:direct.quote', { quote: quoted });
    if (length(lead) + length(quoteLine) <= MAX_DIRECT_CHARS || maxSentence === 50) return [lead, quoteLine];
  }
  return [];
}

interface LeadContext {
  quotes: string[];
  quoted: string;
  cost: boolean;
  question: string;
  worded: string;
  clause: PolicyClause;
  document: string;
  topic: string;
  t: Translate;
}

function leadZh(kind: QuestionKind, c: LeadContext): string {
  const { t, document } = c;
  // who: the best-scoring part of any quoted sentence; how and where/when: only from a sentence that
  // shares the question's own words, so a procedure for something else is never offered as the answer.
  const phraseOf = (k: 'who' | 'how' | 'where_when') => {
    const sources = k === 'who' ? c.quotes : c.quotes.filter((q) => bestOverlap(q, c.question) >= 1);
    return sources
      .map((q) => kindPhrase(q, c.question, k))
      .filter((p) => p !== undefined)
      .sort((a, b) => b.score - a.score)[0]?.phrase;
  };
  switch (kind) {
    case 'yesno': {
      if (c.cost) return t('policy:direct.notFree', { document });
      // A yes needs the quoted sentences to speak of what is asked about (创业 in "有创业补贴吗", 养蜂 in
      // "养蜂有补贴吗"), not only of a generic word they share with it (补贴, 培训, 政策).
      // The clause's own keyword for the subject stands for the plan's word (洋芋 for 马铃薯, 养牛 for 特色养殖).
      const subject = questionSubject(c.worded);
      const supported =
        subjectCovered(c.quoted, subject, c.clause.keywords['zh-CN']) &&
        (bestOverlap(c.quoted, c.worded) >= YES_SUPPORT ||
          keywordNamesSubject(subject, c.clause.keywords['zh-CN'])) &&
        !c.quotes.some((q) => isNegative(q) || negatesQuestion(q, c.question)) &&
        aspectQuoted(c.quoted, c.question) &&
        !asksJudgement(c.question);
      return supported
        ? t(`policy:direct.yes.${yesNoForm(c.question)}`)
        : t('policy:direct.notStated', { document });
    }
    case 'amount': {
      const figure = figurePhrase(c.quoted, c.question);
      // "返乡创业补贴能领多少", "残疾人就业补贴每月多少" ask for a sum of money: "人员都能得到1次" is no answer.
      return figure &&
        (!asksSum(c.question) || (MONEY_FIGURE.test(figure) && !otherSum(c.question, c.quoted)))
        ? t('policy:direct.amount', { document, figure: figure.replace(/[。]$/, '') })
        : t('policy:direct.noFigure', { document });
    }
    case 'who': {
      if (asksWhoIsResponsible(c.question)) {
        const departments = leadDepartments(c.clause, t);
        if (departments) return t('policy:direct.responsible', { departments });
      }
      const phrase = phraseOf('who');
      return phrase ? t('policy:direct.who', { phrase }) : t('policy:direct.noWho', { document });
    }
    case 'how': {
      const phrase = phraseOf('how');
      return phrase ? t('policy:direct.how', { phrase }) : t('policy:direct.noHow', { document });
    }
    case 'where_when': {
      const phrase = phraseOf('where_when');
      return phrase
        ? t('policy:direct.whereWhen', { document, phrase })
        : t('policy:direct.noWhereWhen', { document });
    }
    case 'what':
      return t('policy:direct.what', { document, topic: c.topic });
    default:
      return t('policy:direct.other', { document });
  }
}

const EN_STOP = new Set(
  'what which where when does have there their about much many with from that this they them your into will would could should can for the and are is how who get any'.split(
    ' ',
  ),
);
const EN_HOW = /\bsign[- ]up\b|\bapply|\bregister|\bclaim|\bplatform|\bonline\b|\bthrough\b/i;
const EN_WHERE_WHEN =
  /\b(19|20)\d\d\b|\beach year\b|\ba year\b|\bonline\b|\bplatform\b|\bnear where\b|\bin [A-Z][a-z]+/;
const EN_FIGURE =
  /(?:at least |at most |up to |not less than |no more than |not exceeding )?\d[\d,]*(?:\.\d+)?(?:%| ?(?:yuan|people|sessions?|times?|trainings?|registered-poor workers|[a-z]+ training))?(?: \([^)]*\))?(?: per [a-z-]+)*/gi;

/** English words of the question (four letters or more) that the summary also uses. */
function englishOverlap(question: string, text: string): number {
  const words = question.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  const hay = text.toLowerCase();
  return words.filter((w) => !EN_STOP.has(w) && hay.includes(w.slice(0, Math.max(4, w.length - 2)))).length;
}

/** English: the clause text is Chinese, so one direct sentence by kind, then the English summary. */
function directLinesEn({ clause, document, t, question }: DirectInput, kind: QuestionKind): string[] {
  const summary = clause.summary.en;
  const topic = clause.topic?.en ?? clause.heading;
  const lead = (() => {
    switch (kind) {
      case 'yesno':
        if (asksAboutCost(question)) return t('policy:direct.notFree', { document });
        return englishOverlap(question, summary) > 0 || /[\p{Script=Han}]/u.test(question)
          ? t(`policy:direct.yes.${/\bthere\b/i.test(question) ? 'have' : 'can'}`)
          : t('policy:direct.notStated', { document });
      case 'amount': {
        const figures = [...summary.matchAll(EN_FIGURE)].map((m) => m[0]);
        // A sum question takes only a sum of its own kind; any other question any figure but a year.
        const sum = asksSum(question);
        const money = sum && otherSum(question, summary) ? undefined : figures.find((f) => /yuan|%/.test(f));
        const figure = money ?? (sum ? undefined : figures.find((f) => !/^(19|20)\d\d$/.test(f)));
        return figure
          ? t('policy:direct.amount', { document, figure })
          : t('policy:direct.noFigure', { document });
      }
      case 'who': {
        const departments = asksWhoIsResponsible(question) ? leadDepartments(clause, t) : '';
        return departments
          ? t('policy:direct.responsible', { departments })
          : t('policy:direct.who', { document });
      }
      case 'how':
        return EN_HOW.test(summary)
          ? t('policy:direct.how', { document })
          : t('policy:direct.noHow', { document });
      case 'where_when':
        return EN_WHERE_WHEN.test(summary)
          ? t('policy:direct.whereWhen', { document })
          : t('policy:direct.noWhereWhen', { document });
      case 'what':
        return t('policy:direct.what', { document, topic });
      default:
        return t('policy:direct.other', { document });
    }
  })();
  return [lead, shortSummary(summary, question, kind)];
}

/** Characters an English summary may take before the citation. */
const MAX_SUMMARY_EN = 360;

/** A long English summary kept to its sentences that best fit the question (figures verbatim, text order). */
function shortSummary(summary: string, question: string, kind: QuestionKind): string {
  if (summary.length <= MAX_SUMMARY_EN) return summary;
  const sentences = summary.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g)?.map((s) => s.trim()) ?? [summary];
  const ranked = sentences
    .map((text, index) => ({
      text,
      index,
      score: englishOverlap(question, text) + (kind === 'amount' && /\d/.test(text) ? 2 : 0) - index * 0.01,
    }))
    .sort((a, b) => b.score - a.score);
  const kept: typeof ranked = [];
  let used = 0;
  for (const s of ranked) {
    if (kept.length > 0 && used + s.text.length + 1 > MAX_SUMMARY_EN) continue;
    kept.push(s);
    used += s.text.length + 1;
  }
  return kept
    .sort((a, b) => a.index - b.index)
    .map((s) => s.text)
    .join(' ');
}

function composeDirectLines(input: DirectInput): string[] {
  const kind = detectQuestionKind(input.question);
  return input.locale === 'zh-CN' ? directLinesZh(input, kind) : directLinesEn(input, kind);
}

function answerLines(
  clause: PolicyClause,
  doc: PolicyDocument,
  locale: Locale,
  t: Translate,
  question: string | undefined,
  correctTypos: ((text: string) => string) | undefined,
): string[] {
  if (question === undefined || question.trim() === '') return [clause.summary[locale]];
  const worded = correctTypos && locale === 'zh-CN' ? correctTypos(question) : question;
  return composeDirectLines({ clause, document: doc.shortTitle[locale], locale, t, question, worded });
}

/**
 * Turns search results into a reply. Above the confidence threshold: the clause summary in the user's
 * language (or, given the question, a direct answer and the sentences quoted from the clause), the
 * citation and whom to contact. Below it: say so, and offer the two closest clauses.
 */
export function composePolicyAnswer(input: PolicyAnswerInput): PolicyAnswer {
  const { results, confidence, doc, locale, t } = input;
  const threshold = input.threshold ?? POLICY_CONFIDENCE_THRESHOLD;
  const byId = new Map(doc.clauses.map((c) => [c.id, c]));
  const known = results.filter((r) => byId.has(r.clauseId));
  const found = known.map((r) => byId.get(r.clauseId)!);
  const scores = known.every((r) => r.score !== undefined) ? known.map((r) => r.score!) : undefined;
  // A Chinese question is answered from the clause about its subject when the best one only shares a
  // generic word with it ("有创业补贴吗": not the clause on subsidised-training management, s6).
  const best = input.question && !input.followUp ? subjectClause(found, input.question, scores) : found[0];
  if (best && confidence >= threshold)
    return confident(best, doc, locale, t, input.question, input.correctTypos);

  const hotline = t('policy:hotline');
  const document = doc.shortTitle[locale];
  const options = found
    .slice(0, 2)
    .map((c): PolicyChoice => ({ label: choiceLabel(c, locale), kind: 'clause', clauseId: c.id }))
    .filter((o, i, all) => all.findIndex((x) => x.label === o.label) === i);
  return {
    text: t(options.length > 0 ? 'policy:notSure.withOptions' : 'policy:notSure.noOptions', { document }),
    choices: [...options, { label: t('policy:choice.human', { hotline }), kind: 'human' }],
    citations: [],
  };
}

/** How many times a runner-up's search score the best's must be for the runner-up to be no rival to it. */
const DOMINANCE = 2;

/** A sentence that speaks of money in any of the plan's ways. */
const MONEY_SAID = /补贴|补助|资助|津贴|奖励|奖金|免费|经费|资金/;

/** What a yes/no question asks about a subject: money, a subsidy. */
const ASKED_ASPECT = /补贴|补助|资助|津贴|奖励|奖金|免费|不要钱|收费/gu;

/**
 * "创业培训有补贴吗" answered "有" needs the quoted sentences to speak of the subsidy, not only of 创业培训:
 * every aspect the question names must stand in them (or the answer is "the plan does not say").
 */
function aspectQuoted(quoted: string, question: string): boolean {
  const asked = question.match(ASKED_ASPECT) ?? [];
  return asked.every((a) =>
    a === '免费' || a === '不要钱' || a === '收费'
      ? /免费|补贴/.test(quoted)
      : quoted.includes(a.slice(0, 2)),
  );
}

/**
 * How a clause speaks to the question's subject: `about` when one of its keywords names it, `mentions` when
 * one of its sentences has part of it (and, when the question asks about money, the money too), `no` when it
 * shares only generic words with the question (补贴, 培训 with "有创业补贴吗").
 */
function subjectFit(
  clause: PolicyClause,
  subject: QuestionSubject,
  question: string,
): 'about' | 'mentions' | 'no' {
  if (keywordNamesSubject(subject, clause.keywords['zh-CN'])) return 'about';
  const money = question.match(ASKED_ASPECT) !== null;
  const mentions = clauseSentences(clause.text).some(
    (s) => subjectCovered(s, subject) && (!money || MONEY_SAID.test(s)),
  );
  return mentions ? 'mentions' : 'no';
}

/**
 * The clause to answer a Chinese question from: the best one, unless it lacks the question's subject
 * entirely, or has fewer of its parts, and a runner-up is about it (one of its keywords names it: 培训机构 for
 * s5, 创业 for s4.1). A runner-up that merely mentions the subject is no surer than the best (the search read
 * synonyms this does not).
 */
export function subjectClause<T extends PolicyClause>(
  found: readonly T[],
  question: string,
  scores?: readonly number[],
): T | undefined {
  const [best, ...all] = found;
  if (!best || !/[\p{Script=Han}]/u.test(question)) return best;
  // A runner-up the search scored far below the best is no rival: the best matched what was asked through words
  // this does not read (新进厂 → 新入职, 骗补贴 → 骗补), and a parent clause (s2) only shares the group's words.
  const top = scores?.[0];
  const rest = all.filter((_, i) => top === undefined || (scores?.[i + 1] ?? 0) * DOMINANCE >= top);
  const subject = questionSubject(question);
  if (subject.runs.length === 0) return best;
  const fit = subjectFit(best, subject, question);
  if (fit === 'no') return rest.find((c) => subjectFit(c, subject, question) === 'about') ?? best;
  // A runner-up about the subject that has more of its parts ("竞赛" and "破格晋升") beats a best that has
  // fewer ("竞赛" only).
  const parts = partsSaid(best, subject);
  return (
    rest.find((c) => subjectFit(c, subject, question) === 'about' && partsSaid(c, subject) > parts) ?? best
  );
}

/** How many parts (runs) of the subject the clause has: named by a keyword or said in a sentence. */
function partsSaid(clause: PolicyClause, subject: QuestionSubject): number {
  const sentences = clauseSentences(clause.text);
  return subject.runs.filter((run) => {
    const part = { ...subject, runs: [run] };
    return (
      subjectCovered('', part, clause.keywords['zh-CN']) || sentences.some((s) => subjectCovered(s, part))
    );
  }).length;
}
