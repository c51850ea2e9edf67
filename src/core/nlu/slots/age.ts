import { parseChineseNumber } from './chinese-number';

/** Ages outside this range are almost always a misread number (a child's age, a count, a price). */
export const MIN_AGE = 14;
export const MAX_AGE = 80;
const MIN_BIRTH_YEAR = 1940;
const MAX_BIRTH_YEAR = 2015;

const CN_NUM = '[零〇一二两三四五六七八九十]{1,3}';

/** Each pattern has one capture group: the number. Text is already normalised (lower-case, NFKC). */
const AGE_PATTERNS: readonly RegExp[] = [
  /(?<!\d)(\d{1,3})\s*(?:周岁|岁)/g,
  new RegExp(`(${CN_NUM})\\s*(?:周岁|岁)`, 'gu'),
  /今年\s*(\d{1,2})(?![\d年月号日点块元])/g,
  new RegExp(`今年\\s*(${CN_NUM})(?:了|岁)`, 'gu'),
  /\b(?:i['’]?m|i am)\s+(\d{1,3})(?!\d|[.,]\d|\s*(?:%|kg|cm|km|yuan|rmb|kilo|min|hour))/g,
  /(?<!\d)(\d{1,3})\s*(?:years?|yrs?)[\s-]*old\b/g,
  /(?<!\d)(\d{1,3})\s*yo\b/g,
  /\bage[d:]?\s*(?:is\s*)?(\d{1,3})(?!\d)/g,
];

const FOUR_DIGIT_YEAR_PATTERNS: readonly RegExp[] = [
  /(?<!\d)((?:19|20)\d\d)\s*年?\s*(?:生|出生|的人|的)/g,
  /出生(?:于|在|年份是?)?\s*((?:19|20)\d\d)(?!\d)/g,
  /\bborn\s+(?:in\s+)?((?:19|20)\d\d)(?!\d)/g,
];
const TWO_DIGIT_YEAR = /(?<!\d)(\d\d)\s*年\s*(?:生|出生|的)/g;

function toNumber(raw: string): number | undefined {
  return /^\d+$/.test(raw) ? Number(raw) : parseChineseNumber(raw);
}

function firstCapture(text: string, patterns: readonly RegExp[], accept: (n: number) => boolean) {
  let best: { at: number; value: number } | undefined;
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const value = toNumber(m[1] ?? '');
      if (value === undefined || !accept(value)) continue;
      if (!best || m.index < best.at) best = { at: m.index, value };
    }
  }
  return best?.value;
}

/** The first plausible age in reading order ("儿子5岁, 我35岁" → 35). */
export function extractAge(text: string): number | undefined {
  return firstCapture(text, AGE_PATTERNS, (n) => n >= MIN_AGE && n <= MAX_AGE);
}

const plausibleYear = (y: number): boolean => y >= MIN_BIRTH_YEAR && y <= MAX_BIRTH_YEAR;

/** "1990年生", "出生于1990", "born in 1990", and the two-digit "90年的" (→ 1990) / "05年的" (→ 2005). */
export function extractBirthYear(text: string): number | undefined {
  const full = firstCapture(text, FOUR_DIGIT_YEAR_PATTERNS, plausibleYear);
  if (full !== undefined) return full;
  const short = firstCapture(text, [TWO_DIGIT_YEAR], () => true);
  if (short === undefined) return undefined;
  const year = short >= 30 ? 1900 + short : 2000 + short;
  return plausibleYear(year) ? year : undefined;
}
