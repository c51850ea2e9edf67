import { findCourseCode } from '../dialog/course-code';
import { parseCheckinToken } from './checkin-code';

/** What a chat message asks of check-in, read before the intent classifier (see the check-in module's route). */
export type CheckinRequest =
  /** "签到 123456", "check in 123 456" */
  | { kind: 'code'; code: string }
  /** The QR link: "/start ci_<token>" (Telegram deep link) or "签到 <token>" (sent by the web chat page). */
  | { kind: 'token'; sessionId: string; code: string }
  /** "签到" alone, or with something that is not six digits: the person is asked for the code. */
  | { kind: 'ask'; malformed: boolean }
  /** "签到码 ZX-DS-01": a coordinator asks for a course's current code. */
  | { kind: 'show'; courseCode?: string }
  /** Six digits alone: a check-in only if they are a live code (else the message means something else). */
  | { kind: 'digits'; code: string };

const CHECKIN_WORD = /^(?:我要|我来)?(?:签到|簽到|check[\s-]?in)(?:一下)?\s*[:：]?\s*/i;
const SHOW_WORD = /^(?:签到码|簽到碼|check[\s-]?in\s+code)\s*[:：]?\s*/i;
const START = /^\/start\s+ci_([A-Za-z0-9_-]{1,60})$/;

function read(rest: string): CheckinRequest {
  const token = parseCheckinToken(rest);
  if (token) return { kind: 'token', ...token };
  const digits = rest.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(digits)) return { kind: 'code', code: digits };
  return { kind: 'ask', malformed: rest.length > 0 };
}

export function readCheckinRequest(text: string): CheckinRequest | undefined {
  const t = text.normalize('NFKC').trim();
  if (t.length > 120) return undefined;
  const start = START.exec(t);
  if (start) {
    const token = parseCheckinToken(start[1]!);
    return token ? { kind: 'token', ...token } : { kind: 'ask', malformed: true };
  }
  const show = SHOW_WORD.exec(t);
  if (show) {
    const rest = t.slice(show[0].length).trim();
    // "签到码 123456": a trainee typing the code they were shown.
    if (/^\d[\d\s-]*$/.test(rest)) return read(rest);
    const courseCode = findCourseCode(rest);
    if (rest && !courseCode) return undefined;
    return { kind: 'show', courseCode };
  }
  if (/^\d{3}\s?\d{3}$/.test(t)) return { kind: 'digits', code: t.replace(/\s/g, '') };
  const word = CHECKIN_WORD.exec(t);
  if (!word) return undefined;
  const rest = t.slice(word[0].length).trim();
  // "签到怎么弄" and other questions about check-in are left to the rest of the dialog.
  if (rest && !/^[\w\s-]+$/.test(rest)) return undefined;
  return read(rest);
}
