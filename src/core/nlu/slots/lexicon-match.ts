import type { LexiconEntry } from '../lexicon';

export interface LexiconHit<Id extends string> {
  id: Id;
  start: number;
  form: string;
}

const WORD_CHAR = /[a-z0-9]/;

function onWordBoundary(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  return (before === undefined || !WORD_CHAR.test(before)) && (after === undefined || !WORD_CHAR.test(after));
}

/**
 * Longest-form-first matching: once a span is claimed (by a form or an ignore phrase), shorter forms inside
 * it are skipped, so 电焊工 is one hit and 养老保险 blocks 养老. `text` must already be normalised with
 * normalizeForMatch. Hits come back in reading order.
 */
export function matchLexicon<Id extends string>(
  text: string,
  entries: readonly LexiconEntry<Id>[],
): LexiconHit<Id>[] {
  if (!text) return [];
  const claimed = new Uint8Array(text.length);
  const hits: LexiconHit<Id>[] = [];
  for (const entry of entries) {
    let from = 0;
    for (;;) {
      const start = text.indexOf(entry.form, from);
      if (start < 0) break;
      const end = start + entry.form.length;
      from = start + 1;
      if (entry.latin && !onWordBoundary(text, start, end)) continue;
      if (claimed.subarray(start, end).some((c) => c === 1)) continue;
      claimed.fill(1, start, end);
      if (entry.id !== null) hits.push({ id: entry.id, start, form: entry.form });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** Distinct ids in reading order. */
export function distinctIds<Id extends string>(hits: readonly LexiconHit<Id>[]): Id[] {
  return [...new Set(hits.map((h) => h.id))];
}
