import type { County, Group, Trade } from '../../domain';
import type { Lexicon } from '../lexicon';
import { distinctIds, matchLexicon } from './lexicon-match';

/** `text` must be normalised with normalizeForMatch. The first county named wins. */
export function extractCounty(text: string, lexicon: Lexicon): County | undefined {
  return matchLexicon(text, lexicon.county)[0]?.id;
}

/** Every trade named, in reading order, once each. */
export function extractTrades(text: string, lexicon: Lexicon): Trade[] {
  return distinctIds(matchLexicon(text, lexicon.trade));
}

export function extractGroups(text: string, lexicon: Lexicon): Group[] {
  return distinctIds(matchLexicon(text, lexicon.group));
}
