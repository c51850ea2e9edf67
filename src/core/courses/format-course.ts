import type { Locale } from '../domain';
import type { MatchReason, MatchResult, Translate } from './course-types';

/** Params holding domain ids, and the `domain` namespace section that names them. */
const DOMAIN_PARAMS: Record<string, string> = {
  county: 'county',
  group: 'group',
  trade: 'trade',
  interest: 'trade',
};

/** How many reasons fit on the second line before it stops being glanceable. */
const MAX_REASONS = 6;

/** Translates a reason, first turning id-valued params (county, group, trade, groups) into names. */
export function translateReason(reason: MatchReason, t: Translate): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(reason.params ?? {})) {
    const section = DOMAIN_PARAMS[name];
    if (section && typeof value === 'string') params[name] = t(`domain:${section}.${value}`);
    else if (name === 'groups' && typeof value === 'string') {
      params[name] = value
        .split(',')
        .map((g) => t(`domain:group.${g}`))
        .join(t('courses:line.listSeparator'));
    } else params[name] = value;
  }
  return t(reason.key, params);
}

/**
 * A course as it appears in a chat list: the code and title on the first line, then why it suits the
 * person (interest, fee, place, start, seats) on the second.
 */
export function courseLine(result: MatchResult, locale: Locale, t: Translate): string {
  const { course } = result;
  const head = t('courses:line.head', {
    code: course.code,
    title: course.title[locale],
    county: t(`domain:county.${course.county}`),
  });
  const reasons = result.reasons.slice(0, MAX_REASONS).map((r) => translateReason(r, t));
  if (reasons.length === 0) return head;
  return `${head}\n${reasons.join(t('courses:line.separator'))}`;
}

/** Several results as a numbered list, one blank line apart, ready for a chat reply. */
export function courseList(results: readonly MatchResult[], locale: Locale, t: Translate): string {
  return results
    .map((r, i) => t('courses:line.numbered', { n: i + 1, line: courseLine(r, locale, t) }))
    .join('\n\n');
}
