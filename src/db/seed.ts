import { DateTime } from 'luxon';
import { parseSampleData, type SampleCourse, type SampleData } from '../core/courses/sample-data-schema';
import type { Prisma } from '../generated/prisma/client';
import type { Db } from './prisma-client';

/** The sample providers and courses shipped with the repository. */
export const SAMPLE_COURSES_FILE = new URL('../../data/courses/zhaotong-sample.json', import.meta.url)
  .pathname;

export interface SeedOptions {
  /** The seeding moment: sample dates are relative to its calendar day in `timezone`. */
  now: Date;
  /** Contents of a sample-data file (see src/core/courses/sample-data-schema.ts). */
  sampleJson: string;
  /** Zone of the sample's wall-clock times; Zhaotong's is Asia/Shanghai. */
  timezone?: string;
}

export interface SeedResult {
  providers: number;
  courses: number;
  /** Courses whose future sessions were written because they differed from the sample schedule. */
  sessionsRescheduled: string[];
  /** Courses whose schedule differs but which already have enrolments, so their sessions were left alone. */
  sessionsKept: string[];
}

interface SessionTime {
  startsAt: Date;
  endsAt: Date;
}

/** The sample schedule of one course: day 0 is `now`'s day in `zone`, times are wall-clock times there. */
export function seedSessionTimes(course: SampleCourse, now: Date, zone: string): SessionTime[] {
  const day0 = DateTime.fromJSDate(now, { zone }).startOf('day');
  const at = (day: DateTime, hhmm: string): Date => {
    const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
    return day.set({ hour, minute }).toJSDate();
  };
  return Array.from({ length: course.sessionCount }, (_, i) => {
    const day = day0.plus({ days: course.startsInDays + i * course.sessionEveryDays });
    return { startsAt: at(day, course.startTime), endsAt: at(day, course.endTime) };
  });
}

function courseFields(c: SampleCourse) {
  return {
    title: c.title['zh-CN'],
    titleEn: c.title.en,
    description: c.description['zh-CN'],
    descriptionEn: c.description.en,
    trade: c.trade,
    trainingType: c.trainingType,
    county: c.county,
    providerId: c.providerId,
    venue: c.venue['zh-CN'],
    venueEn: c.venue.en,
    capacity: c.capacity,
    feeYuan: c.feeYuan,
    subsidyText: c.subsidyText['zh-CN'],
    subsidyTextEn: c.subsidyText.en,
    freeForGroups: c.freeForGroups,
    eligibleGroups: c.eligibleGroups,
    minAge: c.minAge ?? null,
    maxAge: c.maxAge ?? null,
    realNameRequired: c.realNameRequired,
    status: c.status,
    ...factColumns(c.facts ?? {}),
  } satisfies Prisma.CourseUncheckedUpdateInput;
}

/** A sample course's facts as columns; what the sample leaves out is NULL ("the record does not say"). */
function factColumns(f: NonNullable<SampleCourse['facts']>) {
  return {
    durationDays: f.durationDays ?? null,
    dailyHours: f.dailyHours ?? null,
    lodging: f.lodging ?? null,
    meals: f.meals ?? null,
    lodgingNote: f.lodgingNote ?? null,
    address: f.address ?? null,
    contactPhone: f.contactPhone ?? null,
    materials: f.materials?.['zh-CN'] ?? null,
    materialsEn: f.materials?.en ?? null,
    certificate: f.certificate?.['zh-CN'] ?? null,
    certificateEn: f.certificate?.en ?? null,
  };
}

const sameSchedule = (a: SessionTime[], b: SessionTime[]) =>
  a.length === b.length &&
  a.every(
    (s, i) =>
      s.startsAt.getTime() === b[i]?.startsAt.getTime() && s.endsAt.getTime() === b[i]?.endsAt.getTime(),
  );

type Outcome = 'unchanged' | 'rescheduled' | 'kept';

async function seedCourse(
  tx: Prisma.TransactionClient,
  c: SampleCourse,
  now: Date,
  zone: string,
): Promise<Outcome> {
  const fields = courseFields(c);
  const course = await tx.course.upsert({
    where: { code: c.code },
    create: { code: c.code, ...fields },
    update: fields,
  });
  // Sessions already started are history and stay; only what lies ahead follows the sample schedule.
  const wanted = seedSessionTimes(c, now, zone).filter((s) => s.startsAt >= now);
  const future = await tx.classSession.findMany({
    where: { courseId: course.id, startsAt: { gte: now } },
    orderBy: { startsAt: 'asc' },
  });
  if (
    sameSchedule(future, wanted) &&
    future.every((s) => s.venue === fields.venue && s.venueEn === fields.venueEn && !s.cancelled)
  ) {
    return 'unchanged';
  }
  // People enrolled in the course may hold reminders for its sessions: never move those sessions.
  if ((await tx.enrolment.count({ where: { courseId: course.id } })) > 0) return 'kept';
  await tx.classSession.deleteMany({ where: { courseId: course.id, startsAt: { gte: now } } });
  await tx.classSession.createMany({
    data: wanted.map((s) => ({ courseId: course.id, ...s, venue: fields.venue, venueEn: fields.venueEn })),
  });
  return 'rescheduled';
}

/**
 * Loads sample providers and courses. Idempotent: providers and courses are upserted by id and code, and a
 * second run with the same `now` changes nothing; a later `now` moves the future sessions of courses nobody
 * has enrolled in.
 */
export async function seedDatabase(db: Db, options: SeedOptions): Promise<SeedResult> {
  const zone = options.timezone ?? 'Asia/Shanghai';
  if (!DateTime.now().setZone(zone).isValid) throw new Error(`Unknown time zone ${JSON.stringify(zone)}.`);
  const data: SampleData = parseSampleData(options.sampleJson);

  for (const p of data.providers) {
    const fields = { name: p.name['zh-CN'], nameEn: p.name.en, county: p.county, phone: p.phone };
    await db.provider.upsert({ where: { id: p.id }, create: { id: p.id, ...fields }, update: fields });
  }
  const result: SeedResult = {
    providers: data.providers.length,
    courses: data.courses.length,
    sessionsRescheduled: [],
    sessionsKept: [],
  };
  for (const c of data.courses) {
    const outcome = await db.$transaction((tx) => seedCourse(tx, c, options.now, zone), { timeout: 30_000 });
    if (outcome === 'rescheduled') result.sessionsRescheduled.push(c.code);
    if (outcome === 'kept') result.sessionsKept.push(c.code);
  }
  return result;
}
