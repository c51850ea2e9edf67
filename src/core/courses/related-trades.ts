import type { Group, Trade } from '../domain';

/** Trades close enough that someone asking for one may well want the other. Symmetric by construction. */
const RELATED_PAIRS: ReadonlyArray<readonly [Trade, Trade]> = [
  ['maternal_infant_care', 'housekeeping'],
  ['elderly_care', 'housekeeping'],
  ['elderly_care', 'maternal_infant_care'],
  ['electrician', 'welder'],
  ['electrician', 'advanced_skill'],
  ['welder', 'advanced_skill'],
  ['apprenticeship', 'advanced_skill'],
  ['ecommerce', 'entrepreneurship'],
  ['tianma', 'potato'],
  ['apple', 'sichuan_pepper'],
  ['tianma', 'sichuan_pepper'],
  ['handicraft', 'tourism'],
  ['chef', 'tourism'],
  ['construction', 'electrician'],
  ['construction', 'welder'],
];

export type TradeSynonyms = Partial<Record<Trade, readonly Trade[]>>;

export function relatedTrades(trade: Trade, extra: TradeSynonyms = {}): Set<Trade> {
  const related = new Set<Trade>();
  for (const [a, b] of RELATED_PAIRS) {
    if (a === trade) related.add(b);
    if (b === trade) related.add(a);
  }
  for (const t of extra[trade] ?? []) related.add(t);
  for (const [from, tos] of Object.entries(extra) as Array<[Trade, readonly Trade[]]>) {
    if (tos.includes(trade)) related.add(from);
  }
  related.delete(trade);
  return related;
}

/** Trades the plan singles out for a group (e.g. 创业培训 for graduates, veterans and returnees). */
export const GROUP_TRADES: Readonly<Partial<Record<Group, readonly Trade[]>>> = {
  returnee: ['entrepreneurship'],
  graduate: ['entrepreneurship'],
  veteran: ['entrepreneurship', 'security'],
  employee: ['advanced_skill', 'apprenticeship'],
  laid_off: ['entrepreneurship'],
  unemployed: ['entrepreneurship'],
};

/** The first of the person's groups the plan links to this trade, if any. */
export function groupAffinity(trade: Trade, groups: readonly Group[]): Group | undefined {
  return groups.find((g) => GROUP_TRADES[g]?.includes(trade));
}
