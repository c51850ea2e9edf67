import { formatSessionTime } from '../core/dialog/format-time';
import { asLocale, inLocale } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { EnrolmentRepository, Promotion } from '../core/ports';
import type { Db } from '../db/prisma-client';
import type { Outbox } from '../delivery/outbox';
import type { Recipients } from '../delivery/recipients';
import type { ReminderScheduler } from '../jobs/reminder-scheduler';
import type { Logger } from '../logger';

export interface EnrolmentOutreachDeps {
  db: Db;
  reminders: ReminderScheduler;
  outbox: Outbox;
  /** Who can be written to, and on which chat (the one reachability rule). */
  recipients: Recipients;
  translator: Translator;
  timezone: string;
  logger: Logger;
}

/**
 * "You got a seat" for someone promoted from the waitlist, keyed on the promotion (enrolment id and
 * promoted_at), so queueing it twice sends it once; `missed` is the sweep's part: promotions committed while
 * the process stopped before their message was queued.
 */
export function promotionNotices(deps: EnrolmentOutreachDeps) {
  const { db } = deps;

  async function notify(e: {
    id: string;
    personId: string;
    courseId: string;
    promotedAt: Date | null;
    updatedAt: Date;
    course: { code: string; title: string; titleEn: string | null };
  }): Promise<void> {
    await deps.reminders.scheduleEnrolment(e.id);
    const person = await db.person.findUniqueOrThrow({
      where: { id: e.personId },
      select: { locale: true, realName: true },
    });
    // A family member with no chat of their own is told through the proxy who signed them up.
    let to = {
      personId: e.personId,
      locale: person.locale,
      address: (await deps.recipients.reachable([e.personId])).get(e.personId),
    };
    let member: string | undefined;
    if (!to.address) {
      const link = await db.familyLink.findFirst({
        where: { memberId: e.personId, proxy: { deletedAt: null } },
        orderBy: { createdAt: 'desc' },
        include: { proxy: { select: { locale: true } } },
      });
      const address = link && (await deps.recipients.reachable([link.proxyId])).get(link.proxyId);
      if (link && address) {
        to = { personId: link.proxyId, locale: link.proxy.locale, address };
        member = person.realName ?? undefined;
      }
    }
    const locale = asLocale(to.locale);
    const t = deps.translator.forLocale(locale);
    const next = await db.classSession.findFirst({
      where: { courseId: e.courseId, cancelled: false, startsAt: { gt: new Date() } },
      orderBy: { startsAt: 'asc' },
    });
    const lines = [
      t(member === undefined ? 'reminders:promoted' : 'reminders:promotedFamily', {
        code: e.course.code,
        title: inLocale(locale, e.course.title, e.course.titleEn),
        name: member ?? '',
      }),
    ];
    if (next) {
      lines.push(
        t('reminders:promotedNext', {
          when: formatSessionTime(next.startsAt, locale, deps.timezone),
          venue: inLocale(locale, next.venue, next.venueEn),
        }),
      );
    }
    await deps.outbox.enqueue([
      {
        key: `promotion:${e.id}:${(e.promotedAt ?? e.updatedAt).getTime()}`,
        kind: 'promotion',
        personId: to.personId,
        address: to.address,
        message: { text: lines.join('\n') },
      },
    ]);
  }

  return {
    async send(personId: string, code: string): Promise<void> {
      const e = await db.enrolment.findFirst({
        where: { personId, course: { code } },
        include: { course: true },
      });
      if (e?.status === 'confirmed') await notify(e);
    },

    /** Promotions of the last week, older than a minute, still confirmed, whose message was never queued. */
    async missed(): Promise<number> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT e.id FROM enrolments e
        WHERE e.promoted_at > now() - interval '7 days' AND e.promoted_at < now() - interval '1 minute'
          AND e.status = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM deliveries d
            WHERE d.key = 'promotion:' || e.id::text || ':' || (extract(epoch FROM e.promoted_at) * 1000)::bigint::text)`;
      const missed = await db.enrolment.findMany({
        where: { id: { in: rows.map((r) => r.id) } },
        include: { course: true },
      });
      for (const e of missed) await notify(e);
      return rows.length;
    },
  };
}

/**
 * The enrolment repository with its consequences: reminders scheduled for a confirmed seat and removed on
 * cancellation, and the promoted person told "you got a seat" through the outbound queue. The sign-up itself
 * is already committed when these run, so a failure here is logged and left to the sweep, never undone.
 */
export function withOutreach(repo: EnrolmentRepository, deps: EnrolmentOutreachDeps): EnrolmentRepository {
  const { db } = deps;
  const find = (personId: string, code: string) =>
    db.enrolment.findFirst({ where: { personId, course: { code } }, include: { course: true } });

  async function afterwards(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      deps.logger.error({ err: error, what }, 'enrolment follow-up failed; the sweep will catch up');
    }
  }

  const notices = promotionNotices(deps);
  const promoted = (promotion: Promotion) => notices.send(promotion.personId, promotion.course);

  return {
    async enrol(personId, courseCode, source) {
      const outcome = await repo.enrol(personId, courseCode, source);
      if (outcome.status === 'confirmed') {
        await afterwards('schedule reminders', async () => {
          const e = await find(personId, outcome.course);
          if (e) await deps.reminders.scheduleEnrolment(e.id);
        });
      }
      return outcome;
    },

    async cancel(personId, courseCode) {
      const outcome = await repo.cancel(personId, courseCode);
      if (outcome.status !== 'cancelled') return outcome;
      await afterwards('remove reminders', async () => {
        const e = await find(personId, outcome.course);
        if (e) await deps.reminders.removeEnrolment(e.id);
      });
      const promotion = outcome.promoted;
      if (promotion) await afterwards('promotion', () => promoted(promotion));
      return outcome;
    },

    listActive: (personId, now) => repo.listActive(personId, now),
  };
}
