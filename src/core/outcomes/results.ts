/**
 * Issue 20, item 2: whether a trainee passed a course. Pure rules; the console's completion page and the
 * service that records CourseResult rows both use them, so the preview is what gets recorded.
 */

export const RESULT_OUTCOMES = ['passed', 'failed'] as const;
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number];

/** Why a trainee did not pass: too few classes attended, an exam mark under the pass mark, or no mark at all. */
export type FailReason = 'attendance' | 'exam' | 'noExamScore';

/** Attendance marks (table attendance); present and late count as attended, absent and excused do not. */
export type AttendanceMark = 'present' | 'late' | 'absent' | 'excused';
export const ATTENDED: readonly AttendanceMark[] = ['present', 'late'];

/**
 * Share (0–100, rounded down so a pass is never rounded up into) of the classes that took place (past, not
 * cancelled) the trainee attended; null when no class has taken place yet.
 */
export function attendancePct(heldSessions: number, attended: number): number | null {
  if (heldSessions <= 0) return null;
  return Math.floor((Math.min(attended, heldSessions) * 100) / heldSessions);
}

export interface ResultInput {
  attendancePct: number | null;
  /** Course.passAttendancePct. */
  passAttendancePct: number;
  examScore?: number | null;
  /** Course.passExamScore; null or undefined: the course has no exam. */
  passExamScore?: number | null;
}

/** Passed when attendance reaches the threshold and, if the course has an exam, the mark reaches the pass mark. */
export function decideResult(input: ResultInput): { outcome: ResultOutcome; reasons: FailReason[] } {
  const reasons: FailReason[] = [];
  if ((input.attendancePct ?? 0) < input.passAttendancePct) reasons.push('attendance');
  if (input.passExamScore !== null && input.passExamScore !== undefined) {
    if (input.examScore === null || input.examScore === undefined) reasons.push('noExamScore');
    else if (input.examScore < input.passExamScore) reasons.push('exam');
  }
  return { outcome: reasons.length ? 'failed' : 'passed', reasons };
}
