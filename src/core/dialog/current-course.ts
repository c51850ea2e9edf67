import type { Turn } from './turn';

/** How long after a course was shown or chosen a follow-up ("学几天？") is still read as about it. */
export const CURRENT_COURSE_MS = 30 * 60_000;

/** Remembers the course just shown or signed up for, for follow-up questions about it. */
export function rememberCourse(turn: Turn, code: string, via: 'viewed' | 'enrolled' = 'viewed'): void {
  turn.session.course = { code, at: turn.now.toISOString(), via };
}

/** The course a follow-up question is about: shown or chosen within the last half hour. */
export function currentCourse(turn: Turn): { code: string; via: 'viewed' | 'enrolled' } | undefined {
  const course = turn.session.course;
  if (!course) return undefined;
  const age = turn.now.getTime() - Date.parse(course.at);
  return age >= 0 && age <= CURRENT_COURSE_MS ? { code: course.code, via: course.via } : undefined;
}
