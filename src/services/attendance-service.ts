import { formatSessionTime } from '../core/dialog/format-time';
import { asLocale, inLocale } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { AttendanceService, SessionRef } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import type { Outbox } from '../delivery/outbox';
import type { Recipients } from '../delivery/recipients';
import type { CoordinatorService } from './coordinator-service';

/** "Can't come to this class": the course's coordinators are told through the outbound queue. */
export function createAttendanceService(deps: {
  db: Db;
  outbox: Outbox;
  recipients: Recipients;
  coordinators: CoordinatorService;
  translator: Translator;
  timezone: string;
}): AttendanceService {
  const { db } = deps;

  async function load(personId: string, ref: SessionRef) {
    const enrolment = await db.enrolment.findUnique({
      where: { id: ref.enrolmentId },
      include: { course: true, person: true },
    });
    if (!enrolment) return undefined;
    // A family member's reminder is answered by the proxy who signed them up (and gets their reminders).
    const proxied =
      enrolment.personId !== personId &&
      (await db.familyLink.count({ where: { proxyId: personId, memberId: enrolment.personId } })) > 0;
    if (enrolment.personId !== personId && !proxied) return undefined;
    const classSession = await db.classSession.findUnique({ where: { id: ref.sessionId } });
    if (!classSession || classSession.courseId !== enrolment.courseId) return undefined;
    return { enrolment, classSession };
  }

  return {
    async describe(personId, ref) {
      const found = await load(personId, ref);
      if (!found) return undefined;
      const { course } = found.enrolment;
      return {
        course: { code: course.code, title: { 'zh-CN': course.title, en: course.titleEn ?? course.title } },
        startsAt: found.classSession.startsAt,
        enrolmentStatus: found.enrolment.status,
        ...(found.enrolment.personId !== personId ? { memberId: found.enrolment.personId } : {}),
      };
    },

    async reportAbsence(personId, ref) {
      const found = await load(personId, ref);
      if (found?.enrolment.status !== 'confirmed') return { status: 'not_found' };
      const { course, person } = found.enrolment;
      const coordinatorIds = await deps.coordinators.responsibleFor(course);
      const addresses = await deps.recipients.reachable(coordinatorIds);
      const people = await db.person.findMany({
        where: { id: { in: coordinatorIds } },
        select: { id: true, locale: true },
      });
      await deps.outbox.enqueue(
        people.map((c) => {
          const locale = asLocale(c.locale);
          const t = deps.translator.forLocale(locale);
          return {
            key: `absence:${ref.enrolmentId}:${ref.sessionId}:${c.id}`,
            kind: 'absence',
            personId: c.id,
            address: addresses.get(c.id),
            message: {
              text: t('coordinator:absence', {
                name: person.realName ?? t('coordinator:someone'),
                code: course.code,
                title: inLocale(locale, course.title, course.titleEn),
                when: formatSessionTime(found.classSession.startsAt, locale, deps.timezone),
              }),
            },
          };
        }),
      );
      await deps.coordinators.audit(personId, 'absence.reported', course.code, {
        sessionId: ref.sessionId,
        coordinators: people.length,
      });
      return {
        status: 'notified',
        coordinators: people.filter((c) => addresses.has(c.id)).length,
        course: course.code,
      };
    },
  };
}
