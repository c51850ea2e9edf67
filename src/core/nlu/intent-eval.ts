import { z } from 'zod';
import type { IntentClassifier } from './intent-classifier';
import type { IntentLabel } from './intents';
import { intentLabelSchema } from './intents';

export const intentEvalRowSchema = z.object({ text: z.string(), intent: intentLabelSchema });
export type IntentEvalRow = z.infer<typeof intentEvalRowSchema>;

export interface IntentStats {
  total: number;
  correct: number;
  /** correct / rows of this label (recall). */
  accuracy: number;
  /** Texts of this label that were misread, with what they were read as. */
  misses: { text: string; got: IntentLabel }[];
}

export interface IntentEvalReport {
  utterances: number;
  accuracy: number;
  perIntent: Partial<Record<IntentLabel, IntentStats>>;
}

/** Parses a JSONL fixture (one `{"text","intent"}` per line, blank lines skipped). */
export function parseIntentRows(jsonl: string): IntentEvalRow[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => intentEvalRowSchema.parse(JSON.parse(line)));
}

export function evaluateIntents(
  classifier: IntentClassifier,
  rows: readonly IntentEvalRow[],
): IntentEvalReport {
  const perIntent: Partial<Record<IntentLabel, IntentStats>> = {};
  let correct = 0;
  for (const row of rows) {
    const got = classifier.classify(row.text).intent;
    const stats = perIntent[row.intent] ?? { total: 0, correct: 0, accuracy: 0, misses: [] };
    perIntent[row.intent] = stats;
    stats.total += 1;
    if (got === row.intent) {
      stats.correct += 1;
      correct += 1;
    } else {
      stats.misses.push({ text: row.text, got });
    }
  }
  for (const stats of Object.values(perIntent)) stats.accuracy = stats.correct / stats.total;
  return { utterances: rows.length, accuracy: rows.length ? correct / rows.length : 0, perIntent };
}
