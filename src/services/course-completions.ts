import type { CourseCompletions } from '../core/dialog/flows/enrol/sign-up-eligibility';
import type { Db } from '../db/prisma-client';

/**
 * A course counts as completed when the system records it (issue 20's tables): a passed course result of the
 * person's sign-up, or a certificate issued for that course. A certificate obtained elsewhere is checked by staff.
 */
export function createCourseCompletions(db: Db): CourseCompletions {
  return {
    async completedCodes(personId, codes) {
      if (!codes.length) return [];
      const wanted = codes.map((c) => c.toUpperCase());
      const [passed, certified] = await Promise.all([
        db.courseResult.findMany({
          where: { outcome: 'passed', enrolment: { personId, course: { code: { in: wanted } } } },
          select: { enrolment: { select: { course: { select: { code: true } } } } },
        }),
        db.certificate.findMany({ where: { personId, courseId: { not: null } }, select: { courseId: true } }),
      ]);
      const ids = certified.flatMap((c) => (c.courseId ? [c.courseId] : []));
      const viaCertificate = ids.length
        ? await db.course.findMany({
            where: { id: { in: ids }, code: { in: wanted } },
            select: { code: true },
          })
        : [];
      return [
        ...new Set([...passed.map((r) => r.enrolment.course.code), ...viaCertificate.map((c) => c.code)]),
      ];
    },
  };
}
