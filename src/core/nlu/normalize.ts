/** Longest input the NLU looks at; longer messages are cut first so one paste cannot stall a turn. */
export const MAX_NLU_INPUT = 500;

/**
 * NFKC folds full-width digits/letters (１２３, ＡＢＣ) and compatibility forms; control characters and
 * zero-width marks are dropped; whitespace is collapsed; Latin letters are lower-cased.
 */
export function normalizeText(input: string, max = MAX_NLU_INPUT): string {
  const cut = Array.from(input)
    .slice(0, max * 2)
    .join('');
  return cut
    .normalize('NFKC')
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g,
      '',
    )
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .toLowerCase();
}
