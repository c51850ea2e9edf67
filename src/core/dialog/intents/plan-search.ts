import type { PolicyIndex, PolicySearchResult } from '../../policy/policy-index';
import type { Turn } from '../turn';

export interface PlanSearch {
  results: PolicySearchResult[];
  confidence: number;
}

/** Searches of the current turn: the route and the answer ask the plan the same thing once. */
const byTurn = new WeakMap<Turn, Map<string, PlanSearch>>();

/** The plan's best clauses for `text` and how sure it is, searched once per turn and text. */
/** The turn's searches by text, made on first use. */
function searchesOf(turn: Turn): Map<string, PlanSearch> {
  let searches = byTurn.get(turn);
  if (!searches) {
    searches = new Map();
    byTurn.set(turn, searches);
  }
  return searches;
}

export function searchPlan(turn: Turn, index: PolicyIndex, text: string): PlanSearch {
  const searches = searchesOf(turn);
  let found = searches.get(text);
  if (!found) {
    const results = index.search(text, 3);
    found = { results, confidence: index.confidence(results) };
    searches.set(text, found);
  }
  return found;
}

/**
 * Puts `clauseId` first among the turn's results for `text` when it is already among them and covers as much
 * of the question as the best one: the clause a follow-up's topic was answered from, still speaking to it.
 * Returns whether it is first now.
 */
export function preferClause(turn: Turn, index: PolicyIndex, text: string, clauseId: string): boolean {
  const found = searchPlan(turn, index, text);
  const top = found.results[0];
  const kept = found.results.find((r) => r.clauseId === clauseId);
  if (!top || !kept) return false;
  if (kept === top) return true;
  if (kept.coverage < top.coverage) return false;
  const results = [kept, ...found.results.filter((r) => r !== kept)];
  searchesOf(turn).set(text, { results, confidence: index.confidence(results) });
  return true;
}

/**
 * Makes `clauseId` the turn's only result for `text`, surely: the clause the message names outright (the clause
 * naming a trade in "政府有没有组织种天麻的技术培训"), which the search of its loose words could not place.
 */
export function pinClause(turn: Turn, text: string, clauseId: string): void {
  searchesOf(turn).set(text, { results: [{ clauseId, score: 1, coverage: 1, evidence: 1 }], confidence: 1 });
}
