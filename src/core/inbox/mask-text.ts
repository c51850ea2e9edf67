import { maskPhone, redactIdNumbers } from '../people/mask';

/** Mainland mobile numbers, possibly split by spaces or dashes, not inside a longer run of digits. */
const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g;

/** Free text as staff screens and transcripts show it: ID numbers and mobile numbers masked. */
export function maskPersonalText(text: string): string {
  return redactIdNumbers(text).replace(MOBILE, (m) =>
    maskPhone(m.replace(/^\+?86[\s-]?/, '').replace(/[\s-]/g, '')),
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text PostgreSQL can store in text and jsonb: no NUL, no lone surrogate (people and fuzzers type both). */
export function storableText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/\u0000/g, '');
}
