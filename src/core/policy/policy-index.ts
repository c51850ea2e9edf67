import MiniSearch from 'minisearch';
import { z } from 'zod';
import type { Locale } from '../domain';
import { createHomophoneCorrector } from '../nlu/homophone-corrector';
import { createSpellingCorrector } from '../nlu/spelling-corrector';
import type { Tokenizer } from '../nlu/tokenizer';
import { createTokenizer } from '../nlu/tokenizer';
import { dialectSearchText } from './dialect';
import { parsePolicyDocument } from './policy-loader';
import {
  type AnalyzedQuery,
  createQueryAnalyzer,
  type QueryConcept,
  type SynonymTable,
  synonymTableSchema,
} from './policy-query';
import { clauseIdSchema, type PolicyClause, type PolicyDocument } from './policy-schema';
import { createReferrals, NO_REFERRALS, type Referrals } from './referrals';

export interface PolicySearchResult {
  clauseId: string;
  score: number;
  /** Share (0..1, weighted by rarity) of what the user asked about that this clause matched. */
  coverage: number;
  /** How much the clause matched in absolute terms: the summed rarity (idf) of the matched concepts. */
  evidence: number;
}

export interface PolicyIndex {
  readonly doc: PolicyDocument;
  search(query: string, limit?: number): PolicySearchResult[];
  /** 0..1; below POLICY_CONFIDENCE_THRESHOLD the caller should say it is not sure. */
  confidence(results: readonly PolicySearchResult[]): number;
  clause(id: string): PolicyClause | undefined;
  /** The clauses about the groups of people the text names (退役军人 → s1.3), from the groups table. */
  groupClauses(text: string): string[];
  /** `text` with typos of the plan's words corrected (陪训 → 培训, 申零 → 申领), as a search reads it. */
  correctTypos(text: string): string;
  /** One of the clause's own keywords is in the text ("家政" for the services clause, "startup" for s4.1). */
  namesClause(clauseId: string, text: string): boolean;
}

export interface PolicyIndexOptions {
  tokenizer: Tokenizer;
  synonyms: SynonymTable;
  /** data/policies/<plan>-groups.json: the clause that is about each group of people. */
  groupHomes?: readonly GroupHome[];
}

/** A group of people (any of `terms` in the question) and the clause about them. */
export interface GroupHome {
  terms: string[];
  clauses: string[];
}

export const groupHomesSchema = z.object({
  groups: z.array(
    z.object({ terms: z.array(z.string().min(1)).min(1), clauses: z.array(clauseIdSchema).min(1) }),
  ),
});

export { ABSTAIN_BELOW, BASIS_CONFIDENCE_THRESHOLD, POLICY_CONFIDENCE_THRESHOLD } from './thresholds';

const FIELDS = ['heading', 'keywords', 'summary', 'text'] as const;
const BOOST = { heading: 2, keywords: 3, summary: 1.5, text: 1 };
/** How much more of the question a runner-up must cover, with how much of the best score, to be put first. */
const COVERAGE_GAP = 0.4;
const COVERING_SCORE_SHARE = 0.6;
/** A keyword-only clause (the preamble) asked about without one of its keywords gives way to the rest. */
const KEYWORD_ONLY_FACTOR = 0.1;
/** Group clauses (s2) give way to their items (s2.2) unless the question is about the group itself. */
const PARENT_FACTOR = 0.8;
/**
 * Evidence at which a match counts as specific: specificity = 1 - exp(-evidence / EVIDENCE_SCALE).
 * One rare term (idf ≈ 3) gives ~0.9; a word found in every clause (培训, idf ≈ 0) gives ~0.
 */
const EVIDENCE_SCALE = 1.2;
/** Weight of a concept the plan never mentions (unknown words should lower coverage, not dominate it). */
const UNKNOWN_WEIGHT = 2;
/** Share of a concept's weight earned by matching only a piece (bigram) of a word the plan never uses. */
const PIECE_CREDIT = 0.5;
/**
 * Coordination: BM25 sums per-term scores, so one frequent term can outrank a clause that matches more of
 * the question; the score is scaled by (COORD_BASE + coverage).
 */
