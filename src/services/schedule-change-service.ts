import { DateTime } from 'luxon';
import { formatSessionTime } from '../core/dialog/format-time';
import { asLocale, inLocale, type Locale } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import type { Outbox, OutboxItem } from '../delivery/outbox';
import { type Reachable, type Recipients, sessionKeyOf } from '../delivery/recipients';
import type { ReminderScheduler } from '../jobs/reminder-scheduler';
import type { CoordinatorService } from './coordinator-service';

/** A change to one class session: a new time and/or place, or its cancellation. */
export type SessionEdit = { kind: 'move'; startsAt: Date; endsAt: Date; venue?: string } | { kind: 'cancel' };

export type ChangeSource = 'console' | 'import' | 'chat';

interface CourseRow {
  id: string;
  code: string;
  title: string;
  titleEn: string | null;
  venueEn: string | null;
  status: string;
}
interface SessionRow {
  id: string;
  startsAt: Date;
  endsAt: Date;
  venue: string;
  venueEn: string | null;
  cancelled: boolean;
}

/** What a change would do, shown before it is confirmed: the people told and the message they get. */
export interface SchedulePreview {
  kind: 'moved' | 'cancelled' | 'course_cancelled';
  course: { code: string; title: string; titleEn: string | null };
  session?: { startsAt: Date; endsAt: Date; venue: string };
  after?: { startsAt: Date; endsAt: Date; venue: string };
  /** Confirmed sign-ups (told of every change) and waitlisted ones (told of cancellations). */
  confirmed: number;
  waitlisted: number;
  /** The message in the previewer's language, as a confirmed trainee would get it. */
  sample: string;
}

export type ScheduleOutcome =
  | {
      status: 'ok';
      changeId: string;
      notified: number;
      unreachable: number;
      /** The people concerned whose notice was queued (to them or their proxy): to count people, not messages. */
      told: string[];
    }
  | { status: 'not_found' }
  | { status: 'unchanged' };

export interface ScheduleChangeDeps {
  db: Db;
  coordinators: CoordinatorService;
  reminders: Pick<ReminderScheduler, 'rescheduleSession' | 'removeEnrolment'>;
  outbox: Outbox;
  recipients: Recipients;
  translator: Translator;
  timezone: string;
}

/**
 * Issue 19, item 6: a class session moved (time or place) or cancelled, or a whole course cancelled, after a
 * preview and a confirmation. Reminders are re-planned for the new time (jobs/reminder-scheduler.ts) and the
 * people concerned are told through the outbound queue, once (schedule-change:<change>:<person>), with what the
 * change means for a waitlist place and for the attendance a subsidy depends on.
 */
