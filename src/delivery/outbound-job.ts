import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import { type Channel, ChannelSendError, RouteUnreachableError } from '../core/channel';
import { choiceOptionSchema } from '../core/dialog/chat-session';
import type { Logger } from '../logger';
import type { AttemptOutcome, DeliveryAttempts } from './delivery-attempts';
import type { ClaimedDelivery, DeliveryRepository } from './delivery-repository';
import type { Fallback } from './fallback';

/** One proactive message to one chat. The job only names its delivery row; the row holds the message. */
export const OUTBOUND_JOB = 'deliver';

export const outboundPayloadSchema = z.object({
  key: z.string().min(1).max(300),
  channel: z.string().min(1).max(40),
  chatId: z.string().min(1).max(200),
});
export type OutboundPayload = z.infer<typeof outboundPayloadSchema>;

/** What a delivery row's `message` holds. */
export const storedMessageSchema = z.object({
  text: z.string().min(1),
  choices: z.array(choiceOptionSchema).optional(),
  /** The chat session (channel:externalId) whose current choices become this message's choices. */
  sessionKey: z.string().optional(),
  /** Not to be sent before this time (ISO): a reminder prepared ahead of its due time. */
  notBefore: z.string().optional(),
  /** Not to be sent after this time (ISO): a message that is useless late (a one-time code) fails as 'expired'. */
  notAfter: z.string().optional(),
  /** Only the route it was queued for may carry it (a code that proves a phone): no fallback to another. */
  routeOnly: z.boolean().optional(),
  /** A reminder: the class start time its text states (ISO); a class that moved since makes it stale. */
  forStartsAt: z.string().optional(),
  /** Its parts by name (course, time, place…), for template-only channels; the kind defaults to the row's. */
  notice: z
    .object({ kind: z.string().max(40).optional(), params: z.record(z.string(), z.string().max(500)) })
    .optional(),
});
export type StoredMessage = z.infer<typeof storedMessageSchema>;

/** Whether a message with a `notAfter` would be late at `at` (ms). */
const pastNotAfter = (message: Pick<StoredMessage, 'notAfter'>, at: number): boolean =>
  message.notAfter !== undefined && at > Date.parse(message.notAfter);

/** A message due this close to now is sent rather than put back to wait. */
const EARLY_SLACK_MS = 50;

/** How long a job waits for its delivery row to appear before it gives up (the row's transaction failed). */
const MISSING_GRACE_MS = 60_000;

export type OutboundResult =
  | 'sent'
  | 'noop:done'
  | 'noop:missing'
  | 'failed:outside_window'
  | 'failed:expired'
  | 'failed:opted_out'
  /** This route could not carry it: the next one took it (fallback.ts), or none was left. */
  | 'fell_back';

export interface OutboundHandlerDeps {
  channel: Channel;
  deliveries: DeliveryRepository;
  /** The channel's queue, for a queue-wide pause when the platform answers 429. */
  queue: Queue;
  /** Per-chat pacing: resolves 0 when this chat may be written to now, else the ms to wait. */
  takeChatSlot?: (chatId: string) => Promise<number>;
  /** Just before a send: make the message's choices the person's current ones, so an answer that comes
   * back at once already means what this message offered. */
  beforeSend?: (message: StoredMessage) => Promise<(() => Promise<void>) | undefined>;
  /** After a row reached sent or failed: e.g. complete its broadcast. */
  afterFinal?: (row: Pick<ClaimedDelivery, 'key' | 'broadcastId'>) => Promise<void>;
  /** The person said "退订" on this channel for this kind of message (issue 19; services/preferences-service.ts). */
  optedOut?: OptOutCheck;
  /** Every try on a channel is recorded (delivery_attempts). */
  attempts?: DeliveryAttempts;
  /** A route that cannot carry the message hands it to the next (DELIVERY_FALLBACK); without: it fails. */
  fallback?: Fallback;
  logger: Logger;
}

/** Whether a person opted out of a kind of message on a channel: such a row fails as 'opted_out', unsent. */
export type OptOutCheck = (personId: string, channel: string, kind: string) => Promise<boolean>;

/** Validated on dequeue as well as on enqueue: a malformed job is a permanent failure, never retried. */
function parsePayload(data: unknown): OutboundPayload {
  const parsed = outboundPayloadSchema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`invalid outbound payload: ${parsed.error.message}`);
  return parsed.data;
}

async function delay(job: Job, token: string | undefined, until: number): Promise<never> {
  await job.moveToDelayed(until, token);
  throw new DelayedError();
}

