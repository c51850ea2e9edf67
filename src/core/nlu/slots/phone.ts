/**
 * Mainland mobile numbers: 1[3-9] + 9 digits, with spaces or dashes anywhere and an optional +86 / 86 /
 * (+86) prefix. Digits inside a longer run (an ID number, an order number) are not a phone.
 */
const MOBILE = /(?<!\d)(?:\(?\+?\s?86\)?[\s-]{0,3})?(1[3-9](?:[\s-]{0,3}\d){9})(?!\d)/g;

/** All candidates in reading order, digits only. Text must be normalised (NFKC turns １３８ into 138). */
export function extractPhones(text: string): string[] {
  return [...text.matchAll(MOBILE)].map((m) => (m[1] ?? '').replace(/\D/g, ''));
}

export function extractPhone(text: string): string | undefined {
  return extractPhones(text)[0];
}
