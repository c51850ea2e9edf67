import { z } from 'zod';
import { clauseIdSchema } from './policy-schema';

/**
 * Scoring of the live evaluation: questions put to the real dialog as fresh users, the replies' citations,
 * intent and text compared with the labels. Pure: the caller supplies `ask`, which talks to the engine.
 */

/** One labelled question; the held-out file's shape (test/heldout/README.md). The tuning file fits it too. */
export const liveEvalItemSchema = z.object({
  q: z.string().min(1),
  lang: z.enum(['zh-CN', 'en']).optional(),
  /** Clauses that answer it, best first; empty when the plan does not cover it. */
  clauses: z.array(clauseIdSchema),
  expect: z.enum(['policy', 'course', 'both', 'abstain']).optional(),
  intent: z.string().min(1).optional(),
  asks: z.string().optional(),
  kind: z.string().min(1).optional(),
  /** Earlier messages of the same person, sent before `q`; only the reply to `q` is scored. */
  context: z.array(z.string().min(1)).optional(),
  /** Strings the reply must contain, verbatim. */
  answer_must_contain: z.array(z.string().min(1)).optional(),
});
export type LiveEvalItem = z.infer<typeof liveEvalItemSchema>;

/** An utterance whose intent alone is checked (the tuning set's intents file). */
export interface IntentCheck {
  text: string;
  intent: string;
}

/** What the dialog made of the last message of a conversation. */
export interface LiveReply {
  /** Clause ids, best first; empty when nothing is cited. */
  citations: string[];
  intent: string;
  /** All reply texts of the turn, joined. */
  text: string;
  /** The answer kind (policy|course|both|clarify|abstain…), once the dialog reports one. */
  answer?: string;
}

/** Sends `messages` in order as one new person and returns what the dialog made of the last one. */
export type Ask = (messages: readonly string[]) => Promise<LiveReply>;

export interface Ratio {
  hits: number;
  of: number;
}

export interface KindFigures {
  questions: number;
  rightFirst: Ratio;
  confidentlyWrong: Ratio;
}

/** One scored question, for error analysis. */
export interface LiveEvalDetail {
  q: string;
  context?: string[];
  kind?: string;
  expected: string[];
  got: string[];
  expectedIntent?: string;
  intent: string;
  answer?: string;
  firstLine: string;
}

export interface LiveEvalReport {
  questions: number;
  rightFirst: Ratio;
  confidentlyWrong: Ratio;
  noAnswer: Ratio;
  outOfPlanAbstained: Ratio;
  intentAccuracy: Ratio;
  answerContains: Ratio;
  byKind: Record<string, KindFigures>;
  details: LiveEvalDetail[];
}

const ratio = (): Ratio => ({ hits: 0, of: 0 });
const count = (r: Ratio, hit: boolean) => {
  r.of += 1;
  if (hit) r.hits += 1;
};

/** Out of plan: labelled abstain; a file without `expect` (none today) marks it by empty clauses alone. */
const outOfPlan = (item: LiveEvalItem) =>
  item.expect ? item.expect === 'abstain' : item.clauses.length === 0;

/** An honest abstention: the answer kind says so; before the dialog reports a kind, citing nothing. */
const abstained = (reply: LiveReply) =>
  reply.answer !== undefined ? reply.answer === 'abstain' : reply.citations.length === 0;

/**
 * Asks every item (and every intent check) as a new person, one after another, and scores the replies.
 * Intent accuracy comes from `intentChecks` when given, otherwise from the items' own `intent` labels.
 */
export async function evaluateLive(
  items: readonly LiveEvalItem[],
  ask: Ask,
  intentChecks?: readonly IntentCheck[],
): Promise<LiveEvalReport> {
  const report: LiveEvalReport = {
    questions: items.length,
    rightFirst: ratio(),
    confidentlyWrong: ratio(),
    noAnswer: ratio(),
    outOfPlanAbstained: ratio(),
    intentAccuracy: ratio(),
    answerContains: ratio(),
    byKind: {},
    details: [],
  };
  for (const item of items) {
    const reply = await ask([...(item.context ?? []), item.q]);
    const first = reply.citations[0];
    const cited = first !== undefined;
    const wrong = cited && !item.clauses.includes(first);
    const kind = item.kind ? byKind(report, item.kind) : undefined;
    count(report.confidentlyWrong, wrong);
    if (kind) {
      kind.questions += 1;
      count(kind.confidentlyWrong, wrong);
    }
    if (item.clauses.length > 0) {
      count(report.rightFirst, cited && !wrong);
      count(report.noAnswer, !cited);
      if (kind) count(kind.rightFirst, cited && !wrong);
    }
    if (outOfPlan(item)) count(report.outOfPlanAbstained, abstained(reply));
    if (!intentChecks && item.intent) count(report.intentAccuracy, reply.intent === item.intent);
    if (item.answer_must_contain?.length)
      count(
        report.answerContains,
        item.answer_must_contain.every((s) => reply.text.includes(s)),
      );
    report.details.push(detail(item, reply));
  }
  for (const check of intentChecks ?? []) {
    const reply = await ask([check.text]);
    count(report.intentAccuracy, reply.intent === check.intent);
    report.details.push(detail({ q: check.text, clauses: [], intent: check.intent }, reply));
  }
  return report;
}

