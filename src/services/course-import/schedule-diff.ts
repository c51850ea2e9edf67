import { DateTime } from 'luxon';
import { type ImportRow, scheduleOf } from '../course-input-schema';

export interface StoredSession {
  id: string;
  startsAt: Date;
  endsAt: Date;
  venue: string;
  cancelled: boolean;
}
export interface SessionTimes {
  startsAt: Date;
  endsAt: Date;
  venue: string;
}

/**
 * What an import row would change in an existing course's class sessions, before anything is changed:
 * moves (time and/or place), sessions the file no longer has (proposed cancellations, never done without an
 * explicit tick), sessions it adds, and changes it cannot make (a class already held, a time in the past).
 */
export interface ScheduleDiff {
  moves: { sessionId: string; before: SessionTimes; after: SessionTimes }[];
  cancels: { sessionId: string; before: SessionTimes }[];
  adds: SessionTimes[];
  past: { before?: SessionTimes; after?: SessionTimes }[];
}

const times = (s: StoredSession | SessionTimes): SessionTimes => ({
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  venue: s.venue,
});
const same = (a: Date, b: Date) => a.getTime() === b.getTime();

/**
 * The row's sessions against the stored ones. A file time equal to a stored one is that session (a cancelled
 * one stays cancelled); the rest pair up in order. The place: when the file's course venue differs from the
 * stored course venue, the sessions held at the old course venue go to the new one (a session given a room of
 * its own on the sessions page keeps it). Without start/end columns the times stay; without a sessions or
 * interval cell the course keeps its count and rhythm (not the new-course defaults of 1 and 7).
 */
export function diffSchedule(
  stored: readonly StoredSession[],
  oldCourseVenue: string,
  row: ImportRow,
  given: { sessions: boolean; everyDays: boolean },
  timezone: string,
  now: Date,
): ScheduleDiff {
  const diff: ScheduleDiff = { moves: [], cancels: [], adds: [], past: [] };
  const sorted = [...stored].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  // Only coming classes take a new course venue: a class already held stays where it was.
  const placeOf = (s: StoredSession) =>
    row.venue !== oldCourseVenue && s.venue === oldCourseVenue && s.startsAt > now ? row.venue : s.venue;
  const planned =
    row.startsAt && row.endsAt
      ? scheduleOf(
          {
            ...row,
            sessions: given.sessions ? row.sessions : sorted.length || 1,
            everyDays: given.everyDays ? row.everyDays : (rhythm(sorted, timezone) ?? row.everyDays),
          },
          timezone,
        )
      : undefined;

  const wanted = new Map<StoredSession, SessionTimes>();
  const added: SessionTimes[] = [];
  if (!planned) {
    for (const s of sorted) if (!s.cancelled) wanted.set(s, { ...times(s), venue: placeOf(s) });
  } else {
    const free = new Set(sorted);
    const rest: SessionTimes[] = [];
    for (const p of planned) {
      const match = [...free].find((s) => same(s.startsAt, p.startsAt));
      if (!match) {
        rest.push({ startsAt: p.startsAt, endsAt: p.endsAt, venue: row.venue });
        continue;
      }
      free.delete(match);
      if (!match.cancelled)
        wanted.set(match, { startsAt: p.startsAt, endsAt: p.endsAt, venue: placeOf(match) });
    }
    const open = [...free].filter((s) => !s.cancelled);
    rest.forEach((p, i) => {
      const s = open[i];
      if (s) wanted.set(s, { startsAt: p.startsAt, endsAt: p.endsAt, venue: placeOf(s) });
      else added.push(p);
    });
    for (const s of open.slice(rest.length)) {
      if (s.startsAt > now) diff.cancels.push({ sessionId: s.id, before: times(s) });
    }
  }
  for (const [s, after] of wanted) {
    const before = times(s);
    if (
      same(before.startsAt, after.startsAt) &&
      same(before.endsAt, after.endsAt) &&
      before.venue === after.venue
    )
      continue;
    if (before.startsAt <= now || after.startsAt <= now) diff.past.push({ before, after });
    else diff.moves.push({ sessionId: s.id, before, after });
  }
  for (const a of added) {
    if (a.startsAt <= now) diff.past.push({ after: a });
    else diff.adds.push(a);
  }
  return diff;
}

/** Whole days between the first two stored sessions, if that is a usable interval (1–30). */
function rhythm(sorted: readonly StoredSession[], timezone: string): number | undefined {
  const [a, b] = sorted;
  if (!a || !b) return undefined;
  const days = DateTime.fromJSDate(b.startsAt, { zone: timezone })
    .diff(DateTime.fromJSDate(a.startsAt, { zone: timezone }), 'days')
    .as('days');
  return Number.isInteger(days) && days >= 1 && days <= 30 ? days : undefined;
}
