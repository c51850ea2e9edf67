import type { Locale } from '../domain';
import { normalizeText } from './normalize';

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /\p{Script=Latin}{2,}/gu;
const LETTER = /\p{L}/gu;

/**
 * The language a message is written in, for answering in kind: any Han character means Chinese (people
 * mix in English course names, never the reverse); otherwise mostly-Latin words mean English. Digits,
 * emoji, punctuation, single letters or other scripts say nothing: undefined.
 */
export function detectLocale(text: string): Locale | undefined {
  const norm = normalizeText(typeof text === 'string' ? text : '');
  if (!norm) return undefined;
  if (HAN.test(norm)) return 'zh-CN';
  const latinLetters = (norm.match(LATIN_WORD) ?? []).reduce((n, w) => n + w.length, 0);
  if (latinLetters === 0) return undefined;
  const letters = norm.match(LETTER)?.length ?? 0;
  return latinLetters / letters >= 0.6 ? 'en' : undefined;
}
