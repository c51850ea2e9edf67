import type { LeaveRequestRepository } from '../../core/ports';
import type { Db } from '../prisma-client';

/** Leave requests for class sessions; see LeaveRequestRepository. */
export function createLeaveRequestRepository(db: Db): LeaveRequestRepository {
  return {
    async upcoming(personId, now, limit, options = {}) {
      const sessions = await db.classSession.findMany({
        where: {
          ...(options.includeCancelled ? {} : { cancelled: false }),
          startsAt: { gt: now },
          course: { enrolments: { some: { personId, status: 'confirmed' } } },
        },
        include: {
          course: { include: { enrolments: { where: { personId, status: 'confirmed' }, take: 1 } } },
        },
        orderBy: { startsAt: 'asc' },
        take: limit,
      });
      return sessions.flatMap((s) => {
        const enrolment = s.course.enrolments[0];
        if (!enrolment) return [];
        return [
          {
            enrolmentId: enrolment.id,
            sessionId: s.id,
            courseCode: s.course.code,
            title: { 'zh-CN': s.course.title, en: s.course.titleEn ?? s.course.title },
            startsAt: s.startsAt,
            venue: { 'zh-CN': s.venue, en: s.venueEn ?? s.venue },
            cancelled: s.cancelled,
          },
        ];
      });
    },
    async record(enrolmentId, sessionId, reason) {
      const created = await db.leaveRequest.createMany({
        data: [{ enrolmentId, sessionId, reason: reason ?? null }],
        skipDuplicates: true,
      });
      return created.count ? 'ok' : 'exists';
    },
  };
}
