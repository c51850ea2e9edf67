import type { CoordinatorAccess } from './outreach-ports';

/**
 * Who may see and change what: the one scope rule the console and the chat commands both use
 * (docs/access-scope.md). services/access-scope.ts states the course rule as a database filter too.
 */

export interface ScopedCourse {
  code: string;
  county: string;
}

/** A person as far as scope goes: where they registered, and every course they ever signed up for. */
export interface ScopedPerson {
  county: string | null;
  courses: ScopedCourse[];
}

/** Admins: every course. Others: the courses named in their scope, and every course in their counties. */
export function courseInScope(access: CoordinatorAccess, course: ScopedCourse): boolean {
  return (
    access.role === 'admin' ||
    access.courseCodes.includes(course.code) ||
    access.counties.includes(course.county)
  );
}

/**
 * A person is a coordinator's to act on (sign up again, delete) only when nothing of theirs lies outside the
 * coordinator's scope: every course they signed up for is in scope, and the county they registered in (if
 * any) is one of the coordinator's counties or the county of one of those courses. Someone with neither a
 * county nor a sign-up belongs to no coordinator: only admins.
 */
export function personInScope(access: CoordinatorAccess, person: ScopedPerson): boolean {
  if (access.role === 'admin') return true;
  if (!person.courses.every((c) => courseInScope(access, c))) return false;
  if (person.county === null) return person.courses.length > 0;
  return access.counties.includes(person.county) || person.courses.some((c) => c.county === person.county);
}
