import { DateTime } from 'luxon';
import type { CourseForMatching } from '../../../courses/course-types';
import type { County, Group } from '../../../domain';

/** What a sign-up knows about the person to be enrolled (the one chatting, or their family member). */
export interface Candidate {
  /** From the ID number (exact): yyyy-mm-dd. */
  birthDate?: string;
  /** From what the person said ("35岁", "1990年生"): approximate. */
  birthYear?: number;
  groups: readonly Group[];
  /** Where the person lives (profile, or what they said); unknown: a county-limited course asks. */
  county?: County | null;
}

/** Why the candidate cannot take the course: a locale key of `enrol:eligibility.*` and its parameters. */
export interface Refusal {
  reason: 'tooYoung' | 'tooOld' | 'tooYoungStated' | 'tooOldStated' | 'groups' | 'county' | 'prerequisite';
  age?: number;
  minAge?: number;
  maxAge?: number;
  groups?: readonly Group[];
  /** A county-limited course: the counties it takes, and the candidate's own. */
  counties?: readonly County[];
  county?: County;
  /** Required courses with no completion on record: "【code】title". */
  courses?: readonly string[];
}

/** Which of the given courses a person has completed as the system records it (a pass, or a certificate). */
export interface CourseCompletions {
  completedCodes(personId: string, codes: readonly string[]): Promise<string[]>;
}

/** Full years of age on `on`, counted in the programme's time zone (a birthday is reached on its day). */
export function ageOn(birthDate: string, on: Date, timeZone: string): number {
  const born = DateTime.fromISO(birthDate, { zone: timeZone });
  const day = DateTime.fromJSDate(on, { zone: timeZone });
  const birthdayPassed = day.month > born.month || (day.month === born.month && day.day >= born.day);
  return day.year - born.year - (birthdayPassed ? 0 : 1);
}

/** Age limits are checked at the course's first class; a course with none scheduled, today. */
export function courseStart(course: Pick<CourseForMatching, 'firstSessionStart'>, now: Date): Date {
  return course.firstSessionStart && course.firstSessionStart > now ? course.firstSessionStart : now;
}

export const ADULT_AGE = 18;

/** The candidate's exact age at the course start, when the ID number told us the birth date. */
export function ageAtStart(
  candidate: Pick<Candidate, 'birthDate'>,
  course: Pick<CourseForMatching, 'firstSessionStart'>,
  now: Date,
  timeZone: string,
): number | undefined {
  return candidate.birthDate ? ageOn(candidate.birthDate, courseStart(course, now), timeZone) : undefined;
}

/**
 * The course's rules against what we know: the age limits at the first class (exactly from the ID number's
 * birth date; from a stated age only when it is out of range whichever birthday it is), and the groups a
 * course is limited to when the person's groups are known, and the counties it is limited to when the person's
 * county is known (`countyNeeded`: the sign-up asks it). Nothing known, nothing refused: the ID number is
 * checked when it is given. Prerequisites need the record of completions (`CourseCompletions`, enrol-flow.ts).
 */
export function signUpRefusal(
  course: CourseForMatching,
  candidate: Candidate,
  now: Date,
  timeZone: string,
): Refusal | undefined {
  const { minAge, maxAge } = course;
  const age = ageAtStart(candidate, course, now, timeZone);
  if (age !== undefined) {
    if (minAge !== undefined && age < minAge) return { reason: 'tooYoung', age, minAge };
    if (maxAge !== undefined && age > maxAge) return { reason: 'tooOld', age, maxAge };
  } else if (candidate.birthYear !== undefined) {
    const startYear = DateTime.fromJSDate(courseStart(course, now), { zone: timeZone }).year;
    const oldest = startYear - candidate.birthYear;
    if (minAge !== undefined && oldest < minAge) return { reason: 'tooYoungStated', age: oldest, minAge };
    if (maxAge !== undefined && oldest - 1 > maxAge)
      return { reason: 'tooOldStated', age: oldest - 1, maxAge };
  }
  const limited = course.eligibleGroups;
  if (limited.length && candidate.groups.length && !candidate.groups.some((g) => limited.includes(g)))
    return { reason: 'groups', groups: limited };
  const counties = course.eligibleCounties ?? [];
  if (counties.length && candidate.county && !counties.includes(candidate.county))
    return { reason: 'county', counties, county: candidate.county };
  return undefined;
}

/** A county-limited course and a candidate whose county is not known: it is asked, never guessed. */
export const countyNeeded = (course: CourseForMatching, candidate: Pick<Candidate, 'county'>): boolean =>
  (course.eligibleCounties?.length ?? 0) > 0 && !candidate.county;
