import type { PolicyIndex, PolicySearchResult } from '../../policy/policy-index';
import type { Turn } from '../turn';

export interface PlanSearch {
  results: PolicySearchResult[];
  confidence: number;
}

/** Searches of the current turn: the route and the answer ask the plan the same thing once. */
const byTurn = new WeakMap<Turn, Map<string, PlanSearch>>();

/** The plan's best clauses for `text` and how sure it is, searched once per turn and text. */
export function searchPlan(turn: Turn, index: PolicyIndex, text: string): PlanSearch {
  let searches = byTurn.get(turn);
  if (!searches) {
    searches = new Map();
    byTurn.set(turn, searches);
  }
  let found = searches.get(text);
  if (!found) {
    const results = index.search(text, 3);
    found = { results, confidence: index.confidence(results) };
    searches.set(text, found);
  }
  return found;
}
