import type { JobsOptions, Queue } from 'bullmq';
import {
  decideReminders,
  planReminders,
  type QuietHours,
  type ReminderDecision,
  reminderKey,
} from '../core/reminders/reminder-plan';
import type { Db } from '../db/prisma-client';
import type { DeliveryRepository } from '../delivery/delivery-repository';
import { jobIdFor } from '../delivery/outbound-queues';
import type { Logger } from '../logger';
import { REMINDER_JOB, type ReminderPayload, reminderPayloadSchema } from './reminder-job';

export interface ReminderSchedulerDeps {
  db: Db;
  queue: Queue;
  deliveries: DeliveryRepository;
  offsets: readonly number[];
  timezone: string;
  quiet: QuietHours | undefined;
  horizonDays: number;
  /**
   * Takes back the outbound jobs of reminders for a class time that changed (Outbox.cancel): prepared ones still
   * waiting, and finished ones whose job ids the new reminders will reuse.
   */
  cancelOutbound?: (rows: { key: string; channel: string }[]) => Promise<void>;
  /** How long before its due time a reminder is prepared (its job fires then; the message waits until due). */
  prepareMs?: number;
  logger: Logger;
}

/** What one scheduling pass did; skipped reminders are counted by reason, never silently dropped. */
export interface ScheduleResult {
  scheduled: number;
  late: number;
  /** Already sent or recorded (a Delivery row exists). */
  done: number;
  skipped: Partial<Record<Extract<ReminderDecision, { action: 'skip' }>['reason'], number>>;
}

interface EnrolmentSessions {
  enrolmentId: string;
  confirmedSince: Date;
  sessions: { id: string; startsAt: Date }[];
}

const JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 86_400, count: 10_000 },
  // A reminder job that failed for good (say, through a database outage) is dropped, so the next sweep,
  // which re-adds every reminder still due from PostgreSQL, can add it again under the same id.
  removeOnFail: true,
};

/**
 * Reminders are delayed jobs with ids from the domain key (reminder.<enrolment>.<session>.<offset>), so adding
 * one twice is a no-op and the sweep can re-add everything without duplicates. PostgreSQL stays the truth:
 * every pass is computed from enrolments and class sessions, never from what Redis holds.
 */
