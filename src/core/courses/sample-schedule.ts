import { DateTime } from 'luxon';
import type { CourseForMatching } from './course-types';
import type { SampleCourse } from './sample-data-schema';

const ZONE = 'Asia/Shanghai';

export interface SessionTime {
  startsAt: Date;
  endsAt: Date;
}

/**
 * Concrete session times for a sample course seeded at `seededAt`: the first on seeding day + startsInDays
 * (China calendar), then every sessionEveryDays, each from startTime to endTime China time.
 */
export function sampleSessionTimes(course: SampleCourse, seededAt: Date): SessionTime[] {
  const day0 = DateTime.fromJSDate(seededAt, { zone: ZONE }).startOf('day');
  const at = (day: DateTime, hhmm: string): Date => {
    const [h, m] = hhmm.split(':').map(Number);
    return day.set({ hour: h ?? 0, minute: m ?? 0 }).toJSDate();
  };
  return Array.from({ length: course.sessionCount }, (_, i) => {
    const day = day0.plus({ days: course.startsInDays + i * course.sessionEveryDays });
    return { startsAt: at(day, course.startTime), endsAt: at(day, course.endTime) };
  });
}

/** A sample course in the matcher's shape; the code doubles as the id. */
export function sampleCourseForMatching(
  course: SampleCourse,
  seededAt: Date,
  seatsTaken = 0,
): CourseForMatching {
  const first = sampleSessionTimes(course, seededAt)[0];
  return {
    id: course.code,
    code: course.code,
    title: course.title,
    trade: course.trade,
    trainingType: course.trainingType,
    county: course.county,
    capacity: course.capacity,
    seatsTaken,
    feeYuan: course.feeYuan,
    freeForGroups: course.freeForGroups,
    eligibleGroups: course.eligibleGroups,
    ...(course.minAge !== undefined ? { minAge: course.minAge } : {}),
    ...(course.maxAge !== undefined ? { maxAge: course.maxAge } : {}),
    status: course.status,
    firstSessionStart: first?.startsAt ?? null,
    venue: course.venue,
  };
}
