import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSampleData } from '../../src/core/courses/sample-data-schema';
import { sampleSessionTimes } from '../../src/core/courses/sample-schedule';
import { COUNTIES } from '../../src/core/domain';
import type { Db } from '../../src/db/prisma-client';
import { SAMPLE_COURSES_FILE, seedDatabase, seedSessionTimes } from '../../src/db/seed';
import { isolatedDb } from '../support/test-env';

const sampleJson = readFileSync(SAMPLE_COURSES_FILE, 'utf8');
const sample = parseSampleData(sampleJson);
// 01:30 on March 2nd in Zhaotong while UTC is still on March 1st: day 0 must be China's day, not UTC's.
const now = new Date('2026-03-01T17:30:00Z');
const seed = (db: Db, at = now) => seedDatabase(db, { now: at, sampleJson, timezone: 'Asia/Shanghai' });

async function snapshot(db: Db) {
  const courses = await db.course.findMany({
    orderBy: { code: 'asc' },
    include: { sessions: { orderBy: { startsAt: 'asc' } } },
  });
  return courses.map(({ updatedAt: _u, ...c }) => c);
}

describe('seedDatabase', () => {
  let db: Db;
  beforeAll(async () => {
    db = (await isolatedDb('seed')).db;
  });

  it('loads every sample provider and course with its sessions ahead', async () => {
    const result = await seed(db);
    expect(result.providers).toBe(sample.providers.length);
    expect(result.courses).toBe(sample.courses.length);
    expect(await db.provider.count()).toBe(sample.providers.length);

    const courses = await snapshot(db);
    expect(courses.length).toBeGreaterThanOrEqual(30);
    expect(new Set(courses.map((c) => c.county))).toEqual(new Set(COUNTIES));
    const open = courses.filter((c) => c.status === 'open');
    expect(open.length).toBeGreaterThan(0);
    for (const course of open) {
      expect(course.sessions.length, course.code).toBeGreaterThan(0);
      expect(course.sessions.every((s) => s.startsAt > now && s.endsAt > s.startsAt)).toBe(true);
    }

    const first = sample.courses[0]!;
    const row = courses.find((c) => c.code === first.code)!;
    expect(row).toMatchObject({
      title: first.title['zh-CN'],
      titleEn: first.title.en,
      venue: first.venue['zh-CN'],
      venueEn: first.venue.en,
      providerId: first.providerId,
      capacity: first.capacity,
      seatsTaken: 0,
      freeForGroups: first.freeForGroups,
      minAge: first.minAge ?? null,
      maxAge: first.maxAge ?? null,
    });
    // Sessions are at the sample's China wall-clock times, counted from China's day of `now` (March 2nd).
    const start = DateTime.fromJSDate(row.sessions[0]!.startsAt, { zone: 'Asia/Shanghai' });
    expect(start.toFormat('yyyy-MM-dd HH:mm')).toBe(
      `${DateTime.fromISO('2026-03-02').plus({ days: first.startsInDays }).toISODate()} ${first.startTime}`,
    );
    // Same schedule as the one the matcher computes from the sample file.
    expect(row.sessions.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt }))).toEqual(
      sampleSessionTimes(first, now),
    );
  });

  it('changes nothing when run again, and restores edited sample fields', async () => {
    await seed(db);
    const before = await snapshot(db);
    const code = before[0]!.code;
    await db.course.update({ where: { code }, data: { title: 'edited', seatsTaken: 1 } });

    const result = await seed(db);
    expect(result.sessionsRescheduled).toEqual([]);
    const after = await snapshot(db);
    const edited = after.find((c) => c.code === code)!;
    expect(edited.title).toBe(before[0]!.title);
    expect(edited.seatsTaken).toBe(1);
    // Same rows, same ids: nothing duplicated, nothing recreated.
    expect(after.map((c) => ({ ...c, seatsTaken: 0 }))).toEqual(before.map((c) => ({ ...c, seatsTaken: 0 })));
  });

  it('moves future sessions to a later day only for courses nobody enrolled in', async () => {
    await seed(db);
    const [enrolled, free] = sample.courses.filter((c) => c.status === 'open' && c.sessionCount > 1);
    const course = await db.course.findUniqueOrThrow({
      where: { code: enrolled!.code },
      include: { sessions: true },
    });
    const person = await db.person.create({ data: {} });
    await db.enrolment.create({ data: { personId: person.id, courseId: course.id, status: 'confirmed' } });

    // A week later: sessions that have started stay as history, the rest follows the new schedule.
    const later = new Date(now.getTime() + 7 * 86_400_000);
    const result = await seed(db, later);
    expect(result.sessionsKept).toContain(enrolled!.code);
    expect(result.sessionsRescheduled).toContain(free!.code);

    const kept = await db.classSession.findMany({ where: { courseId: course.id } });
    expect(kept.map((s) => s.id).sort()).toEqual(course.sessions.map((s) => s.id).sort());

    const moved = await db.course.findUniqueOrThrow({
      where: { code: free!.code },
      include: { sessions: { orderBy: { startsAt: 'asc' } } },
    });
    const planned = seedSessionTimes(free!, later, 'Asia/Shanghai');
    const history = seedSessionTimes(free!, now, 'Asia/Shanghai').filter((s) => s.startsAt < later);
    expect(moved.sessions.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt }))).toEqual([
      ...history,
      ...planned,
    ]);

    // And a third run on that later day is again a no-op.
    const again = await seed(db, later);
    expect(again.sessionsRescheduled).toEqual([]);
  });

  it('rejects a sample file that does not match the schema', async () => {
    await expect(seedDatabase(db, { now, sampleJson: '{"providers":[]}' })).rejects.toThrow();
    await expect(seedDatabase(db, { now, sampleJson, timezone: 'Mars/Olympus' })).rejects.toThrow(
      'Mars/Olympus',
    );
  });
});
