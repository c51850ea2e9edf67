import type { Group } from '../domain';
import { countyDistance } from './counties';
import type { CourseForMatching, MatchProfile, MatchReason, MatchResult } from './course-types';
import { daysUntil, describeStart, yearsSince } from './describe-start';
import { groupAffinity, relatedTrades, type TradeSynonyms } from './related-trades';

export interface MatchOptions {
  now: Date;
  /** How many results to return (default 3). */
  limit?: number;
  /** Extra trade relations on top of the built-in ones. */
  synonyms?: TradeSynonyms;
  /** Keep courses unrelated to the person's interests (default: drop them when interests are known). */
  includeUnrelated?: boolean;
}

/** Score weights; a full course is pushed below open ones unless it is a much better fit. */
const W = {
  interest: 40,
  related: 20,
  sameCounty: 30,
  neighbourCounty: 15,
  twoCountiesAway: 5,
  free: 15,
  paid: -10,
  groupFit: 10,
  startMax: 15,
  full: -25,
} as const;

const firstShared = (a: readonly Group[], b: readonly Group[]): Group | undefined =>
  a.find((g) => b.includes(g));

/**
 * Why this person cannot take this course, or null when nothing rules them out. Unknown age passes:
 * enrolment checks the birth date from the ID number.
 */
export function checkEligibility(
  profile: MatchProfile,
  course: CourseForMatching,
  now: Date,
): MatchReason | null {
  if (course.status !== 'open') return { key: 'courses:excluded.notOpen' };
  const start = course.firstSessionStart;
  if (start && start.getTime() < now.getTime()) return { key: 'courses:excluded.started' };
  if (start && profile.earliestDate && start.getTime() < profile.earliestDate.getTime()) {
    return { key: 'courses:excluded.tooEarly' };
  }
  if (course.eligibleGroups.length > 0 && !firstShared(profile.groups, course.eligibleGroups)) {
    return { key: 'courses:excluded.groups', params: { groups: course.eligibleGroups.join(',') } };
  }
  // A county-funded class for another county's residents: never offered once the person's county is known.
  const counties = course.eligibleCounties ?? [];
  if (counties.length > 0 && profile.county && !counties.includes(profile.county)) {
    return { key: 'courses:excluded.county', params: { county: counties[0] ?? '' } };
  }
  const oldest =
    profile.age ?? (profile.birthYear === undefined ? undefined : yearsSince(profile.birthYear, now));
  const youngest = profile.age ?? (oldest === undefined ? undefined : oldest - 1);
  if (course.minAge !== undefined && oldest !== undefined && oldest < course.minAge) {
    return { key: 'courses:excluded.tooYoung', params: { minAge: course.minAge } };
  }
  if (course.maxAge !== undefined && youngest !== undefined && youngest > course.maxAge) {
    return { key: 'courses:excluded.tooOld', params: { maxAge: course.maxAge } };
  }
  return null;
}

interface Part {
  points: number;
  reason?: MatchReason;
}

function interestPart(
  profile: MatchProfile,
  course: CourseForMatching,
  synonyms?: TradeSynonyms,
): Part | null {
  if (profile.interests.length === 0) return { points: 0 };
  if (profile.interests.includes(course.trade)) {
    return {
      points: W.interest,
      reason: { key: 'courses:reason.interest', params: { trade: course.trade } },
    };
  }
  const interest = profile.interests.find((i) => relatedTrades(i, synonyms).has(course.trade));
  if (interest === undefined) return null;
  return {
    points: W.related,
    reason: { key: 'courses:reason.related', params: { trade: course.trade, interest } },
  };
}

function feePart(profile: MatchProfile, course: CourseForMatching): Part {
  const group = firstShared(profile.groups, course.freeForGroups);
  if (group) return { points: W.free, reason: { key: 'courses:reason.freeForGroup', params: { group } } };
  if (course.feeYuan === 0) return { points: W.free, reason: { key: 'courses:reason.free' } };
  return { points: W.paid, reason: { key: 'courses:reason.fee', params: { fee: course.feeYuan } } };
}

