import type { Db } from '../../src/db/prisma-client';

const DAY = 86_400_000;

/**
 * A finished course in 镇雄县 with six trainees (two 建档立卡) and what staff and trainees recorded about it, and
 * a course in 鲁甸县 with two: the figures the report must show are counted here by hand.
 */
export async function seedOutcomes(db: Db): Promise<void> {
  const start = new Date(Date.now() - 40 * DAY);
  const provider = await db.provider.create({
    data: { id: 'rp-1', name: '镇雄县职业技术学校', county: 'zhenxiong' },
  });
  const course = await db.course.create({
    data: {
      code: 'RP-ZX-01',
      title: '中式面点师',
      trade: 'chef',
      trainingType: 'employment',
      county: 'zhenxiong',
      venue: '镇雄县职业技术学校',
      capacity: 30,
      providerId: provider.id,
      completedAt: new Date(start.getTime() + 5 * DAY),
    },
  });
  const sessions = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      db.classSession.create({
        data: {
          courseId: course.id,
          startsAt: new Date(start.getTime() + i * DAY),
          endsAt: new Date(start.getTime() + i * DAY + 3 * 3_600_000),
          venue: '301',
        },
      }),
    ),
  );
  const groups = [['poverty_registered'], ['poverty_registered'], ['rural_worker'], [], ['two_after'], []];
  // Present at: 4, 4, 3, 2 (+1 excused by a leave request), 4, 0 sessions.
  const present = [4, 4, 3, 2, 4, 0];
  const results = ['passed', 'passed', 'passed', 'failed', 'passed', 'failed'];
  const ratings = [5, 4, 5, 3, 4, null];
  const employment3 = ['employed', 'self_employed', 'looking', 'employed', 'not_looking', null];
  const subsidy = ['paid', 'paid', 'approved', 'documents_missing', 'submitted', 'not_applied'];
  for (let i = 0; i < 6; i++) {
    const person = await db.person.create({
      data: { realName: `学员${i}`, county: 'zhenxiong', groups: groups[i] },
    });
    const enrolment = await db.enrolment.create({
      data: { personId: person.id, courseId: course.id, status: 'attended' },
    });
    for (let s = 0; s < present[i]!; s++)
      await db.attendance.create({
        data: {
          enrolmentId: enrolment.id,
          sessionId: sessions[s]!.id,
          status: s === 1 && i === 2 ? 'late' : 'present',
          method: 'code',
          checkedInAt: sessions[s]!.startsAt,
        },
      });
    if (i === 3)
      await db.leaveRequest.create({
        data: { enrolmentId: enrolment.id, sessionId: sessions[3]!.id, reason: '家里有事' },
      });
    await db.courseResult.create({
      data: { enrolmentId: enrolment.id, courseId: course.id, outcome: results[i]! },
    });
    if (ratings[i] !== null)
      await db.satisfactionSurvey.create({
        data: { enrolmentId: enrolment.id, courseId: course.id, rating: ratings[i], answeredAt: new Date() },
      });
    if (employment3[i] !== null)
      await db.employmentCheck.create({
        data: {
          enrolmentId: enrolment.id,
          courseId: course.id,
          months: 3,
          dueAt: new Date(),
          answeredAt: new Date(),
          status: employment3[i],
        },
      });
    await db.subsidyClaim.create({
      data: {
        enrolmentId: enrolment.id,
        status: subsidy[i]!,
        amountYuan: subsidy[i] === 'paid' ? 1200 : null,
        groupCode: groups[i]![0] ?? null,
      },
    });
  }
  const other = await db.course.create({
    data: {
      code: 'RP-LD-01',
      title: '电商',
      trade: 'ecommerce',
      trainingType: 'employment',
      county: 'ludian',
      venue: '鲁甸',
      capacity: 10,
      sessions: { create: { startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), venue: 'A' } },
    },
  });
  for (let i = 0; i < 2; i++) {
    const person = await db.person.create({
      data: { realName: `鲁甸${i}`, county: 'ludian', groups: ['poverty_registered'] },
    });
    const enrolment = await db.enrolment.create({
      data: { personId: person.id, courseId: other.id, status: 'confirmed' },
    });
    await db.satisfactionSurvey.create({
      data: { enrolmentId: enrolment.id, courseId: other.id, rating: 1, answeredAt: new Date() },
    });
  }
  // A waitlisted and a cancelled sign-up are not trained.
  const w = await db.person.create({ data: { county: 'zhenxiong' } });
  await db.enrolment.create({
    data: { personId: w.id, courseId: course.id, status: 'waitlisted', waitlistPosition: 1 },
  });
  const c = await db.person.create({ data: { county: 'zhenxiong' } });
  await db.enrolment.create({ data: { personId: c.id, courseId: course.id, status: 'cancelled' } });
}
