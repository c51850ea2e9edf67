import type { MatchProfile } from '../courses/course-types';
import type { Group } from '../domain';
import type { PersonRecord, ProfilePatch } from '../ports';
import { type Slots, tradesIn } from './handler';

/** The matcher's view of a person. */
export function toMatchProfile(person: PersonRecord): MatchProfile {
  return {
    county: person.county,
    birthYear: person.birthYear,
    groups: [...person.groups],
    interests: [...person.interests],
  };
}

/**
 * What a message says about the person, as a patch over what we knew: a new county or birth year replaces
 * the old one (people correct themselves that way), groups accumulate, the latest trades become the interests.
 */
export function profilePatchFromSlots(person: PersonRecord, slots: Slots, now: Date): ProfilePatch {
  const patch: ProfilePatch = {};
  if (slots.county && slots.county !== person.county) patch.county = slots.county;
  const birthYear = slots.birthYear ?? (slots.age ? now.getUTCFullYear() - slots.age : undefined);
  if (birthYear && birthYear !== person.birthYear) patch.birthYear = birthYear;
  const newGroups = (slots.groups ?? []).filter((g) => !person.groups.includes(g));
  if (newGroups.length) patch.groups = [...person.groups, ...newGroups] as Group[];
  const trades = tradesIn(slots);
  if (trades.length && trades.join() !== person.interests.join()) patch.interests = trades;
  return patch;
}