export function outboundProcessor(deps: OutboundHandlerDeps) {
  const { deliveries } = deps;

  /** Follow-ups never fail a delivery that already happened; the sweep redoes what they missed. */
  const afterFinal = async (row: ClaimedDelivery) => {
    await deps
      .afterFinal?.(row)
      .catch((error) =>
        deps.logger.warn({ err: error, key: row.key }, 'follow-up of a finished delivery failed'),
      );
  };
  const final = async (row: ClaimedDelivery, reason: string) => {
    await deliveries.markFailed(row.key, reason);
    await afterFinal(row);
  };
  const recordAttempt = (id: string | undefined, outcome: AttemptOutcome) =>
    deps.attempts
      ?.finish(id, outcome)
      .catch((error) => deps.logger.warn({ err: error }, 'could not record a delivery attempt'));
  /** This route cannot carry the message now: the next one may (fallback.ts); none left: it failed. */
  const fallBack = async (
    row: ClaimedDelivery,
    claimToken: string,
    attemptId: string | undefined,
    reason: string,
    routeOnly: boolean | undefined,
  ): Promise<void> => {
    if (!deps.fallback || routeOnly) {
      await recordAttempt(attemptId, { status: 'failed', reason });
      await final(row, reason);
      return;
    }
    const result = await deps.fallback.next(row, claimToken, attemptId, reason);
    if (result.state === 'exhausted') await afterFinal(row);
  };

  return async (job: Job, token?: string): Promise<OutboundResult> => {
    const payload = parsePayload(job.data);
    const wait = deps.takeChatSlot ? await deps.takeChatSlot(payload.chatId) : 0;
    if (wait > 0) return delay(job, token, Date.now() + wait);

    const claimToken = token ?? `${job.id}:${job.attemptsStarted}`;
    const claim = await deliveries.claim(payload.key, claimToken);
    if (claim.state === 'done') return 'noop:done';
    if (claim.state === 'missing') {
      // A broadcast's jobs are queued while its rows are still being written: wait for the row a while.
      if (Date.now() - job.timestamp < MISSING_GRACE_MS) return delay(job, token, Date.now() + 250);
      return 'noop:missing';
    }
    if (claim.state === 'busy') return delay(job, token, claim.retryAt.getTime());
    const row = claim.row;
    if (row.inDoubt) deps.logger.warn({ key: row.key }, 'resending a message whose earlier attempt crashed');

    const message = storedMessageSchema.safeParse(row.message);
    if (!message.success) {
      await final(row, 'invalid: stored message');
      throw new UnrecoverableError(`delivery ${row.key} has no valid message`);
    }
    // Prepared ahead of its time (or queued again without its delay): back to waiting until it is due.
    const notBefore = message.data.notBefore ? Date.parse(message.data.notBefore) : Number.NaN;
    if (notBefore - Date.now() > EARLY_SLACK_MS) {
      await deliveries.release(row.id, claimToken);
      return delay(job, token, notBefore);
    }
    if (pastNotAfter(message.data, Date.now())) {
      await final(row, 'expired');
      return 'failed:expired';
    }
    const expired = await deliveries.reminderExpired(row, message.data.forStartsAt);
    if (expired === 'moved') {
      // Its class moved and nothing rescheduled it: kept under another key, so the sweep plans the new one.
      await deliveries.supersede(row.id, 'moved');
      return 'failed:expired';
    }
    if (expired) {
      await final(row, expired);
      return 'failed:expired';
    }
    const attemptId = await deps.attempts?.begin(row).catch((error) => {
      deps.logger.warn({ err: error, key: row.key }, 'could not record a delivery attempt');
      return undefined;
    });
    if (row.personId && (await deps.optedOut?.(row.personId, row.channel, row.kind))) {
      if (!deps.fallback) {
        await recordAttempt(attemptId, { status: 'failed', reason: 'opted_out' });
        await final(row, 'opted_out');
        return 'failed:opted_out';
      }
      await fallBack(row, claimToken, attemptId, 'opted_out', message.data.routeOnly);
      return 'fell_back';
    }
    const windowHours = deps.channel.capabilities.replyWindowHours;
    if (windowHours) {
      const last = await deliveries.lastInboundAt(row.channel, row.chatId);
      if (!last || Date.now() - last.getTime() > windowHours * 3_600_000) {
        await fallBack(row, claimToken, attemptId, 'outside_window', message.data.routeOnly);
        return deps.fallback ? 'fell_back' : 'failed:outside_window';
      }
    }

    const undoChoices = await deps.beforeSend?.(message.data).catch((error) => {
      deps.logger.warn({ err: error, key: row.key }, 'could not record the choices of a message');
      return undefined;
    });
    let result: Awaited<ReturnType<Channel['send']>>;
    try {
      result = await deps.channel.send(
        { channel: deps.channel.name, chatId: row.chatId },
        {
          text: message.data.text,
          choices: message.data.choices?.map((c) => c.label),
          deliveryKey: row.key,
          notice: {
            kind: message.data.notice?.kind ?? row.kind,
            params: message.data.notice?.params ?? {},
          },
        },
      );
    } catch (error) {
      // A clear refusal: the person never got it. A network error may have delivered it: keep its choices.
      if (error instanceof ChannelSendError && error.kind !== 'network')
        await undoChoices?.().catch((e) =>
          deps.logger.warn({ err: e, key: row.key }, 'could not take back the choices of a refused message'),
        );
      return onSendError(job, token, row, message.data, claimToken, error, attemptId);
    }
    await recordAttempt(attemptId, {
      status: 'sent',
      provider: result?.provider,
      providerMessageId: result?.provider ? result.platformMessageId : undefined,
      segments: result?.segments,
    });
    if (!(await deliveries.markSent(row.id, claimToken))) {
      deps.logger.warn({ key: row.key }, 'sent, but the claim had been taken over: a duplicate is possible');
    }
    await afterFinal(row);
    return 'sent';
  };

  /** The platform said no (permanent), slow down (429) or the network failed (retry with backoff). */
  async function onSendError(
    job: Job,
    token: string | undefined,
    row: ClaimedDelivery,
    stored: StoredMessage,
    claimToken: string,
    error: unknown,
    attemptId?: string,
  ): Promise<OutboundResult> {
    const kind = error instanceof ChannelSendError ? error.kind : 'network';
    const detail = error instanceof Error ? error.message : String(error);
    const waits = kind === 'unavailable' || kind === 'rate_limited';
    const routeEnds = kind === 'blocked' || kind === 'outside_window' || kind === 'route_unreachable';
    // A route that ends is recorded by the fallback (fell_back), with the reason it moved on.
    if (!(routeEnds && deps.fallback))
      await recordAttempt(attemptId, { status: waits ? 'deferred' : 'failed', reason: `${kind}: ${detail}` });
    switch (kind) {
      case 'blocked':
        await deliveries.markUnreachable(row.channel, row.chatId);
        if (deps.fallback) {
          await fallBack(row, claimToken, attemptId, 'blocked', stored.routeOnly);
          return 'fell_back';
        }
        await final(row, 'blocked');
        throw new UnrecoverableError(`blocked: ${detail}`);
      case 'invalid':
        await final(row, `invalid: ${detail}`);
        throw new UnrecoverableError(`invalid: ${detail}`);
      case 'outside_window':
      case 'route_unreachable': {
        const reason = error instanceof RouteUnreachableError ? error.reason : 'outside_window';
        await fallBack(row, claimToken, attemptId, reason, stored.routeOnly);
        return deps.fallback ? 'fell_back' : 'failed:outside_window';
      }
      case 'unavailable': {
        // This process cannot send (not logged in): the message waits and keeps its attempts; another
        // process that is logged in may take it meanwhile, so the queue itself is not paused.
        const retryAfterMs = Math.max(1, Math.ceil((error as ChannelSendError).retryAfterMs ?? 5_000));
        // Not worth waiting for when it would go out too late.
        if (pastNotAfter(stored, Date.now() + retryAfterMs)) {
          await final(row, 'expired');
          return 'failed:expired';
        }
        await deliveries.release(row.id, claimToken);
        deps.logger.warn({ channel: row.channel, retryAfterMs, reason: detail }, 'channel cannot send now');
        return delay(job, token, Date.now() + retryAfterMs);
      }
      case 'rate_limited': {
        // Not this message's fault: it keeps its attempts, and the channel's whole queue waits.
        await deliveries.release(row.id, claimToken);
        // Whole milliseconds: Redis refuses a fractional PX, and the pause would silently not happen.
        const retryAfterMs = Math.max(1, Math.ceil((error as ChannelSendError).retryAfterMs ?? 1000));
        deps.logger.warn(
          { channel: row.channel, retryAfterMs, reason: detail },
          'platform rate limit: pausing the queue',
        );
        await deps.queue.rateLimit(retryAfterMs);
        throw Worker.RateLimitError();
      }
      default: {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (lastAttempt) {
          await final(row, `network: ${detail}`);
          throw new UnrecoverableError(`network, gave up: ${detail}`);
        }
        await deliveries.release(row.id, claimToken);
        throw error instanceof Error ? error : new Error(detail);
      }
    }
  }
}