function byKind(report: LiveEvalReport, kind: string): KindFigures {
  const figures = report.byKind[kind] ?? { questions: 0, rightFirst: ratio(), confidentlyWrong: ratio() };
  report.byKind[kind] = figures;
  return figures;
}

function detail(item: LiveEvalItem, reply: LiveReply): LiveEvalDetail {
  return {
    q: item.q,
    ...(item.context && { context: item.context }),
    ...(item.kind && { kind: item.kind }),
    expected: item.clauses,
    got: reply.citations,
    ...(item.intent && { expectedIntent: item.intent }),
    intent: reply.intent,
    ...(reply.answer !== undefined && { answer: reply.answer }),
    firstLine: reply.text.split('\n').find((line) => line.trim()) ?? '',
  };
}

/** hits / of rounded to 3 places; null when nothing was measured (no item of that sort in the set). */
export function share(r: Ratio): number | null {
  return r.of === 0 ? null : Math.round((r.hits / r.of) * 1000) / 1000;
}

/** The names a figure is printed and thresholded under; per kind: `by_kind.<kind>.right_first`. */
export const FIGURE_NAMES = [
  'right_first',
  'confidently_wrong',
  'no_answer',
  'out_of_plan_abstained',
  'intent_accuracy',
  'answer_contains',
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

const RATIO_OF: Record<FigureName, (r: LiveEvalReport) => Ratio> = {
  right_first: (r) => r.rightFirst,
  confidently_wrong: (r) => r.confidentlyWrong,
  no_answer: (r) => r.noAnswer,
  out_of_plan_abstained: (r) => r.outOfPlanAbstained,
  intent_accuracy: (r) => r.intentAccuracy,
  answer_contains: (r) => r.answerContains,
};

/** Every figure of a report by its printed name (`right_first`, `by_kind.dialect.right_first` …). */
export function figuresByName(report: LiveEvalReport): Map<string, number | null> {
  const figures = new Map<string, number | null>();
  for (const name of FIGURE_NAMES) figures.set(name, share(RATIO_OF[name](report)));
  for (const [kind, f] of Object.entries(report.byKind)) {
    figures.set(`by_kind.${kind}.right_first`, share(f.rightFirst));
    figures.set(`by_kind.${kind}.confidently_wrong`, share(f.confidentlyWrong));
  }
  return figures;
}

/** The one JSON object printed per set: fractions (0..1, 3 places, null when unmeasured) plus counts. */
export type FiguresLine = { set: string; questions: number } & Record<FigureName, number | null> & {
    counts: Record<FigureName, Ratio>;
    by_kind?: Record<
      string,
      { questions: number; right_first: number | null; confidently_wrong: number | null }
    >;
    seconds: number;
  };

export function figuresLine(set: string, report: LiveEvalReport, seconds: number): FiguresLine {
  const counts = Object.fromEntries(FIGURE_NAMES.map((name) => [name, RATIO_OF[name](report)])) as Record<
    FigureName,
    Ratio
  >;
  const shares = Object.fromEntries(
    FIGURE_NAMES.map((name) => [name, share(RATIO_OF[name](report))]),
  ) as Record<FigureName, number | null>;
  const byKind = Object.fromEntries(
    Object.entries(report.byKind).map(([kind, f]) => [
      kind,
      {
        questions: f.questions,
        right_first: share(f.rightFirst),
        confidently_wrong: share(f.confidentlyWrong),
      },
    ]),
  );
  return {
    set,
    questions: report.questions,
    ...shares,
    counts,
    ...(Object.keys(byKind).length > 0 && { by_kind: byKind }),
    seconds: Math.round(seconds * 10) / 10,
  };
}