export function createScheduleChanges(deps: ScheduleChangeDeps) {
  const { db, translator, timezone } = deps;

  async function load(access: CoordinatorAccess, code: string, sessionId?: string) {
    const course = await db.course.findFirst({
      where: { AND: [deps.coordinators.inScope(access), { code: code.toUpperCase() }] },
      select: { id: true, code: true, title: true, titleEn: true, venueEn: true, status: true },
    });
    if (!course) return undefined;
    if (!sessionId) return { course, session: undefined };
    const session = await db.classSession.findFirst({ where: { id: sessionId, courseId: course.id } });
    if (!session) return undefined;
    return { course, session };
  }

  /** The message one person gets, in their language. */
  function render(
    locale: Locale,
    kind: SchedulePreview['kind'],
    course: CourseRow,
    session: SessionRow | undefined,
    after: { startsAt: Date; venue: string } | undefined,
    status: string,
    position: number | null,
    member?: string,
  ): string {
    const t = translator.forLocale(locale);
    const when = (d: Date) => formatSessionTime(d, locale, timezone);
    const base = { code: course.code, title: inLocale(locale, course.title, course.titleEn), name: member };
    // To a proxy (a parent who signed their daughter up): whose class it is, by name, as in reminders.
    const k = (key: string) => (member === undefined ? `schedule:notice.${key}` : `schedule-family:${key}`);
    if (kind === 'moved' && session && after) {
      const venueChanged = after.venue !== session.venue;
      return [
        t(k('moved'), { ...base, old: when(session.startsAt), new: when(after.startsAt) }),
        venueChanged ? t('schedule:notice.venue', { old: session.venue, venue: after.venue }) : '',
        t(k('remindersFollow'), base),
      ]
        .filter(Boolean)
        .join('\n');
    }
    if (kind === 'cancelled' && session) {
      return [
        t(k('sessionCancelled'), { ...base, when: when(session.startsAt) }),
        status === 'waitlisted'
          ? t(k('waitlistKept'), { ...base, position: position ?? '?' })
          : t(k('attendanceNotCounted'), base),
      ].join('\n');
    }
    return [
      t(k('courseCancelled'), base),
      status === 'waitlisted'
        ? t(k('waitlistEnded'), { ...base, position: position ?? '?' })
        : t(k('enrolmentEnded'), base),
      t('schedule:notice.signUpOther'),
    ].join('\n');
  }

  const who = (kind: SchedulePreview['kind']) =>
    kind === 'moved' ? ['confirmed'] : ['confirmed', 'waitlisted'];

  async function counts(courseId: string) {
    const rows = await db.enrolment.groupBy({
      by: ['status'],
      where: { courseId, status: { in: ['confirmed', 'waitlisted'] }, person: { deletedAt: null } },
      _count: true,
    });
    const n = (s: string) => rows.find((r) => r.status === s)?._count ?? 0;
    return { confirmed: n('confirmed'), waitlisted: n('waitlisted') };
  }

  function sameMove(session: SessionRow, edit: Extract<SessionEdit, { kind: 'move' }>) {
    return (
      session.startsAt.getTime() === edit.startsAt.getTime() &&
      session.endsAt.getTime() === edit.endsAt.getTime() &&
      (edit.venue ?? session.venue) === session.venue
    );
  }

  async function preview(
    access: CoordinatorAccess,
    code: string,
    sessionId: string | undefined,
    edit: SessionEdit | { kind: 'cancel_course' },
    locale: Locale,
  ): Promise<SchedulePreview | undefined> {
    const found = await load(access, code, sessionId);
    if (!found) return undefined;
    const { course, session } = found;
    if (edit.kind !== 'cancel_course' && !session) return undefined;
    const kind = edit.kind === 'move' ? 'moved' : edit.kind === 'cancel' ? 'cancelled' : 'course_cancelled';
    const after =
      edit.kind === 'move'
        ? { startsAt: edit.startsAt, endsAt: edit.endsAt, venue: edit.venue ?? session!.venue }
        : undefined;
    return {
      kind,
      course,
      session: session && { startsAt: session.startsAt, endsAt: session.endsAt, venue: session.venue },
      after,
      ...(await counts(course.id)),
      sample: render(locale, kind, course, session, after, 'confirmed', null),
    };
  }

  /** Tells the people concerned through the outbox, keyed by the change: once each. */
  async function notify(
    changeId: string,
    kind: SchedulePreview['kind'],
    course: CourseRow,
    session: SessionRow | undefined,
    after: { startsAt: Date; venue: string } | undefined,
    people: { personId: string; status: string; waitlistPosition: number | null; locale: string }[],
  ) {
    const reach = await deps.recipients.reachable(people.map((p) => p.personId));
    const noChat = people.filter((p) => [undefined, 'sms'].includes(reach.get(p.personId)?.channel));
    const proxies = await proxiesOf(
      noChat.map((p) => p.personId),
      reach,
    );
    const items: OutboxItem[] = people.map((p) => {
      // A family member with no chat of their own (SMS at most) is told through the proxy who signed them up.
      const proxy = proxies.get(p.personId);
      const to = proxy ?? { personId: p.personId, address: reach.get(p.personId), locale: p.locale };
      const address = to.address;
      return {
        // Keyed by the enrolled person: a proxy who is enrolled too gets one message for each sign-up.
        key: `schedule-change:${changeId}:${p.personId}`,
        kind: 'schedule_change',
        personId: to.personId,
        address,
        message: {
          text: render(
            asLocale(to.locale),
            kind,
            course,
            session,
            after,
            p.status,
            p.waitlistPosition,
            proxy?.member,
          ),
          sessionKey: address ? sessionKeyOf(address) : undefined,
        },
      };
    });
    const result = items.length ? await deps.outbox.enqueue(items) : { queued: 0, failed: 0 };
    await db.scheduleChange.update({ where: { id: changeId }, data: { notified: result.queued } });
    const told = people.filter((_, i) => items[i]!.address).map((p) => p.personId);
    return { notified: result.queued, unreachable: result.failed, told };
  }

  /**
   * The rule of reminders (db/repositories/reminder-repository.ts): a member with no chat of their own, or
   * only SMS, is written to through the proxy who signed them up (the latest link), if the proxy can be
   * reached, by chat rather than SMS when the member has a phone. Not a member who chose SMS themselves
   * ("通知方式", people.preferred_route = 'sms') and can be reached by it: their own choice is kept.
   */
  async function proxiesOf(memberIds: string[], reach: Map<string, Reachable>) {
    const found = new Map<string, { personId: string; address: Reachable; locale: string; member: string }>();
    if (!memberIds.length) return found;
    const ownChoice = await db.person.findMany({
      where: { id: { in: memberIds }, preferredRoute: 'sms' },
      select: { id: true },
    });
    const keep = new Set(ownChoice.filter((p) => reach.get(p.id)?.channel === 'sms').map((p) => p.id));
    const links = await db.familyLink.findMany({
      where: { memberId: { in: memberIds.filter((id) => !keep.has(id)) }, proxy: { deletedAt: null } },
      orderBy: { createdAt: 'desc' },
      select: {
        memberId: true,
        proxyId: true,
        proxy: { select: { locale: true } },
        member: { select: { realName: true } },
      },
    });
    const latest = new Map<string, (typeof links)[number]>();
    for (const l of links) if (!latest.has(l.memberId)) latest.set(l.memberId, l);
    const proxyReach = await deps.recipients.reachable([...latest.values()].map((l) => l.proxyId));
    for (const [memberId, l] of latest) {
      const address = proxyReach.get(l.proxyId);
      if (!address || (reach.has(memberId) && address.channel === 'sms')) continue;
      found.set(memberId, {
        personId: l.proxyId,
        address,
        locale: l.proxy.locale,
        // No name on record: "您的家人" / "your family member" (in the proxy's language), never "您为报名的".
        member:
          l.member.realName?.trim() ||
          translator.forLocale(asLocale(l.proxy.locale))('schedule-family:someone'),
      });
    }
    return found;
  }

  const concerned = (courseId: string, kind: SchedulePreview['kind']) =>
    db.enrolment.findMany({
      where: { courseId, status: { in: who(kind) }, person: { deletedAt: null } },
      select: { personId: true, status: true, waitlistPosition: true, person: { select: { locale: true } } },
    });

  return {
    preview,

    /** The course's class on a local date ("2026-12-20"), or its next coming one (the chat command's pick). */
    async findSession(access: CoordinatorAccess, code: string, now: Date, onDate?: string) {
      const found = await load(access, code);
      if (!found) return undefined;
      const day = onDate ? DateTime.fromISO(onDate, { zone: timezone }) : undefined;
      if (day && !day.isValid) return undefined;
      return (
        (await db.classSession.findFirst({
          where: {
            courseId: found.course.id,
            cancelled: false,
            startsAt: day
              ? { gte: day.startOf('day').toJSDate(), lt: day.endOf('day').toJSDate() }
              : { gt: now },
          },
          orderBy: { startsAt: 'asc' },
          select: { id: true, startsAt: true, endsAt: true, venue: true },
        })) ?? undefined
      );
    },

    /** Moves or cancels one class session (after its preview was confirmed), then tells the people concerned. */
    async applySession(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      sessionId: string,
      edit: SessionEdit,
      source: ChangeSource,
    ): Promise<ScheduleOutcome> {
      const found = await load(access, code, sessionId);
      if (!found?.session) return { status: 'not_found' };
      const { course, session } = found;
      if (session.cancelled) return { status: 'unchanged' };
      if (edit.kind === 'move' && sameMove(session, edit)) return { status: 'unchanged' };
      const kind = edit.kind === 'move' ? 'moved' : 'cancelled';
      const after =
        edit.kind === 'move'
          ? { startsAt: edit.startsAt, endsAt: edit.endsAt, venue: edit.venue ?? session.venue }
          : undefined;
      const change = await db.$transaction(async (tx) => {
        // Only if the session is still as it was previewed from: a second confirmation changes nothing.
        const updated = await tx.classSession.updateMany({
          where: { id: session.id, cancelled: false, startsAt: session.startsAt, venue: session.venue },
          data: after
            ? {
                startsAt: after.startsAt,
                endsAt: after.endsAt,
                venue: after.venue,
                // An English venue no longer matches a new place.
                venueEn: after.venue === session.venue ? session.venueEn : null,
              }
            : { cancelled: true },
        });
        if (!updated.count) return undefined;
        return tx.scheduleChange.create({
          data: {
            courseId: course.id,
            sessionId: session.id,
            kind,
            before: { startsAt: session.startsAt, endsAt: session.endsAt, venue: session.venue },
            after: after ? { ...after } : undefined,
            actorId,
            source,
          },
        });
      });
      if (!change) return { status: 'unchanged' };
      await deps.reminders.rescheduleSession(session.id, { previousStartsAt: session.startsAt });
      await deps.coordinators.audit(actorId, `session.${kind}`, course.code, {
        sessionId: session.id,
        changeId: change.id,
        source,
        ...(after ? { startsAt: after.startsAt, venueChanged: after.venue !== session.venue } : {}),
      });
      const people = (await concerned(course.id, kind)).map((e) => ({ ...e, locale: e.person.locale }));
      return {
        status: 'ok',
        changeId: change.id,
        ...(await notify(change.id, kind, course, session, after, people)),
      };
    },

    /**
     * Adds a class (an import's confirmation): only if no session of the course starts at that time, checked
     * and inserted under a per-course lock in one transaction, so a confirmation sent twice (or two at once)
     * adds it once. Reminders are planned for it and the addition is audited.
     */
    async addSession(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      fields: { startsAt: Date; endsAt: Date; venue: string },
      source: ChangeSource,
    ): Promise<{ status: 'ok'; sessionId: string } | { status: 'not_found' } | { status: 'unchanged' }> {
      const found = await load(access, code);
      if (!found) return { status: 'not_found' };
      const { course } = found;
      const added = await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`class-sessions:${course.id}`}))`;
        const taken = await tx.classSession.findFirst({
          where: { courseId: course.id, startsAt: fields.startsAt },
          select: { id: true },
        });
        if (taken) return undefined;
        const { venue } = await tx.course.findUniqueOrThrow({
          where: { id: course.id },
          select: { venue: true },
        });
        return tx.classSession.create({
          data: {
            courseId: course.id,
            startsAt: fields.startsAt,
            endsAt: fields.endsAt,
            venue: fields.venue,
            // The course's English venue only where it is the course's venue.
            venueEn: fields.venue === venue ? course.venueEn : null,
          },
          select: { id: true },
        });
      });
      if (!added) return { status: 'unchanged' };
      await deps.reminders.rescheduleSession(added.id);
      await deps.coordinators.audit(actorId, 'session.added', course.code, {
        sessionId: added.id,
        startsAt: fields.startsAt,
        source,
      });
      return { status: 'ok', sessionId: added.id };
    },

    /**
     * Cancels a whole course: its coming sessions, every sign-up and waitlist place (their reminders go), and
     * tells each person what that means for them.
     */
    async cancelCourse(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      source: ChangeSource,
      now = new Date(),
    ): Promise<ScheduleOutcome> {
      const found = await load(access, code);
      if (!found) return { status: 'not_found' };
      const { course } = found;
      if (course.status === 'cancelled') return { status: 'unchanged' };
      const people = (await concerned(course.id, 'course_cancelled')).map((e) => ({
        ...e,
        locale: e.person.locale,
      }));
      const change = await db.$transaction(async (tx) => {
        const updated = await tx.course.updateMany({
          where: { id: course.id, status: { not: 'cancelled' } },
          data: { status: 'cancelled', seatsTaken: 0 },
        });
        if (!updated.count) return undefined;
        await tx.classSession.updateMany({
          where: { courseId: course.id, startsAt: { gt: now }, cancelled: false },
          data: { cancelled: true },
        });
        await tx.enrolment.updateMany({
          where: { courseId: course.id, status: { in: ['confirmed', 'waitlisted'] } },
          data: { status: 'cancelled', waitlistPosition: null, cancelledAt: now },
        });
        return tx.scheduleChange.create({
          data: { courseId: course.id, kind: 'course_cancelled', actorId, source },
        });
      });
      if (!change) return { status: 'unchanged' };
      const enrolments = await db.enrolment.findMany({
        where: { courseId: course.id, personId: { in: people.map((p) => p.personId) } },
        select: { id: true },
      });
      for (const e of enrolments) await deps.reminders.removeEnrolment(e.id, now);
      await deps.coordinators.audit(actorId, 'course.cancelled', course.code, {
        changeId: change.id,
        source,
        confirmed: people.filter((p) => p.status === 'confirmed').length,
        waitlisted: people.filter((p) => p.status === 'waitlisted').length,
      });
      return {
        status: 'ok',
        changeId: change.id,
        ...(await notify(change.id, 'course_cancelled', course, undefined, undefined, people)),
      };
    },
  };
}

export type ScheduleChanges = ReturnType<typeof createScheduleChanges>;
