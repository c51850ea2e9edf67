import type { ChoiceOption } from './chat-session';

export type ChoiceResolution =
  | { kind: 'chosen'; option: ChoiceOption }
  | { kind: 'out_of_range'; max: number }
  | { kind: 'none' };

const NUMBER = /^[(（]?\s*(\d{1,3})\s*[)）.、]?$/;
const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * Maps what the person sent to one of the choices last offered: a button press, a typed number ("2", "２",
 * "第二个"), or the choice's own words.
 */
export function resolveChoice(text: string, choices: ChoiceOption[], pressed?: number): ChoiceResolution {
  if (!choices.length) return { kind: 'none' };
  const index = pressed ?? parseIndex(text);
  if (index !== undefined) {
    const option = choices[index - 1];
    return option ? { kind: 'chosen', option } : { kind: 'out_of_range', max: choices.length };
  }
  const wanted = squash(text);
  if (!wanted) return { kind: 'none' };
  const option = choices.find((c) => squash(c.label) === wanted);
  return option ? { kind: 'chosen', option } : { kind: 'none' };
}

function parseIndex(text: string): number | undefined {
  const s = text.normalize('NFKC').trim();
  const n = NUMBER.exec(s);
  if (n) return Number(n[1]);
  const cn = /^第?([一二三四五六七八九])(个|项|条)?$/.exec(s);
  return cn ? CN_DIGITS[cn[1]!] : undefined;
}

/** Text as compared with what people type: NFKC, lower case, no spaces, punctuation or symbols. */
export function squash(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}
