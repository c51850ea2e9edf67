const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/**
 * Chinese numerals from 0 to 99 as people write ages: 五, 十八, 二十, 三十五, 四十岁的"四十".
 * Anything else (百, 三五, empty) is undefined rather than a guess.
 */
export function parseChineseNumber(text: string): number | undefined {
  const chars = Array.from(text);
  if (chars.length === 0 || chars.length > 3) return undefined;
  const tenAt = chars.indexOf('十');
  if (tenAt < 0) return chars.length === 1 ? DIGITS[chars[0]!] : undefined;
  if (chars.lastIndexOf('十') !== tenAt || tenAt > 1) return undefined;
  const tensChar = tenAt === 1 ? chars[0]! : undefined;
  const tens = tensChar === undefined ? 1 : DIGITS[tensChar];
  const unitsChar = chars[tenAt + 1];
  const units = unitsChar === undefined ? 0 : DIGITS[unitsChar];
  if (tens === undefined || units === undefined || tens === 0) return undefined;
  return tens * 10 + units;
}
