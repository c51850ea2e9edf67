/** Ends of sentences a long text may be cut after: Chinese and Latin sentence ends, and line breaks. */
const SENTENCE_END = new Set(['。', '！', '？', '!', '?', '\n', '；']);
/** Closing marks that belong to the sentence before them ("他说：“好。”"). */
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '"', "'", '】', '》']);

/**
 * Splits a text into parts of at most `limit` UTF-16 units (the unit Telegram and most platforms count),
 * cutting after the last sentence end that fits, else after the last space, else anywhere but inside a
 * surrogate pair. Joining the parts gives back the text exactly: nothing is dropped or added.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError('limit must be at least 2');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = cutPoint(rest, limit);
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest || parts.length === 0) parts.push(rest);
  return parts;
}

function cutPoint(text: string, limit: number): number {
  for (let i = limit - 1; i > 0; i--) {
    if (isSentenceEnd(text, i)) {
      let cut = i + 1;
      while (cut < limit && CLOSERS.has(text[cut]!)) cut++;
      return cut;
    }
  }
  for (let i = limit - 1; i > 0; i--) if (/\s/.test(text[i]!)) return i + 1;
  const high = text.charCodeAt(limit - 1);
  return high >= 0xd800 && high <= 0xdbff ? limit - 1 : limit;
}

function isSentenceEnd(text: string, i: number): boolean {
  const c = text[i]!;
  if (SENTENCE_END.has(c)) return true;
  // A full stop ends a sentence only before a space or the end ("4.5" and "a.b" are not cut).
  return c === '.' && (i + 1 >= text.length || /\s/.test(text[i + 1]!));
}
