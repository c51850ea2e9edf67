/** Display and log forms of personal data that keep just enough to recognise one's own record. */

function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}

/** Whitespace (the ideographic space included) and every kind of dash, as people type them between digits. */
const SEPARATORS = /[\s\p{Pd}\u2212]+/gu;

/** `53062119900101123X` → `5306**********123X` (first 4 and last 4 visible); full-width digits become ASCII. */
export function maskIdNumber(idNumber: string): string {
  return keepEnds(idNumber.normalize('NFKC').replace(SEPARATORS, '').toUpperCase(), 4, 4);
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
 * A 15- or 18-character ID-looking run: digits, split by any runs of whitespace or dashes, the last may be X;
 * not part of a longer run of digits (letters or other text may touch it: "ID530621…", "身份证530621…").
 * It runs over the shadow text of `shadowOf`, where every digit form the validator folds is an ASCII digit.
 */
const ID_RUN = /(?<!\d)\d(?:[\s-]*\d){14}(?:(?:[\s-]*\d){2}[\s-]*[\dXx])?(?!\d)/g;
/** UUIDs and hashes in logs are 32 or more hex characters; a digit run inside one is not an ID number. */
const HEX_TOKEN_CHARS = /[0-9A-Fa-f-]/;

interface Shadow {
  text: string;
  /** For each character of `text`: where the character it stands for starts and ends in the original. */
  from: number[];
  to: number[];
}

/** What one character is to the ID scanner once NFKC-folded (as the validator folds it). */
function shadowChar(char: string): string {
  const folded = char.normalize('NFKC');
  if (/^\d+$/.test(folded)) return folded;
  if (folded === 'x' || folded === 'X') return 'X';
  if (/^\s+$/.test(folded)) return ' ';
  if (/^[\p{Pd}\u2212]$/u.test(folded)) return '-';
  return '_';
}

/** A JSON escape: `\n`, `\r`, `\t` are separators, `\uXXXX` is the character it stands for, others are text. */
function jsonEscapeAt(text: string, i: number): { shadow: string; span: number } {
  const seq = /^\\(?:[nrt]|u[0-9a-fA-F]{4})?/.exec(text.slice(i, i + 6))?.[0] ?? '\\';
  if (seq.length === 2) return { shadow: ' ', span: 2 };
  if (seq.length === 6)
    return { shadow: shadowChar(String.fromCharCode(Number.parseInt(seq.slice(2), 16))), span: 6 };
  return { shadow: '_', span: 2 };
}

/**
 * The text as the scanner sees it. `jsonEscapes`: the text is a JSON line, where `\n`, `\r` and `\t` inside a
 * string are separators too (a logged field holding "5306…\n1990…" must still be masked).
 */
function shadowOf(text: string, jsonEscapes: boolean): Shadow {
  const shadow: Shadow = { text: '', from: [], to: [] };
  const push = (s: string, start: number, end: number) => {
    shadow.text += s;
    for (let i = 0; i < s.length; i++) {
      shadow.from.push(start);
      shadow.to.push(end);
    }
  };
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    if (jsonEscapes && code === 0x5c) {
      const esc = jsonEscapeAt(text, i);
      push(esc.shadow, i, i + esc.span);
      i += esc.span;
      continue;
    }
    const char = text.slice(i, i + width);
    push(code < 0x80 ? char : shadowChar(char), i, i + width);
    i += width;
  }
  return shadow;
}

function insideHexToken(text: string, start: number, end: number): boolean {
  let a = start;
  let b = end;
  while (a > 0 && HEX_TOKEN_CHARS.test(text[a - 1] ?? '')) a--;
  while (b < text.length && HEX_TOKEN_CHARS.test(text[b] ?? '')) b++;
  const token = text.slice(a, b).replace(/-/g, '');
  return token.length >= 32 && /[A-Fa-f]/.test(token);
}

/**
 * Masks every ID-looking run in free text (logs, the audit log); errs on the side of masking. Covers every
 * form the validator accepts: full-width digits, ideographic and repeated spaces, line breaks, dashes, and a
 * run glued to letters. Phone numbers, course codes and longer digit runs (bank cards) are left alone.
 */
export function redactIdNumbers(text: string, options: { jsonEscapes?: boolean } = {}): string {
  const jsonEscapes = options.jsonEscapes ?? false;
  // Fast path: pure ASCII with no JSON escapes is its own shadow.
  const ascii = !/[^\x00-\x7f]/.test(text) && !(jsonEscapes && text.includes('\\'));
  const shadow = ascii ? { text, from: [], to: [] } : shadowOf(text, jsonEscapes);
  let out = '';
  let last = 0;
  for (const match of shadow.text.matchAll(ID_RUN)) {
    const start = match.index;
    const end = start + match[0].length;
    if (insideHexToken(shadow.text, start, end)) continue;
    const from = ascii ? start : (shadow.from[start] ?? start);
    const to = ascii ? end : (shadow.to[end - 1] ?? end);
    out += text.slice(last, from) + maskIdNumber(match[0].replace(/[\s-]/g, ''));
    last = to;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** `redactIdNumbers` over every string inside a JSON-like value (object keys are left as they are). */
export function redactIdNumbersDeep(value: unknown): unknown {
  if (typeof value === 'string') return redactIdNumbers(value);
  if (Array.isArray(value)) return value.map(redactIdNumbersDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactIdNumbersDeep(v)]));
  }
  return value;
}
