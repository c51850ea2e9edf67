/** Mainland China mobile numbers: 11 digits, 1[3-9]xxxxxxxxx. */

export type MobileFailure = 'empty' | 'characters' | 'length' | 'not_mobile';

export type MobileResult = { ok: true; value: string } | { ok: false; reason: MobileFailure };

/** Separators people type inside a number: spaces, dashes, dots, brackets. */
const SEPARATORS = /[\s\-–—.()（）]/g;

export function normalizeMobile(raw: string): MobileResult {
  let digits = raw.normalize('NFKC').replace(SEPARATORS, '');
  if (digits.length === 0) return { ok: false, reason: 'empty' };

  if (digits.startsWith('+')) digits = digits.slice(1);
  if (!/^\d+$/.test(digits)) return { ok: false, reason: 'characters' };

  // Country code only when what follows is a full 11-digit number, so a bare "86…" mobile is never cut.
  if (digits.length === 15 && digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);

  if (digits.length !== 11) return { ok: false, reason: 'length' };
  if (!/^1[3-9]\d{9}$/.test(digits)) return { ok: false, reason: 'not_mobile' };
  return { ok: true, value: digits };
}

/** Locale key (namespace `people`) that explains a failure to the user. */
export function mobileFailureKey(reason: MobileFailure): string {
  return `people:phone.invalid.${reason}`;
}
