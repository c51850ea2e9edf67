import { NO_CUE } from './intent-cues';
import type { Features } from './intent-features';
import { createFeatureExtractor } from './intent-features';
import type { IntentLabel } from './intents';
import { INTENTS, intentExamplesSchema } from './intents';
import type { Lexicon } from './lexicon';
import type { Tokenizer } from './tokenizer';

export interface IntentResult {
  intent: IntentLabel;
  /** 0..1. For `unknown` it is the best in-domain probability, so it is low by construction. */
  confidence: number;
  /** Posterior per label (sums to 1), for logs and for thresholds elsewhere. */
  scores?: Record<IntentLabel, number>;
}

export interface IntentClassifier {
  classify(text: string): IntentResult;
}

export interface IntentClassifierOptions {
  /** Contents of data/nlu/intents.json, parsed or as text. */
  examplesJson: unknown;
  tokenizer: Tokenizer;
  /** When given, any county/trade/group mention also counts as a placeholder feature (@trade …). */
  lexicon?: Lexicon;
  /** Below this the answer is `unknown`. */
  minConfidence?: number;
}

export const DEFAULT_MIN_CONFIDENCE = 0.3;
/** Laplace smoothing; small because features are many and examples short. */
const ALPHA = 0.3;
/**
 * Naive Bayes treats overlapping features (a word, its bigrams, its characters) as independent evidence,
 * so raw posteriors are near 0 or 1. Dividing the log-likelihood by sqrt(#features) and scaling by this
 * constant gives confidences that track accuracy (chosen by cross-validation on the training examples).
 */
const SHARPNESS = 0.8;

const N = INTENTS.length;
const UNKNOWN = INTENTS.indexOf('unknown');

interface Model {
  logProb: Map<string, Float64Array>;
}

function train(docs: { label: number; features: Features }[]): Model {
  const counts = new Map<string, Float64Array>();
  const totals = new Float64Array(N);
  for (const { label, features } of docs) {
    for (const [f, w] of features) {
      let row = counts.get(f);
      if (!row) {
        row = new Float64Array(N);
        counts.set(f, row);
      }
      row[label]! += w;
      totals[label]! += w;
    }
  }
  const denom = totals.map((t) => Math.log(t + ALPHA * counts.size));
  const logProb = new Map<string, Float64Array>();
  for (const [f, row] of counts)
    logProb.set(
      f,
      row.map((c, i) => Math.log(c + ALPHA) - denom[i]!),
    );
  return { logProb };
}

function posterior(model: Model, features: Features): Float64Array | undefined {
  const logits = new Float64Array(N);
  let seen = 0;
  for (const [f, w] of features) {
    const row = model.logProb.get(f);
    if (!row) continue;
    if (f !== NO_CUE) seen += w;
    for (let i = 0; i < N; i++) logits[i]! += w * row[i]!;
  }
  if (seen === 0) return undefined;
  const scale = SHARPNESS / Math.sqrt(seen);
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp((l - max) * scale));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Multinomial naive Bayes (uniform prior) over jieba words, Han bigrams and characters, stemmed Latin
 * words and bigrams, slot placeholders and concept cues, trained once at start-up from example
 * utterances. Features never seen in training are ignored; a message with none left is `unknown` with
 * confidence 0. About 40 µs a message, tokenization included.
 */
/**
 * Intents that act on a person's sign-ups or data, are only chosen when the words ask for them:
 * "身份证过期了咋个换" is not a request to delete one's data, nor "退休金啥时候涨" one to list one's sign-ups,
 * however the statistics lean. Each names the concept cues (intent-cues.ts) of which one must fire.
 */
const REQUIRED_CUES: Partial<Record<IntentLabel, readonly (readonly string[])[]>> = {
  'privacy.delete': [['%delete']],
  'enrol.cancel': [['%cancel']],
  'enrol.list': [['%mine', '%enrol']],
  'language.switch': [['%switch_language']],
  'handoff.human': [['%human', '%contact']],
};

/**
 * Words that rule an intent out whatever the statistics say: "有的话帮我报一个" asks to be signed up, never to list
 * one's sign-ups (帮我报 fires %mine through 我报).
 */
const RULED_OUT: Partial<Record<IntentLabel, RegExp>> = {
  'enrol.list':
    /(帮|给|替)我报(?:一个|个|名|上|一下)?(?![了没过名个上一的])|\b(sign|put) me (up|down)\b|\b(register|enrol|enroll) me\b/i,
};

/** Every group of required cues has one that fired, and nothing in the text rules the intent out. */
function asked(intent: IntentLabel, cues: ReadonlySet<string>, text: string): boolean {
  if (RULED_OUT[intent]?.test(text)) return false;
  return (REQUIRED_CUES[intent] ?? []).every((anyOf) => anyOf.some((cue) => cues.has(cue)));
}

export function createIntentClassifier(options: IntentClassifierOptions): IntentClassifier {
  const raw =
    typeof options.examplesJson === 'string' ? JSON.parse(options.examplesJson) : options.examplesJson;
  const examples = intentExamplesSchema.parse(raw);
  const featuresOf = createFeatureExtractor(options.tokenizer, options.lexicon);
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const model = train(
    INTENTS.flatMap((intent, label) =>
      [...examples[intent]['zh-CN'], ...examples[intent].en].map((text) => ({
        label,
        features: featuresOf(text),
      })),
    ),
  );

  return {
    classify(text: string): IntentResult {
      const features = featuresOf(typeof text === 'string' ? text : '');
      const p = posterior(model, features);
      if (!p) return { intent: 'unknown', confidence: 0 };
      const scores = Object.fromEntries(INTENTS.map((intent, i) => [intent, p[i]!])) as Record<
        IntentLabel,
        number
      >;
      const cues = new Set([...features.keys()].filter((f) => f.startsWith('%')));
      let best = -1;
      for (let i = 0; i < N; i++)
        if (i !== UNKNOWN && asked(INTENTS[i]!, cues, text) && (best < 0 || p[i]! > p[best]!)) best = i;
      if (best < 0) return { intent: 'unknown', confidence: 0, scores };
      const confidence = p[best]!;
      if (p[UNKNOWN]! > confidence || confidence < minConfidence)
        return { intent: 'unknown', confidence, scores };
      return { intent: INTENTS[best]!, confidence, scores };
    },
  };
}
