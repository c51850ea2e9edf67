/**
 * A question as the unanswered log keeps it: personal data taken out, the rest left for staff to read. ID
 * numbers (any form the validator accepts), mobile numbers, e-mail addresses, other long digit runs (bank
 * cards, case numbers) and a name given after 我叫/我是/my name is become placeholders.
 */
const REPLACEMENTS: [RegExp, string][] = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]'],
  [/(?<!\d)\d(?:[\s-]*\d){14}(?:(?:[\s-]*\d){2}[\s-]*[\dXx])?(?![\dXx])/g, '[ID]'],
  [/(?<!\d)(?:\(?\+?\s?86\)?[\s-]{0,3})?1[3-9](?:[\s-]{0,3}\d){9}(?!\d)/g, '[phone]'],
  [/\d(?:[\s-]?\d){6,}/g, '[number]'],
  [/(我叫|我是|本人是?|我的名字是|名字叫|姓名[:：]?)\s*\p{Script=Han}{2,4}/gu, '$1[name]'],
  [/\b(my name is|i am|i'm|this is)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?/gi, '$1 [name]'],
];

/** Longest question kept. */
const MAX_KEPT = 500;

export function scrubQuestion(text: string): string {
  let out = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  for (const [pattern, placeholder] of REPLACEMENTS) out = out.replace(pattern, placeholder);
  return Array.from(out).slice(0, MAX_KEPT).join('');
}
