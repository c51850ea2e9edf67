import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/prisma-client';

/** A typeable course code (two letters, letters, two digits) that no other test uses. */
export function courseCode(): string {
  const letters = Array.from(randomBytes(6), (b) => String.fromCharCode(65 + (b % 26)));
  return `Q${letters[0]}-${letters.slice(1, 5).join('')}-${String(randomBytes(1)[0]! % 100).padStart(2, '0')}`;
}

export interface CourseFixture {
  capacity?: number;
  county?: string;
  trade?: string;
  realNameRequired?: boolean;
  startsInHours?: number;
  eligibleGroups?: string[];
  status?: string;
}

/** An open course with two future sessions. */
export async function createCourse(db: Db, f: CourseFixture = {}) {
  const code = courseCode();
  const start = new Date(Date.now() + (f.startsInHours ?? 72) * 3_600_000);
  return db.course.create({
    data: {
      code,
      title: `测试课程 ${code}`,
      titleEn: `Test course ${code}`,
      trade: f.trade ?? 'ecommerce',
      trainingType: 'employment',
      county: f.county ?? 'zhenxiong',
      venue: '镇雄县职业技术学校 201教室',
      venueEn: 'Zhenxiong Vocational School, room 201',
      capacity: f.capacity ?? 30,
      realNameRequired: f.realNameRequired ?? false,
      eligibleGroups: f.eligibleGroups ?? [],
      status: f.status ?? 'open',
      sessions: {
        create: [
          {
            startsAt: start,
            endsAt: new Date(start.getTime() + 8 * 3_600_000),
            venue: '201教室',
            venueEn: 'Room 201',
          },
          {
            startsAt: new Date(start.getTime() + 86_400_000),
            endsAt: new Date(start.getTime() + 86_400_000 + 8 * 3_600_000),
            venue: '201教室',
            venueEn: 'Room 201',
          },
        ],
      },
    },
  });
}

export async function createPeople(db: Db, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await db.person.create({ data: {} })).id);
  return ids;
}