function placePart(profile: MatchProfile, course: CourseForMatching): Part {
  const county = course.county;
  if (profile.county === undefined)
    return { points: 0, reason: { key: 'courses:reason.county', params: { county } } };
  const d = countyDistance(profile.county, county);
  if (d === 0)
    return { points: W.sameCounty, reason: { key: 'courses:reason.sameCounty', params: { county } } };
  if (d === 1) {
    return {
      points: W.neighbourCounty,
      reason: { key: 'courses:reason.neighbourCounty', params: { county } },
    };
  }
  const points = d === 2 ? W.twoCountiesAway : 0;
  return { points, reason: { key: 'courses:reason.farCounty', params: { county } } };
}

function startPart(course: CourseForMatching, now: Date): Part {
  const start = course.firstSessionStart;
  if (!start) return { points: 0, reason: { key: 'courses:start.unscheduled' } };
  const points = Math.max(0, W.startMax - Math.floor(daysUntil(start, now) / 3));
  return { points, reason: describeStart(start, now) };
}

function seatsPart(course: CourseForMatching): Part & { full: boolean } {
  const seats = course.capacity - course.seatsTaken;
  if (seats <= 0) return { points: W.full, full: true, reason: { key: 'courses:reason.full' } };
  return { points: 0, full: false, reason: { key: 'courses:reason.seatsLeft', params: { seats } } };
}

function groupPart(profile: MatchProfile, course: CourseForMatching): Part {
  const group =
    firstShared(profile.groups, course.eligibleGroups) ?? groupAffinity(course.trade, profile.groups);
  if (!group) return { points: 0 };
  return { points: W.groupFit, reason: { key: 'courses:reason.forGroup', params: { group } } };
}

/** Scores one eligible course; undefined when it has nothing to do with what the person asked for. */
export function scoreCourse(
  profile: MatchProfile,
  course: CourseForMatching,
  options: MatchOptions,
): MatchResult | undefined {
  const interest = interestPart(profile, course, options.synonyms);
  if (interest === null && !options.includeUnrelated) return undefined;
  const seats = seatsPart(course);
  // Order is display order: why it fits, what it costs, where, when, whether there is a seat.
  const parts: Part[] = [
    interest ?? { points: 0 },
    groupPart(profile, course),
    feePart(profile, course),
    placePart(profile, course),
    startPart(course, options.now),
    seats,
  ];
  return {
    course,
    score: parts.reduce((sum, p) => sum + p.points, 0),
    full: seats.full,
    reasons: parts.flatMap((p) => (p.reason ? [p.reason] : [])),
  };
}

const startKey = (c: CourseForMatching): number => c.firstSessionStart?.getTime() ?? Number.MAX_SAFE_INTEGER;

/** Higher score first; then open seats, sooner start, code and id, so equal inputs give equal order. */
export function compareResults(a: MatchResult, b: MatchResult): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.full !== b.full) return a.full ? 1 : -1;
  const byStart = startKey(a.course) - startKey(b.course);
  if (byStart !== 0) return byStart;
  if (a.course.code !== b.course.code) return a.course.code < b.course.code ? -1 : 1;
  if (a.course.id !== b.course.id) return a.course.id < b.course.id ? -1 : 1;
  return 0;
}

/** The best courses for a person, each with the reasons to show them. Pure: same input, same output. */
export function matchCourses(
  profile: MatchProfile,
  courses: readonly CourseForMatching[],
  options: MatchOptions,
): MatchResult[] {
  const limit = options.limit ?? 3;
  return courses
    .filter((c) => checkEligibility(profile, c, options.now) === null)
    .flatMap((c) => scoreCourse(profile, c, options) ?? [])
    .sort(compareResults)
    .slice(0, Math.max(0, limit));
}
