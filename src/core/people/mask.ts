/** Display and log forms of personal data that keep just enough to recognise one's own record. */

function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}

/** `53062119900101123X` → `5306**********123X` (first 4 and last 4 visible). */
export function maskIdNumber(idNumber: string): string {
  return keepEnds(idNumber.replace(/\s+/g, '').toUpperCase(), 4, 4);
}

/** `13812345678` → `138****5678`; other lengths keep only the last 4. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[\s-]+/g, '');
  return digits.length === 11 ? keepEnds(digits, 3, 4) : keepEnds(digits, 0, 4);
}

/** `张三丰` → `张**`; a one-character name is fully masked. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * A 15- or 18-character ID-looking run (digits, optionally split by single spaces or dashes, last character
 * may be X) that is not part of a longer alphanumeric run.
 */
const ID_RUN = /(?<![0-9A-Za-z])\d(?:[ -]?\d){14}(?:(?:[ -]?\d){2}[ -]?[\dXx])?(?![0-9A-Za-z])/g;

/** Masks every ID-looking run in free text (for logs); errs on the side of masking. */
export function redactIdNumbers(text: string): string {
  return text.replace(ID_RUN, (run) => maskIdNumber(run.replace(/[ -]/g, '')));
}
