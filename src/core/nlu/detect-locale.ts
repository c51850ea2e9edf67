import type { Locale } from '../domain';
import { normalizeText } from './normalize';

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /\p{Script=Latin}{2,}/gu;
const LETTER = /\p{L}/gu;
/** A course code ("LD-YH-01") is typed the same in every language: it says nothing about which. */
const COURSE_CODE = /(?<![a-z])[a-z]{2}\s*[-－_ ]\s*[a-z]{2,4}\s*[-－_ ]\s*\d{2}(?!\d)/giu;

/**
 * The language a message is written in, for answering in kind: any Han character means Chinese (people
 * mix in English course names, never the reverse); otherwise mostly-Latin words mean English. Digits,
 * emoji, punctuation, single letters or other scripts say nothing: undefined.
 */
export function detectLocale(text: string): Locale | undefined {
  const norm = normalizeText(typeof text === 'string' ? text : '')
    .replace(COURSE_CODE, ' ')
    .trim();
  if (!norm) return undefined;
  if (HAN.test(norm)) return 'zh-CN';
  const latinLetters = (norm.match(LATIN_WORD) ?? []).reduce((n, w) => n + w.length, 0);
  if (latinLetters === 0) return undefined;
  const letters = norm.match(LETTER)?.length ?? 0;
  return latinLetters / letters >= 0.6 ? 'en' : undefined;
}
