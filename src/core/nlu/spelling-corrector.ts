import { distance } from 'fastest-levenshtein';

/**
 * English words mistyped by a letter or two ("traning", "apprentiship", "entrepeneurship") are put back to
 * the known word they are closest to. Only words the vocabulary does not hold are touched, only long ones
 * (a short word one letter off is often another real word), and only when one known word is clearly closest.
 */
export interface SpellingCorrector {
  correct(text: string): string;
}

const WORD = /[a-z]+/gi;
const MIN_LEN = 5;

/** Edits allowed for a word of `length` letters: one up to 7 letters, two from 8. */
const allowed = (length: number) => (length >= 8 ? 2 : 1);

export function createSpellingCorrector(vocabulary: Iterable<string>): SpellingCorrector {
  const known = new Set<string>();
  for (const v of vocabulary) for (const w of v.toLowerCase().match(WORD) ?? []) known.add(w);
  const candidates = [...known].filter((w) => w.length >= MIN_LEN - 1);
  const memo = new Map<string, string>();

  const fix = (word: string): string => {
    const lower = word.toLowerCase();
    if (lower.length < MIN_LEN || known.has(lower)) return word;
    const hit = memo.get(lower);
    if (hit !== undefined) return hit;
    const limit = allowed(lower.length);
    let best = word;
    let bestDistance = limit + 1;
    let tie = false;
    for (const c of candidates) {
      if (Math.abs(c.length - lower.length) > limit) continue;
      const d = distance(lower, c);
      if (d < bestDistance) [best, bestDistance, tie] = [c, d, false];
      else if (d === bestDistance) tie = true;
    }
    const fixed = tie || bestDistance > limit ? word : best;
    if (memo.size < 10_000) memo.set(lower, fixed);
    return fixed;
  };

  return { correct: (text) => text.replace(WORD, fix) };
}