const COORD_BASE = 0.5;
const MARGIN_WEIGHT = 0.15;
/** Terms that name an aspect of a question (money, conditions, how to apply), not its subject. */
const ASPECT_TERMS = new Set(['补贴', '免费', '培训补贴', '费用', '条件', '申请', '申领补贴', '平台']);
const ASPECT_SHARE = 0.5;
/**
 * A question naming a group of people whose home clause speaks to everything else it asks (aspects aside):
 * the home clause's score is multiplied by this, so a clause that only lists the group beside the aspect
 * (补贴政策 for 免费) does not outrank it.
 */
const HOME_FACTOR = 2;
/** A term in nearly every clause (培训 0.14, 职业技能 0.46): it names no subject of its own. */
const GENERIC_IDF = 0.5;

type IndexedClause = Record<(typeof FIELDS)[number], string> & { id: string };
/** A document's raw BM25 score for one term in one field. */
type Posting = { doc: number; raw: number };
/** A document's running score and the query terms it matched, in the order they were met. */
type Accumulated = { score: number; terms: string[] };

function indexable(clause: PolicyClause): IndexedClause {
  const topic = clause.topic ? `${clause.topic['zh-CN']} | ${clause.topic.en}` : '';
  return {
    id: clause.id,
    heading: `${clause.heading} | ${topic}`,
    keywords: [...clause.keywords['zh-CN'], ...clause.keywords.en].join(' | '),
    summary: `${clause.summary['zh-CN']}\n${clause.summary.en}`,
    text: clause.text,
  };
}

