import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRuntime } from '../app/compose';
import type { DialogEngine } from '../core/dialog/engine';
import { parseIntentRows } from '../core/nlu/intent-eval';
import {
  type Ask,
  evaluateLive,
  figuresByName,
  figuresLine,
  type IntentCheck,
  type LiveEvalItem,
  type LiveEvalReport,
  liveEvalItemSchema,
} from '../core/policy/live-eval';
import { parsePolicyQuestions } from '../core/policy/policy-loader';
import { missedThresholds, parseThresholds } from './live-eval-thresholds';
import { boot } from './run-cli';

const TEST = new URL('../../test/', import.meta.url).pathname;

export const LIVE_EVAL_SETS = [
  'tuning',
  'dev',
  'dev2',
  'dev3',
  'dev4',
  'dev5',
  'dev6',
  'dev7',
  'dev8',
  'dev9',
  'dev10',
  'dev11',
  'dev12',
  'dev13',
  'heldout',
] as const;
export type LiveEvalSet = (typeof LIVE_EVAL_SETS)[number];

export interface LiveEvalOptions {
  sets: readonly LiveEvalSet[];
  min: readonly string[];
  max: readonly string[];
  /** Writes one JSON line per question asked (for error analysis). */
  jsonDetails?: string;
}

/** Where each set's questions are: tuning and dev are tuned on; the held-out set only measures. */
const SET_FILES: Record<Exclude<LiveEvalSet, 'tuning'>, string> = {
  dev: `${TEST}fixtures/policy-dev.jsonl`,
  dev2: `${TEST}fixtures/policy-dev2.jsonl`,
  dev3: `${TEST}fixtures/policy-dev3.jsonl`,
  dev4: `${TEST}fixtures/policy-dev4.jsonl`,
  dev5: `${TEST}fixtures/policy-dev5.jsonl`,
  dev6: `${TEST}fixtures/policy-dev6.jsonl`,
  dev7: `${TEST}fixtures/policy-dev7.jsonl`,
  dev8: `${TEST}fixtures/policy-dev8.jsonl`,
  dev9: `${TEST}fixtures/policy-dev9.jsonl`,
  dev10: `${TEST}fixtures/policy-dev10.jsonl`,
  dev11: `${TEST}fixtures/policy-dev11.jsonl`,
  dev12: `${TEST}fixtures/policy-dev12.jsonl`,
  dev13: `${TEST}fixtures/policy-dev13.jsonl`,
  heldout: `${TEST}heldout/policy-heldout.jsonl`,
};

/** The questions of a set, and for the tuning set the intent utterances checked on their own. */
function loadSet(set: LiveEvalSet): { items: LiveEvalItem[]; intents?: IntentCheck[] } {
  if (set === 'tuning')
    return {
      items: parsePolicyQuestions(readFileSync(`${TEST}fixtures/policy-questions.jsonl`, 'utf8')),
      intents: parseIntentRows(readFileSync(`${TEST}fixtures/intents.jsonl`, 'utf8')),
    };
  const file = SET_FILES[set];
  return {
    items: readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, n: i + 1 }))
      .filter(({ line }) => line.trim())
      .map(({ line, n }) => {
        const parsed = liveEvalItemSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${file} line ${n}: ${parsed.error.issues[0]?.message}`);
        return parsed.data;
      }),
  };
}

/** Each call is a person never seen before, on the `converse` channel, talking to the real engine. */
function askAsNewPeople(engine: DialogEngine): Ask {
  const run = randomBytes(4).toString('hex');
  let people = 0;
  return async (messages) => {
    const user = `live-eval-${run}-${++people}`;
    let turn = 0;
    let result: Awaited<ReturnType<DialogEngine['handle']>> | undefined;
    for (const text of messages)
      result = await engine.handle({
        id: `${user}:${++turn}`,
        address: { channel: 'converse', chatId: user },
        senderId: user,
        text,
        kind: 'text',
        receivedAt: new Date(),
      });
    if (!result) throw new Error('live eval: a question with no message');
    // `answer` (the answer kind) is read if the dialog reports one; until then abstention is "cites nothing".
    const answer: unknown = (result as { answer?: unknown }).answer;
    return {
      citations: result.citations,
      intent: result.intent,
      text: result.replies.map((r) => r.text).join('\n'),
      ...(typeof answer === 'string' && { answer }),
    };
  };
}

function detailLines(set: LiveEvalSet, report: LiveEvalReport): string {
  return report.details
    .map((d) =>
      JSON.stringify({
        set,
        q: d.q,
        ...(d.context && { context: d.context }),
        ...(d.kind && { kind: d.kind }),
        expected: d.expected,
        got: d.got,
        ...(d.expectedIntent && { expected_intent: d.expectedIntent }),
        intent: d.intent,
        ...(d.answer !== undefined && { answer: d.answer }),
        first_line: d.firstLine,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * `eval --live`: every question of each set through the runtime `converse` uses (configured database, Redis,
 * engine), one JSON line of figures per set; throws (exit 1) naming each threshold missed.
 */
export async function runLiveEval(options: LiveEvalOptions): Promise<void> {
  const thresholds = parseThresholds(options.min, options.max);
  const sets = options.sets.map((set) => ({ set, ...loadSet(set) }));
  const { config, logger } = boot();
  const runtime = await createRuntime(config, logger);
  const missed: string[] = [];
  let details = '';
  try {
    const ask = askAsNewPeople(runtime.engine);
    for (const { set, items, intents } of sets) {
      const started = performance.now();
      const report = await evaluateLive(items, ask, intents);
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`${JSON.stringify(figuresLine(set, report, seconds))}\n`);
      missed.push(...missedThresholds(set, figuresByName(report), thresholds));
      details += detailLines(set, report);
    }
  } finally {
    await runtime.close();
  }
  if (options.jsonDetails) writeFileSync(options.jsonDetails, details);
  if (missed.length) throw new Error(`live eval missed its thresholds: ${missed.join('; ')}`);
}