export function createReminderScheduler(deps: ReminderSchedulerDeps) {
  const horizon = (now: Date) => new Date(now.getTime() + deps.horizonDays * 86_400_000);
  const prepareMs = deps.prepareMs ?? 0;

  async function add(items: EnrolmentSessions[], now: Date): Promise<ScheduleResult> {
    const result: ScheduleResult = { scheduled: 0, late: 0, done: 0, skipped: {} };
    const jobs: { key: string; payload: ReminderPayload; dueAt: number }[] = [];
    for (const item of items) {
      for (const session of item.sessions) {
        const plan = planReminders(session.startsAt, deps.offsets, deps.timezone, deps.quiet);
        const decisions = decideReminders(
          plan,
          session.startsAt,
          now,
          item.confirmedSince,
          deps.timezone,
          deps.quiet,
        );
        for (const [offsetMinutes, decision] of decisions) {
          if (decision.action === 'skip') {
            result.skipped[decision.reason] = (result.skipped[decision.reason] ?? 0) + 1;
            continue;
          }
          const dueAt = decision.action === 'schedule' ? decision.dueAt.getTime() : 0;
          const payload = { enrolmentId: item.enrolmentId, sessionId: session.id, offsetMinutes };
          jobs.push({ key: reminderKey(item.enrolmentId, session.id, offsetMinutes), payload, dueAt });
        }
      }
    }
    const existing = await deps.deliveries.existingKeys(jobs.map((j) => j.key));
    const fresh = jobs.filter((j) => !existing.has(j.key));
    result.done = jobs.length - fresh.length;
    for (let i = 0; i < fresh.length; i += 2_000) {
      await deps.queue.addBulk(
        fresh.slice(i, i + 2_000).map((j) => ({
          name: REMINDER_JOB,
          data: reminderPayloadSchema.parse(j.payload),
          // The delay is taken from the clock as the job is added: BullMQ counts it from then.
          opts: {
            ...JOB_OPTIONS,
            jobId: jobIdFor(j.key),
            delay: Math.max(0, j.dueAt - prepareMs - Date.now()),
          },
        })),
      );
    }
    for (const j of fresh) {
      if (j.dueAt > 0) result.scheduled += 1;
      else result.late += 1;
    }
    return result;
  }

  const upcoming = (now: Date) => ({
    where: { cancelled: false, startsAt: { gt: now, lte: horizon(now) } },
    select: { id: true, startsAt: true },
    orderBy: { startsAt: 'asc' as const },
  });

  async function forEnrolments(enrolmentIds: string[], now: Date): Promise<EnrolmentSessions[]> {
    const rows = await deps.db.enrolment.findMany({
      where: { id: { in: enrolmentIds }, status: 'confirmed', person: { deletedAt: null } },
      include: { course: { include: { sessions: upcoming(now) } } },
    });
    return rows.map((e) => ({ enrolmentId: e.id, confirmedSince: e.updatedAt, sessions: e.course.sessions }));
  }

  async function removeJobs(enrolmentIds: string[], sessionIds: string[]): Promise<number> {
    let removed = 0;
    for (const e of enrolmentIds)
      for (const s of sessionIds)
        for (const o of deps.offsets) removed += await deps.queue.remove(jobIdFor(reminderKey(e, s, o)));
    return removed;
  }

  return {
    /** After a sign-up is confirmed (directly or from the waitlist). */
    async scheduleEnrolment(enrolmentId: string, now = new Date()): Promise<ScheduleResult> {
      return add(await forEnrolments([enrolmentId], now), now);
    },

    /** Many sign-ups in one pass (imports, benchmarks). */
    async scheduleEnrolments(enrolmentIds: string[], now = new Date()): Promise<ScheduleResult> {
      return add(await forEnrolments(enrolmentIds, now), now);
    },

    /** After a cancellation: its pending reminder jobs go (the job would also see the cancellation and do nothing). */
    async removeEnrolment(enrolmentId: string, now = new Date()): Promise<number> {
      const e = await deps.db.enrolment.findUnique({
        where: { id: enrolmentId },
        include: {
          course: { include: { sessions: { where: { startsAt: { gt: now } }, select: { id: true } } } },
        },
      });
      return e
        ? removeJobs(
            [e.id],
            e.course.sessions.map((s) => s.id),
          )
        : 0;
    },

    /**
     * After a class session moved or was cancelled: old jobs go, new ones are planned. Pass the old start time
     * when it moved, so reminders already sent for the old time do not stop the ones for the new time.
     */
    async rescheduleSession(
      sessionId: string,
      options: { previousStartsAt?: Date; now?: Date } = {},
    ): Promise<ScheduleResult> {
      const now = options.now ?? new Date();
      const session = await deps.db.classSession.findUnique({
        where: { id: sessionId },
        include: { course: { include: { enrolments: { where: { status: 'confirmed' } } } } },
      });
      if (!session) return { scheduled: 0, late: 0, done: 0, skipped: {} };
      const enrolments = session.course.enrolments;
      await removeJobs(
        enrolments.map((e) => e.id),
        [sessionId],
      );
      if (options.previousStartsAt && options.previousStartsAt.getTime() !== session.startsAt.getTime()) {
        const old = await deps.db.delivery.findMany({
          where: { kind: 'reminder', key: { startsWith: 'reminder:', contains: `:${sessionId}:` } },
          select: { key: true, channel: true },
        });
        // Keep the history, but under another key: the reminders for the new time are new messages (one
        // still waiting under the old key is dropped when its job reads it).
        await deps.db.$executeRaw`
          UPDATE deliveries SET key = key || '@' || ${String(options.previousStartsAt.getTime())}, updated_at = now()
          WHERE kind = 'reminder' AND key LIKE ${`reminder:%:${sessionId}:%`} AND key NOT LIKE '%@%'`;
        // …and the new ones can have jobs under those keys at once.
        const current = old.filter((r) => !r.key.includes('@'));
        // Reminders prepared for the old time wait in the queue under these keys (they would send the new
        // time's message at the old time), and finished ones hold the job ids the new ones reuse: both go.
        await deps.cancelOutbound?.(current);
      }
      if (session.cancelled || session.startsAt <= now || session.startsAt > horizon(now)) {
        return { scheduled: 0, late: 0, done: 0, skipped: {} };
      }
      const sessions = [{ id: session.id, startsAt: session.startsAt }];
      return add(
        enrolments.map((e) => ({ enrolmentId: e.id, confirmedSince: e.updatedAt, sessions })),
        now,
      );
    },

    /** The sweep: every reminder the database says should exist is (re-)added; existing jobs are untouched. */
    async rebuild(now = new Date()): Promise<ScheduleResult> {
      const sessions = await deps.db.classSession.findMany({
        ...upcoming(now),
        select: {
          id: true,
          startsAt: true,
          course: {
            select: {
              enrolments: {
                where: { status: 'confirmed', person: { deletedAt: null } },
                select: { id: true, updatedAt: true },
              },
            },
          },
        },
      });
      const items = sessions.flatMap((s) =>
        s.course.enrolments.map((e) => ({
          enrolmentId: e.id,
          confirmedSince: e.updatedAt,
          sessions: [{ id: s.id, startsAt: s.startsAt }],
        })),
      );
      const result = await add(items, now);
      deps.logger.debug({ ...result }, 'reminder sweep');
      return result;
    },
  };
}

export type ReminderScheduler = ReturnType<typeof createReminderScheduler>;
