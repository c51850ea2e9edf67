import MiniSearch from 'minisearch';
import type { Tokenizer } from '../nlu/tokenizer';
import { createTokenizer } from '../nlu/tokenizer';
import { parsePolicyDocument } from './policy-loader';
import {
  type AnalyzedQuery,
  createQueryAnalyzer,
  type SynonymTable,
  synonymTableSchema,
} from './policy-query';
import type { PolicyClause, PolicyDocument } from './policy-schema';

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
}

export interface PolicyIndexOptions {
  tokenizer: Tokenizer;
  synonyms: SynonymTable;
}

export const POLICY_CONFIDENCE_THRESHOLD = 0.35;

const FIELDS = ['heading', 'keywords', 'summary', 'text'] as const;
const BOOST = { heading: 2, keywords: 3, summary: 1.5, text: 1 };
/** Group clauses (s2) give way to their items (s2.2) unless the question is about the group itself. */
const PARENT_FACTOR = 0.8;
/**
 * Evidence at which a match counts as specific: specificity = 1 - exp(-evidence / EVIDENCE_SCALE).
 * One rare term (idf ≈ 3) gives ~0.9; a word found in every clause (培训, idf ≈ 0) gives ~0.
 */
const EVIDENCE_SCALE = 1.2;
/** Weight of a concept the plan never mentions (unknown words should lower coverage, not dominate it). */
const UNKNOWN_WEIGHT = 1;
/**
 * Coordination: BM25 sums per-term scores, so one frequent term can outrank a clause that matches more of
 * the question; the score is scaled by (COORD_BASE + coverage).
 */
const COORD_BASE = 0.5;

type IndexedClause = Record<(typeof FIELDS)[number], string> & { id: string };

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
      for (const t of c.terms) {
        const w = idf(t);
        if (w === undefined) continue;
        weight = Math.max(weight ?? 0, w);
        if (matched.has(t)) earned = Math.max(earned, w);
      }
      total += weight ?? UNKNOWN_WEIGHT;
      evidence += earned;
    }
    return { coverage: total > 0 ? evidence / total : 0, evidence };
  };

  const search = (query: string, limit = 5): PolicySearchResult[] => {
    const analyzed = analyzer.analyze(query);
    if (analyzed.terms.size === 0) return [];
    const raw = miniSearch.search([...analyzed.terms.keys()].join(' '), {
      boost: BOOST,
      combineWith: 'OR',
      tokenize: (s) => s.split(' '),
      processTerm: (t) => t,
      boostTerm: (term) => analyzed.terms.get(term) ?? 1,
    });
    return raw
      .map((r) => {
        const cov = coverage(analyzed, new Set(r.queryTerms));
        const score = r.score * (parents.has(String(r.id)) ? PARENT_FACTOR : 1) * (COORD_BASE + cov.coverage);
        return { clauseId: String(r.id), score, ...cov };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.max(0, limit));
  };

  const confidence = (results: readonly PolicySearchResult[]): number => {
    const top = results[0];
    if (!top || !(top.score > 0)) return 0;
    const specificity = 1 - Math.exp(-Math.max(0, top.evidence) / EVIDENCE_SCALE);
    return Math.min(1, Math.max(0, top.coverage * specificity));
  };

  return { doc, search, confidence, clause: (id) => byId.get(id) };
}

export interface PolicyKnowledgeInput {
  policyJson: string;
  synonymsJson: string;
  /** jieba user dictionary text (data/nlu/userdict-policy.txt). */
  userDict: string;
  /** Reuse a tokenizer built elsewhere (building one loads jieba's dictionary, ~100 ms). */
  tokenizer?: Tokenizer;
}

export interface PolicyKnowledge {
  doc: PolicyDocument;
  index: PolicyIndex;
}

/** Builds the document, synonyms and index from file contents. */
export function createPolicyKnowledge(input: PolicyKnowledgeInput): PolicyKnowledge {
  const doc = parsePolicyDocument(input.policyJson);
  const synonyms = synonymTableSchema.parse(JSON.parse(input.synonymsJson));
  const tokenizer = input.tokenizer ?? createTokenizer(input.userDict);
  return { doc, index: createPolicyIndex(doc, { tokenizer, synonyms }) };
}
