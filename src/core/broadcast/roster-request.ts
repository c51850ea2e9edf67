import { findCourseCode } from '../dialog/course-code';

/** What a coordinator asks to read in chat: a class's roster, or who asked for leave. */
export type RosterKind = 'roster' | 'leave';

export interface RosterRequest {
  kind: RosterKind;
  code?: string;
  /** The words naming the class ("面点班"); empty when none were given. */
  target: string;
}

const ASK = String.raw`(?:请|帮我|麻烦)?(?:查看一下|查看|查一下|查|看一下|看看|看|发我|给我看看|给我看|调出)?\s*`;
const CLASS = String.raw`(?:[A-Za-z]{2}\s*[-－_ ]\s*[A-Za-z]{2,4}\s*[-－_ ]\s*\d{2}\s*|[^\s，,。?？]{1,12}?班\s*)?(?:的)?`;
const CODE_AFTER = String.raw`(?:\s*[A-Za-z]{2}\s*[-－_ ]\s*[A-Za-z]{2,4}\s*[-－_ ]\s*\d{2})?`;

/**
 * "花名册 LD-YH-01", "名单", "面点班的学员名单", "/roster", "roster ZX-DS-01". Waitlist questions
 * ("候补名单") and "am I on the list" are not this: they stay with the trainee's dialog.
 */
export const ROSTER_REQUEST = new RegExp(
  String.raw`^(?:\/roster\b.*|${ASK}${CLASS}(?:花名册|学员名单|报名名单|学生名单|名单)${CODE_AFTER}[?？]?|(?:show\s+(?:me\s+)?)?(?:the\s+)?(?:class\s+)?roster(?:\s+(?:of|for))?${CODE_AFTER})$`,
  'i',
);

/** "谁请假了", "面点班谁请假", "请假名单", "请假情况 LD-YH-01", "who is on leave". */
export const LEAVE_LIST_REQUEST = new RegExp(
  String.raw`^(?:${ASK}${CLASS}(?:(?:今天|明天|这周|本周|下周|最近)?(?:有)?谁(?:要)?请(?:了)?假(?:了)?(?:吗|没有)?|请假(?:的人|名单|情况|记录|的学员))${CODE_AFTER}[?？]?|(?:who(?:'s|\s+is|\s+are)?\s+(?:on\s+leave|absent|away)|leave\s+(?:requests|list))(?:\s+(?:in|for|of))?${CODE_AFTER}[?？]?)$`,
  'i',
);

/** The request in a roster or leave-list message: which kind, the code or the class words. */
export function parseRosterRequest(input: string): RosterRequest | undefined {
  const text = input.trim();
  const kind: RosterKind | undefined = LEAVE_LIST_REQUEST.test(text)
    ? 'leave'
    : ROSTER_REQUEST.test(text)
      ? 'roster'
      : undefined;
  if (!kind) return undefined;
  const code = findCourseCode(text);
  const target = code
    ? ''
    : (/([^\s，,。?？]{1,12}?班)/.exec(
        text.replace(
          /^(?:请|帮我|麻烦)?(?:查看一下|查看|查一下|查|看一下|看看|看|发我|给我看看|给我看|调出)?/,
          '',
        ),
      )?.[1] ?? '');
  return { kind, code, target };
}
