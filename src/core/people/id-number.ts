import { DateTime } from 'luxon';
import { normalizePiiValue } from './pii-crypto';

/**
 * Resident identity card number per GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit sequence
 * (odd = male), ISO 7064 MOD 11-2 check character.
 */

export type IdNumberFailure =
  | 'empty'
  | 'legacy_15'
  | 'length'
  | 'characters'
  | 'region'
  | 'birth_date'
  | 'check_digit';

export type IdNumberResult =
  | { ok: true; value: string; birthDate: string; gender: 'male' | 'female'; regionCode: string }
  | { ok: false; reason: IdNumberFailure };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** First two digits: provinces, plus 71/81/82/83 (Taiwan, Hong Kong, Macau residence permits). */
// biome-ignore format: one row per region block reads better
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

const SHANGHAI = 'Asia/Shanghai';

/** Full-width digits become ASCII, whitespace (incl. the ideographic space) goes, x becomes X: the same
 * folding as the keyed hash, so a number that validates is looked up as typed. */
const clean = normalizePiiValue;

/** The check character for the first 17 digits; undefined when they are not 17 digits. */
export function idCheckChar(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11];
}

function birthDateOf(yyyymmdd: string, now: Date): string | undefined {
  const date = DateTime.fromFormat(yyyymmdd, 'yyyyMMdd', { zone: SHANGHAI });
  if (!date.isValid || date.year < 1900) return undefined;
  const today = DateTime.fromJSDate(now, { zone: SHANGHAI }).startOf('day');
  if (date > today) return undefined;
  return date.toISODate() ?? undefined;
}

export function validateIdNumber(raw: string, now: Date = new Date()): IdNumberResult {
  const value = clean(raw);
  if (value.length === 0) return { ok: false, reason: 'empty' };
  if (/^\d{15}$/.test(value)) return { ok: false, reason: 'legacy_15' };
  if (value.length !== 18) return { ok: false, reason: 'length' };
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, reason: 'characters' };

  const regionCode = value.slice(0, 6);
  if (!PROVINCE_CODES.has(regionCode.slice(0, 2))) return { ok: false, reason: 'region' };

  const birthDate = birthDateOf(value.slice(6, 14), now);
  if (birthDate === undefined) return { ok: false, reason: 'birth_date' };

  if (idCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: 'check_digit' };

  const gender = Number(value[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value, birthDate, gender, regionCode };
}

/** Locale key (namespace `people`) that explains a failure to the user. */
export function idNumberFailureKey(reason: IdNumberFailure): string {
  return `people:idNumber.invalid.${reason}`;
}
