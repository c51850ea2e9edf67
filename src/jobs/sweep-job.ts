import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { DeliveryRepository } from '../delivery/delivery-repository';
import type { Outbox } from '../delivery/outbox';
import type { Logger } from '../logger';
import type { ReminderScheduler, ScheduleResult } from './reminder-scheduler';

/** The periodic repair job: rebuilds from PostgreSQL whatever Redis should hold but does not. */
export const SWEEP_JOB = 'sweep';
export const SWEEP_SCHEDULER_ID = 'sweep-every';

export const sweepPayloadSchema = z.object({ reason: z.enum(['schedule', 'startup', 'manual']) });
export type SweepPayload = z.infer<typeof sweepPayloadSchema>;

export interface SweepDeps {
  reminders: ReminderScheduler;
  deliveries: DeliveryRepository;
  outbox: Outbox;
  finishStaleBroadcasts: () => Promise<number>;
  /**
   * Whether this deployment runs a channel at all (this process, or any process within the last day); rows for
   * one it does not run are failed, not kept open.
   */
  channelAvailable?: (channel: string) => Promise<boolean>;
  /** "You got a seat" messages for promotions whose message was never queued. */
  notifyMissedPromotions?: () => Promise<number>;
  /** Erasures whose text scrub a stopped process left half-done (person-erasure.ts): finished here. */
  resumeErasureScrubs?: () => Promise<number>;
  /** Staff-inbox items waiting too long, told to the admins (services/inbox-alerts.ts): messages queued. */
  escalateInbox?: () => Promise<number>;
  /** Tell staff again of people still waiting for a person (at most once per INBOX_ALERT_MINUTES each). */
  alertInbox?: () => Promise<number>;
  /** The one follow-up to who has not confirmed a notice that asked (services/acks-service.ts): queued. */
  followUpNotices?: () => Promise<number>;
  logger: Logger;
}

export interface SweepResult {
  reminders: ScheduleResult;
  /** Open delivery rows whose jobs were (re-)added; waiting jobs are left alone, finished ones replaced. */
  requeued: number;
  channelsOff: number;
  broadcastsFinished: number;
  promotionsNotified: number;
  erasureScrubsFinished: number;
  inboxEscalations: number;
  inboxAlerts: number;
  noticeFollowUps: number;
}

/** A delivery row younger than this is left to the code path that is queueing it right now. */
const SETTLE_MS = 60_000;
/** A message for a channel no process has run for this long is failed as `channel_off`. */
const CHANNEL_OFF_AFTER_MS = 86_400_000;

export async function runSweep(deps: SweepDeps, now = new Date()): Promise<SweepResult> {
  const reminders = await deps.reminders.rebuild(now);
  const open = await deps.deliveries.open(SETTLE_MS, 5_000);
  // A channel switched off (its token removed, say): nothing will ever send these, so they fail visibly and
  // their broadcasts can complete, instead of waiting for ever.
  const off = new Set<string>();
  for (const channel of new Set(open.map((r) => r.channel)))
    if (deps.channelAvailable && !(await deps.channelAvailable(channel))) off.add(channel);
  // Only what has waited longer than a process takes to say it runs the channel again (a Redis flush loses
  // that word for up to 10 minutes, a long outage for longer): a day.
  const channelsOff = await deps.deliveries.failChannelOff([...off], CHANNEL_OFF_AFTER_MS);
  const requeued = await deps.outbox.requeue(open.filter((r) => !off.has(r.channel)));
  const broadcastsFinished = await deps.finishStaleBroadcasts();
  const promotionsNotified = (await deps.notifyMissedPromotions?.()) ?? 0;
  const erasureScrubsFinished = (await deps.resumeErasureScrubs?.()) ?? 0;
  const inboxEscalations = (await deps.escalateInbox?.()) ?? 0;
  const inboxAlerts = (await deps.alertInbox?.()) ?? 0;
  const noticeFollowUps = (await deps.followUpNotices?.()) ?? 0;
  const result = {
    reminders,
    requeued,
    channelsOff,
    broadcastsFinished,
    promotionsNotified,
    erasureScrubsFinished,
    inboxEscalations,
    inboxAlerts,
    noticeFollowUps,
  };
  deps.logger.info(result, 'sweep done');
  return result;
}

export function sweepProcessor(deps: SweepDeps) {
  return async (job: Job): Promise<SweepResult> => {
    const parsed = sweepPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid sweep payload: ${parsed.error.message}`);
    return runSweep(deps);
  };
}

const SWEEP_OPTS = { removeOnComplete: { count: 20 }, removeOnFail: { count: 50 } };

/** Idempotent: re-registering replaces the schedule, so every process does it (a Redis flush loses it too). */
export async function scheduleSweep(queue: Queue, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(
    SWEEP_SCHEDULER_ID,
    { every: everyMs },
    { name: SWEEP_JOB, data: sweepPayloadSchema.parse({ reason: 'schedule' }), opts: SWEEP_OPTS },
  );
}

export async function sweepNow(queue: Queue, reason: SweepPayload['reason']): Promise<void> {
  await queue.add(SWEEP_JOB, sweepPayloadSchema.parse({ reason }), SWEEP_OPTS);
}