export function createPolicyIndex(doc: PolicyDocument, options: PolicyIndexOptions): PolicyIndex {
  const analyzer = createQueryAnalyzer(options.tokenizer, options.synonyms);
  const byId = new Map(doc.clauses.map((c) => [c.id, c]));
  const parents = new Set(doc.clauses.flatMap((c) => (c.parent ? [c.parent] : [])));
  /** Each clause's keywords of two characters or more, lower-cased, in both languages. */
  const keywordsOf = new Map(
    doc.clauses.map((c) => [
      c.id,
      [...c.keywords['zh-CN'], ...c.keywords.en]
        .filter((k) => Array.from(k).length >= 2)
        .map((k) => k.toLowerCase()),
    ]),
  );
  const keywordIn = (id: string, lowered: string): boolean =>
    keywordsOf.get(id)?.some((k) => lowered.includes(k)) ?? false;
  /** Clauses that answer only a question using one of their keywords (the preamble). */
  const keywordOnly = new Set(doc.clauses.filter((c) => c.keywordOnly).map((c) => c.id));

  const miniSearch = new MiniSearch<IndexedClause>({
    fields: [...FIELDS],
    tokenize: (text) => analyzer.indexTerms(text),
    processTerm: (term) => term,
  });
  const docs = doc.clauses.map(indexable);
  miniSearch.addAll(docs);

  // Document frequency over all fields, for weighting query concepts by how telling they are.
  const df = new Map<string, number>();
  for (const d of docs) {
    const seen = new Set(FIELDS.flatMap((f) => analyzer.indexTerms(d[f])));
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = docs.length;
  // The words a typo is corrected to: the plan's own words and the synonym table's phrases (not bigrams, not
  // the gap keys "钱…从哪", which are patterns rather than words).
  const phrases = options.synonyms.groups
    .flatMap((g) => [...g.match, ...g.add])
    .filter((p) => !p.includes('…'));
  const homophones = createHomophoneCorrector(options.tokenizer, [
    ...docs.flatMap((d) =>
      FIELDS.flatMap((f) => d[f].split(/[。；;，,\n]/u).flatMap((s) => options.tokenizer.words(s))),
    ),
    ...phrases,
  ]);
  const spelling = createSpellingCorrector([
    ...docs.flatMap((d) => [d.heading, d.keywords, d.summary]),
    ...phrases,
    ...options.synonyms.stopwords.en,
  ]);
  const correct = (query: string) => spelling.correct(homophones.correct(dialectSearchText(query)));
  const idf = (term: string): number | undefined => {
    const f = df.get(term);
    return f === undefined ? undefined : Math.log(1 + (n - f + 0.5) / (f + 0.5));
  };
  /**
   * A concept weighs as much as its rarest known term (unknown: UNKNOWN_WEIGHT); a clause earns the weight
   * of the rarest term it matched, so matching only the common part (技能 of 技能竞赛) earns little.
   */
  const coverage = (
    query: AnalyzedQuery,
    matched: ReadonlySet<string>,
  ): { coverage: number; evidence: number } => {
    let total = 0;
    let evidence = 0;
    for (const c of query.concepts) {
      let weight: number | undefined;
      let earned = 0;
      const wordUnknown = c.word !== undefined && idf(c.word) === undefined;
      if (wordUnknown && c.filler) continue;
      for (const t of c.terms) {
        const w = idf(t);
        if (w === undefined) continue;
        weight = Math.max(weight ?? 0, w);
        const credit = wordUnknown && c.pieces?.includes(t) ? PIECE_CREDIT : 1;
        if (matched.has(t)) earned = Math.max(earned, w * credit);
      }
      if (wordUnknown) weight = Math.max(weight ?? 0, UNKNOWN_WEIGHT);
      // What is asked about a subject (补贴, 免费, 条件) weighs less than the subject (创业培训): a clause on
      // the subject that does not speak to the aspect is still the one to answer from ("the plan does not say").
      const share = c.terms.every((t) => ASPECT_TERMS.has(t)) ? ASPECT_SHARE : 1;
      total += (weight ?? UNKNOWN_WEIGHT) * share;
      evidence += earned * share;
    }
    return { coverage: total > 0 ? evidence / total : 0, evidence };
  };

  /**
   * MiniSearch's OR search with BOOST and a boost per term, as `miniSearch.search(terms.join(' '), …)` computes
   * it (same sums in the same order, same ties), from each term's per-field BM25 scores read once from the index
   * (it never changes). MiniSearch's own search spent most of a policy search building options and match
   * objects for every term of every question.
   */
  const indexOf = new Map(docs.map((d, i) => [d.id, i]));
  const postingsByTerm = new Map<string, Posting[][]>();
  const postings = (term: string): Posting[][] | undefined => {
    // Only terms the index has are kept (the set is bounded by the plan's words, not by what people type).
    if (!df.has(term)) return undefined;
    let found = postingsByTerm.get(term);
    if (!found) {
      found = FIELDS.map((field) =>
        miniSearch
          .search(term, { fields: [field], boost: {}, tokenize: (s) => [s], processTerm: (t) => t })
          // One term in one field, boosts 1: the score is the raw BM25 score (x * 1 is exact). Documents are
          // kept in the order MiniSearch meets them (the order they were added), which decides ties.
          .map((r) => ({ doc: indexOf.get(String(r.id))!, raw: r.score }))
          .sort((a, b) => a.doc - b.doc),
      );
      postingsByTerm.set(term, found);
    }
    return found;
  };
  const bm25Search = (
    boosts: ReadonlyMap<string, number>,
  ): { id: string; score: number; queryTerms: string[] }[] => {
    // MiniSearch splits the joined query on spaces and drops empty terms.
    const queryTerms = [...boosts.keys()]
      .join(' ')
      .split(' ')
      .filter((t) => !!t);
    let combined: Map<number, Accumulated> | undefined;
    for (const term of queryTerms) {
      const termBoost = boosts.get(term) ?? 1;
      const results = new Map<number, Accumulated>();
      const fields = postings(term);
      if (fields) {
        for (let f = 0; f < FIELDS.length; f++) {
          const fieldBoost = BOOST[FIELDS[f]!];
          for (const { doc, raw } of fields[f]!) {
            const weighted = termBoost * fieldBoost * raw;
            const result = results.get(doc);
            if (result) {
              result.score += weighted;
              if (!result.terms.includes(term)) result.terms.push(term);
            } else results.set(doc, { score: weighted, terms: [term] });
          }
        }
      }
      if (!combined) {
        combined = results;
        continue;
      }
      for (const [doc, b] of results) {
        const existing = combined.get(doc);
        if (!existing) combined.set(doc, b);
        else {
          existing.score = existing.score + b.score;
          for (const t of b.terms) if (!existing.terms.includes(t)) existing.terms.push(t);
        }
      }
    }
    const out: { id: string; score: number; queryTerms: string[] }[] = [];
    for (const [doc, { score, terms }] of combined ?? [])
      out.push({ id: docs[doc]!.id, score: score * (terms.length || 1), queryTerms: terms });
    return out.sort((a, b) => b.score - a.score);
  };

  /** The home clauses of the groups of people the question names. */
  const homeClauses = (query: AnalyzedQuery): Set<string> => {
    const terms = new Set(query.concepts.flatMap((c) => c.terms));
    return new Set(
      (options.groupHomes ?? []).filter((g) => g.terms.some((t) => terms.has(t))).flatMap((g) => g.clauses),
    );
  };
  const isAspect = (c: QueryConcept) => c.terms.some((t) => ASPECT_TERMS.has(t));
  /**
   * True when the question asks nothing of the clause but an aspect (补贴, 免费, 条件): every other concept is
   * a word the plan never uses, a word in nearly every clause (培训), a phrase of the synonym table one of whose
   * plan terms the clause has (贫困家庭 → 贫困), or one whose rarest term the clause has (the group itself, 农村
   * for s1.1; not 创业培训 for s1.3, which only says 创业).
   */
  const speaksToAll = (query: AnalyzedQuery, matched: ReadonlySet<string>): boolean =>
    query.concepts.every((c) => {
      if (isAspect(c)) return true;
      if (c.canonical?.some((t) => matched.has(t) && (idf(t) ?? 0) >= GENERIC_IDF)) return true;
      const known = c.terms.filter((t) => idf(t) !== undefined);
      if (known.length === 0) return true;
      const rarest = known.reduce((a, b) => (idf(b)! > idf(a)! ? b : a));
      return idf(rarest)! < GENERIC_IDF || matched.has(rarest);
    });
  const withoutAspects = (query: AnalyzedQuery): AnalyzedQuery => ({
    ...query,
    concepts: query.concepts.filter((c) => !isAspect(c)),
  });

  const search = (query: string, limit = 5): PolicySearchResult[] => {
    const corrected = correct(query);
    const analyzed = analyzer.analyze(corrected);
    if (analyzed.terms.size === 0) return [];
    const lowered = corrected.toLowerCase();
    const raw = bm25Search(analyzed.terms);
    const homes = homeClauses(analyzed);
    const ranked = raw
      .map((r) => {
        const matched = new Set<string>(r.queryTerms);
        const home = homes.has(String(r.id)) && speaksToAll(analyzed, matched) ? HOME_FACTOR : 1;
        // The home clause answers the subject; whether it speaks to the aspect is the answer's to say.
        const cov = coverage(home > 1 ? withoutAspects(analyzed) : analyzed, matched);
        const score =
          r.score *
          (parents.has(String(r.id)) ? PARENT_FACTOR : 1) *
          (!keywordOnly.has(String(r.id)) || keywordIn(String(r.id), lowered) ? 1 : KEYWORD_ONLY_FACTOR) *
          (COORD_BASE + cov.coverage) *
          home;
        return { clauseId: String(r.id), score, ...cov };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.max(0, limit));
    return preferCovering(ranked);
  };

  const confidence = (results: readonly PolicySearchResult[]): number => {
    const top = results[0];
    if (!top || !(top.score > 0)) return 0;
    const specificity = 1 - Math.exp(-Math.max(0, top.evidence) / EVIDENCE_SCALE);
    const second = results[1]?.score ?? 0;
    const margin = 1 - Math.min(1, second / top.score);
    const base = top.coverage * specificity;
    return Math.min(1, Math.max(0, base * (1 - MARGIN_WEIGHT + MARGIN_WEIGHT * (2 * margin))));
  };

  const groupClauses = (text: string): string[] => [...homeClauses(analyzer.analyze(correct(text)))];

  const correctTypos = (text: string) => spelling.correct(homophones.correct(text));

  return {
    doc,
    search,
    confidence,
    clause: (id) => byId.get(id),
    groupClauses,
    correctTypos,
    namesClause: (id, text) => keywordIn(id, text.toLowerCase()),
  };
}

export interface PolicyKnowledgeInput {
  policyJson: string;
  synonymsJson: string;
  /** jieba user dictionary text (data/nlu/userdict-policy.txt). */
  userDict: string;
  /** data/nlu/referrals.json: topics the plan does not cover and where they go. */
  referralsJson?: string;
  /** data/policies/<plan>-trades.json: the clauses that name each trade of the lexicon. */
  tradesJson?: string;
  /** data/policies/<plan>-groups.json: the clause about each group of people. */
  groupsJson?: string;
  /** Reuse a tokenizer built elsewhere (building one loads jieba's dictionary, ~100 ms). */
  tokenizer?: Tokenizer;
}

export interface PolicyKnowledge {
  doc: PolicyDocument;
  index: PolicyIndex;
  referrals: Referrals;
  /** Clause ids naming a trade (lexicon trade id → clauses, best first); a trade the plan never names has none. */
  tradeClauses(trade: string): readonly string[];
  /** The clause that says which trades' training is subsidised (the published list), if the plan has one. */
  subsidyListClause?: string;
  /** The clause saying training subsidies are put into practice, with its words to quote ("落实职业培训补贴政策"). */
  subsidyPolicy?: { clause: string; quote: Record<Locale, string> };
}

const tradeTableSchema = z.object({
  trades: z.record(z.string(), z.array(clauseIdSchema).min(1)),
  subsidyList: clauseIdSchema.optional(),
  /** The clause that says training subsidies are put into practice, and those words of it (quoted as they stand). */
  subsidyPolicy: z
    .object({
      clause: clauseIdSchema,
      quote: z.object({ 'zh-CN': z.string().min(2), en: z.string().min(2) }),
    })
    .optional(),
});

/** Builds the document, synonyms and index from file contents. */
export function createPolicyKnowledge(input: PolicyKnowledgeInput): PolicyKnowledge {
  const doc = parsePolicyDocument(input.policyJson);
  const synonyms = synonymTableSchema.parse(JSON.parse(input.synonymsJson));
  const tokenizer = input.tokenizer ?? createTokenizer(input.userDict);
  const referrals = input.referralsJson ? createReferrals(JSON.parse(input.referralsJson)) : NO_REFERRALS;
  const tradeTable = input.tradesJson ? tradeTableSchema.parse(JSON.parse(input.tradesJson)) : undefined;
  const trades = tradeTable?.trades ?? {};
  const subsidyListClause = tradeTable?.subsidyList;
  const groupHomes = input.groupsJson ? groupHomesSchema.parse(JSON.parse(input.groupsJson)).groups : [];
  const index = createPolicyIndex(doc, { tokenizer, synonyms, groupHomes });
  for (const id of groupHomes.flatMap((g) => g.clauses))
    if (!index.clause(id)) throw new Error(`group clauses: no clause ${id} in the plan`);
  for (const ids of Object.values(trades))
    for (const id of ids)
      if (!index.clause(id)) throw new Error(`trade clauses: no clause ${id} in the plan`);
  if (subsidyListClause && !index.clause(subsidyListClause))
    throw new Error(`trade clauses: no clause ${subsidyListClause} in the plan`);
  const subsidyPolicy = tradeTable?.subsidyPolicy;
  if (subsidyPolicy && !index.clause(subsidyPolicy.clause)?.text.includes(subsidyPolicy.quote['zh-CN']))
    throw new Error(
      `trade clauses: clause ${subsidyPolicy.clause} does not say "${subsidyPolicy.quote['zh-CN']}"`,
    );
  return {
    doc,
    index,
    referrals,
    tradeClauses: (trade) => trades[trade] ?? [],
    ...(subsidyListClause && { subsidyListClause }),
    ...(subsidyPolicy && { subsidyPolicy }),
  };
}

/**
 * A runner-up that speaks to far more of the question than the best (s11 with 竞赛, 获奖, 破格 against s2.7 with
 * only 升级) and scores nearly as well is put first: one heavily weighted word should not outrank the rest.
 */
function preferCovering(results: PolicySearchResult[]): PolicySearchResult[] {
  const [top, second] = results;
  if (!top || !second) return results;
  if (second.coverage - top.coverage >= COVERAGE_GAP && second.score >= COVERING_SCORE_SHARE * top.score)
    return [second, top, ...results.slice(2)];
  return results;
}
