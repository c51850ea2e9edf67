import type { MyClass, SchedulePort } from '../core/dialog/flows/schedule/schedule-port';
import { planReminders, type QuietHours } from '../core/reminders/reminder-plan';
import type { Db } from '../db/prisma-client';

/**
 * "我的课表": the person's coming classes (confirmed and waitlisted sign-ups, cancelled sessions left out)
 * with the reminders the reminder scheduler will send for each, by the same plan (core/reminders).
 */
export function createTimetable(deps: {
  db: Db;
  offsets: readonly number[];
  timezone: string;
  quiet: QuietHours | undefined;
}): SchedulePort {
  return {
    async upcoming(personId, now, limit) {
      const rows = await deps.db.classSession.findMany({
        where: {
          cancelled: false,
          startsAt: { gt: now },
          course: {
            status: { not: 'cancelled' },
            enrolments: { some: { personId, status: { in: ['confirmed', 'waitlisted'] } } },
          },
        },
        include: {
          course: {
            select: {
              code: true,
              title: true,
              titleEn: true,
              enrolments: { where: { personId }, select: { status: true, waitlistPosition: true } },
            },
          },
        },
        orderBy: { startsAt: 'asc' },
        take: limit,
      });
      return rows.map((s): MyClass => {
        const e = s.course.enrolments[0]!;
        const status = e.status === 'waitlisted' ? 'waitlisted' : 'confirmed';
        return {
          code: s.course.code,
          title: { 'zh-CN': s.course.title, en: s.course.titleEn ?? s.course.title },
          startsAt: s.startsAt,
          venue: { 'zh-CN': s.venue, en: s.venueEn ?? s.venue },
          status,
          position: e.waitlistPosition ?? undefined,
          reminders:
            status === 'confirmed'
              ? planReminders(s.startsAt, deps.offsets, deps.timezone, deps.quiet)
                  .map((p) => p.dueAt)
                  .filter((d) => d > now)
                  .sort((a, b) => a.getTime() - b.getTime())
              : [],
        };
      });
    },
  };
}
