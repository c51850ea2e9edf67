import { stemEnglish } from '../nlu/english-stem';
import { normalizeText } from '../nlu/normalize';
import type { Tokenizer } from '../nlu/tokenizer';

/**
 * How close a message must be to one of a curated answer's question variants (`QuestionMatcher.similarity`)
 * for the curated answer to be given. Calibrated on test/fixtures/curated-paraphrases.jsonl (53 pairs, zh and
 * en: 29 paraphrases, 24 different questions sharing most words with the variant — another county, trade,
 * insurance or verb): the most similar different-question pair scores 0.581, so 0.6 keeps false matches at 0
 * and catches 12 of the 29 paraphrases against one variant (at 0.55: 13 caught, 2 false; at 0.65: 9, 0);
 * docs/curated-answers.md. Staff raise recall with variants: an answer written from a group takes its examples.
 */
export const CURATED_MATCH_THRESHOLD = 0.6;

/** A character bigram weighs this share of a word: it catches rewordings without letting 在哪/么交 decide. */
const BIGRAM_WEIGHT = 0.25;

/** Words of asking, not of topics: they make two questions look alike whatever they ask about. */
const STOPWORDS = new Set([
  ...'请问 我们 你们 他们 可以 能不能 能否 是否 怎么 怎么样 怎样 如何 什么 多少 哪里 哪些 哪个 有没有 有没得 没有 一下 需要 要求 的话 这个 那个 现在 还是 就是 咋个 啷个 啥子'.split(
    ' ',
  ),
  ...'a an the is are was were be do does did i we you my our your me it this that to of for in on at and or can could would should will how what which when where who why there any some about please get'.split(
    ' ',
  ),
]);

/**
 * Characters of asking and grammar (as in core/policy/policy-query.ts): a one-character word made of anything
 * else (交, 退, 考, 狗) is a term — 公积金怎么交 and 公积金怎么提取 differ only there.
 */
const FILLER_CHARS =
  /[想要能会来去哪啥个有些了吗不没还就都也可前后里出真次回几谁咋啷整得哦嘛呢吧啊呀么怎用只该让给把被我你他她它们这那是的着过从对跟和与等好多每在请问啥吃]/u;

const isTerm = (w: string) => {
  const length = Array.from(w).length;
  if (length === 1) return /\p{Script=Han}/u.test(w) && !FILLER_CHARS.test(w);
  return !STOPWORDS.has(w) && !/^\d+$/.test(w);
};

/** A question's terms with their weights (rarer terms weigh more). */
export type QuestionTerms = ReadonlyMap<string, number>;

export interface QuestionMatcher {
  terms(text: string): QuestionTerms;
  /** Weighted Jaccard: the weight of shared terms over the weight of all terms; 1 for the same terms. */
  similarity(a: QuestionTerms, b: QuestionTerms): number;
  /** The best similarity of a message to any of a set of question variants. */
  best(message: QuestionTerms, variants: readonly QuestionTerms[]): number;
}

/**
 * Compares questions by their words (jieba, search mode; English stemmed) and, at BIGRAM_WEIGHT, the
 * character bigrams of their Han runs, each weighted by its rarity (idf) in `corpus` — the bot's own example
 * utterances and the plan's sentences — so that 培训/报名/training weigh little and 焊工/彝良/pension much.
 */
export function createQuestionMatcher(tokenizer: Tokenizer, corpus: readonly string[]): QuestionMatcher {
  const raw = (text: string) => {
    const normal = normalizeText(text);
    const words = tokenizer.words(normal).map(stemEnglish).filter(isTerm);
    const bigrams: string[] = [];
    for (const run of normal.match(/\p{Script=Han}+/gu) ?? []) {
      const chars = Array.from(run);
      for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i]! + chars[i + 1]!);
    }
    return { words, bigrams: bigrams.filter((b) => !STOPWORDS.has(b)) };
  };
  const df = new Map<string, number>();
  for (const doc of corpus) {
    const { words, bigrams } = raw(doc);
    for (const term of new Set([...words, ...bigrams])) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const n = corpus.length;
  const idf = (term: string) => Math.log((n + 1) / ((df.get(term) ?? 0) + 1)) + 1;

  const similarity = (a: QuestionTerms, b: QuestionTerms) => {
    let shared = 0;
    let union = 0;
    for (const [term, weight] of a) {
      if (b.has(term)) shared += weight;
      union += weight;
    }
    for (const [term, weight] of b) if (!a.has(term)) union += weight;
    return union > 0 ? shared / union : 0;
  };

  return {
    terms(text) {
      const { words, bigrams } = raw(text);
      const out = new Map<string, number>();
      for (const b of bigrams) out.set(b, idf(b) * BIGRAM_WEIGHT);
      for (const w of words) out.set(w, Math.max(out.get(w) ?? 0, idf(w)));
      return out;
    },
    similarity,
    best(message, variants) {
      let best = 0;
      for (const v of variants) best = Math.max(best, similarity(message, v));
      return best;
    },
  };
}
