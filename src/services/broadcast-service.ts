import { undeliveredLines } from '../core/broadcast/undelivered-lines';
import type { DeliveryPlan } from '../core/channel';
import { withDeadline } from '../core/deadline';
import { asLocale, inLocale, LOCALES, type Locale } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { ChannelName } from '../core/message';
import type {
  BroadcastReport,
  ConfirmOutcome,
  CoordinatorAccess,
  DraftOutcome,
  SpreadDelivery,
} from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import type { BroadcastRepository, RowsJob } from '../db/repositories/broadcast-repository';
import type { DeliveryRepository, DeliveryRow } from '../delivery/delivery-repository';
import { tallyDeliveries } from '../delivery/delivery-tally';
import type { Outbox } from '../delivery/outbox';
import type { Recipients } from '../delivery/recipients';
import type { Logger } from '../logger';
import { undeliveredOf } from './broadcast-undelivered';
import type { CoordinatorService } from './coordinator-service';

/** How long a confirmation waits for its jobs to be queued before answering "saved, will be sent". */
export const QUEUE_ANSWER_MS = 2_000;
/** Recipients whose rows are written and jobs queued before the coordinator is answered. */
const FIRST_CHUNK = 250;
/** Recipients per INSERT after the answer, written in the background. */
const ROWS_CHUNK = 1_000;
/** Between a notice's chunks written in the background: room for reminders and turns. */
const PAUSE_MS = 10;
/**
 * The next chunk waits while this many notice messages are still queued, for at most ROOM_WAIT_MS: writing
 * and queueing far ahead of what the channels send only competes with reminders and turns for the same CPU,
 * database and Redis, while a wait without bound would let a slow channel hold a notice's recipients open
 * for hours.
 */
const BACKLOG_AHEAD = 2 * ROWS_CHUNK;
const ROOM_WAIT_MS = 2_000;

export interface BroadcastServiceDeps {
  db: Db;
  deliveries: DeliveryRepository;
  broadcasts: BroadcastRepository;
  outbox: Outbox;
  recipients: Recipients;
  coordinators: CoordinatorService;
  translator: Translator;
  /** Longest text a channel takes in one message (its capabilities), for the length check. */
  maxTextLength: (channel: ChannelName) => number;
  /**
   * When `count` proactive messages through a channel will be out (channels with a daily cap); else undefined,
   * without asking `count` (counting the messages ahead of a notice costs a query the other channels do not need).
   */
  planDelivery?: (
    channel: ChannelName,
    count: () => Promise<number>,
    now: Date,
  ) => Promise<DeliveryPlan | undefined>;
  logger: Logger;
  /** A notice asking for confirmation (issue 19, services/acks-service.ts): its texts with the "收到" choice. */
  ackMessage?: (
    broadcastId: string,
    texts: { zh: string; en: string },
  ) => Record<'zh' | 'en', { text: string; choices: unknown[] }>;
}

/**
 * Coordinator notices: a draft with a recipient count, then on confirmation the draft is claimed ('sending',
 * recipients counted) and one delivery row per recipient (key broadcast:<id>:<person>) written a chunk at a
 * time, each chunk's jobs queued as it is written: the first chunk before the coordinator is answered, the
 * rest in the background. The notice cannot complete before its last row is written (rows_written_at); rows a
 * stopped process did not write, the sweep writes (a chunk written twice writes nothing twice).
 * A second confirmation finds the broadcast no longer a draft and sends nothing.
 */
export function createBroadcastService(deps: BroadcastServiceDeps) {
  const { db, translator } = deps;

  const render = (
    locale: Locale,
    course: { code: string; title: string; titleEn: string | null },
    text: string,
  ) =>
    translator.forLocale(locale)('coordinator:broadcast.message', {
      code: course.code,
      title: inLocale(locale, course.title, course.titleEn),
      text,
    });

  async function finishIfDone(broadcastId: string): Promise<boolean> {
    if (!(await deps.deliveries.completeBroadcastIfDone(broadcastId))) return false;
    await sendSummary(broadcastId);
    return true;
  }

  /** The author's "sent: n of m" message, through the queue under a key of its own (once per broadcast). */
  async function sendSummary(broadcastId: string): Promise<void> {
    const b = await db.broadcast.findUniqueOrThrow({ where: { id: broadcastId }, include: { course: true } });
    const tally = await tallyDeliveries(db, broadcastId);
    const failed = tally.failed.reduce((n, f) => n + f.count, 0);
    const groupsFailed = tally.groups.total - tally.groups.sent;
    const author = await db.person.findUnique({ where: { id: b.authorId }, select: { locale: true } });
    const locale = asLocale(author?.locale ?? 'zh-CN');
    const t = translator.forLocale(locale);
    const title = inLocale(locale, b.course.title, b.course.titleEn);
    const lines = [
      t('coordinator:done', {
        code: b.course.code,
        title,
        sent: tally.sent - tally.groups.sent,
        failed: failed - groupsFailed,
        recipients: b.recipients - tally.groups.total,
      }),
    ];
    if (tally.groups.total)
      lines.push(t('coordinator:doneGroups', { groups: tally.groups.total, posted: tally.groups.sent }));
    // "1 人联系不上" says who, and why.
    if (failed - groupsFailed > 0) {
      const { undelivered, undeliveredTotal } = await undeliveredOf(db, broadcastId);
      lines.push(...undeliveredLines(t, undelivered, undeliveredTotal));
    }
    const address = (await deps.recipients.reachable([b.authorId])).get(b.authorId);
    await deps.outbox.enqueue([
      {
        key: `broadcast-summary:${broadcastId}`,
        kind: 'broadcast_summary',
        personId: b.authorId,
        address,
        message: { text: lines.join('\n') },
      },
    ]);
  }

  /**
   * Channels whose daily cap will carry what is left of this notice past today, with when it should be fully
   * out. Messages that were already waiting on the channel when it was confirmed (an earlier notice, reminders
   * held back by the cap) go first, so they count.
   */
  async function spreadOf(broadcastId: string, counts?: Map<string, number>): Promise<SpreadDelivery[]> {
    if (!deps.planDelivery) return [];
    const confirmedAt = async () =>
      (await db.broadcast.findUnique({ where: { id: broadcastId }, select: { confirmedAt: true } }))
        ?.confirmedAt ?? new Date();
    const open = ['pending', 'sending'];
    const own =
      counts ??
      new Map(
        (
          await db.delivery.groupBy({
            by: ['channel'],
            where: { broadcastId, status: { in: open } },
            _count: true,
          })
        ).map((g) => [g.channel, g._count]),
      );
    const spread: SpreadDelivery[] = [];
    for (const [channel, count] of own) {
      try {
        const ahead = async () =>
          db.delivery.count({
            where: {
              channel,
              status: { in: open },
              createdAt: { lt: await confirmedAt() },
              OR: [{ broadcastId: null }, { broadcastId: { not: broadcastId } }],
            },
          });
        const plan = await deps.planDelivery(
          channel as ChannelName,
          async () => (await ahead()) + count,
          new Date(),
        );
        if (plan?.spread)
          spread.push({
            channel: channel as ChannelName,
            count,
            perDay: plan.perDay,
            days: plan.days,
            finishAt: plan.finishAt,
          });
      } catch (error) {
        deps.logger.warn({ err: error, channel }, 'could not estimate when the notice will be delivered');
      }
    }
    return spread;
  }

  const render2 = (
    course: { code: string; title: string; titleEn: string | null; id?: string; askAck?: boolean },
    text: string,
  ) => {
    const texts = { zh: render('zh-CN', course, text), en: render('en', course, text) };
    const ack = course.askAck && course.id ? deps.ackMessage?.(course.id, texts) : undefined;
    return ack ? { ...texts, ack } : texts;
  };

  /** Notices whose rows this process is writing now (the sweep leaves them alone). */
  const writing = new Map<string, Promise<void>>();
  let stopping = false;

  /** Queues a chunk's jobs within QUEUE_ANSWER_MS; false when the queue did not answer (the sweep will). */
  async function dispatch(broadcastId: string, rows: readonly DeliveryRow[]): Promise<boolean> {
    if (!rows.length) return true;
    try {
      await withDeadline(
        deps.outbox.dispatch(rows),
        QUEUE_ANSWER_MS,
        () => new Error(`the queue did not answer within ${QUEUE_ANSWER_MS} ms`),
      );
      return true;
    } catch (error) {
      deps.logger.error(
        { err: error, broadcastId },
        'notice rows written but their jobs not queued; the sweep will queue them',
      );
      return false;
    }
  }

  /**
   * Writes the rows after person `after`, a chunk at a time, queueing each chunk's jobs (until the queue fails
   * to answer once: then only rows, and the sweep queues them), then marks the notice written and checks
   * whether it is already done. A stopping process stops between chunks; the sweep goes on from there.
   */
  async function writeRest(job: RowsJob, after: string | undefined, queueing: boolean): Promise<void> {
    let last = after;
    for (;;) {
      if (stopping) return;
      const chunk = await deps.broadcasts.writeChunk(job, last, ROWS_CHUNK);
      last = chunk.last;
      const end = chunk.n < ROWS_CHUNK;
      // Marked before the last jobs go out, so the completion check their sends lead to can see it.
      if (end) await deps.broadcasts.markWritten(job.broadcastId);
      if (queueing) queueing = await dispatch(job.broadcastId, chunk.rows);
      if (end) break;
      // Room for reminders and turns between chunks.
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      if (queueing) await deps.outbox.waitForBulkRoom(BACKLOG_AHEAD, ROOM_WAIT_MS, () => stopping);
    }
    // Every row may have been sent (or failed: nobody reachable) before the mark.
    await finishIfDone(job.broadcastId);
  }

  function inBackground(job: RowsJob, after: string | undefined, queueing: boolean): Promise<void> {
    const running = writeRest(job, after, queueing)
      .catch((error: unknown) =>
        deps.logger.error(
          { err: error, broadcastId: job.broadcastId },
          'notice rows not all written; the sweep will write the rest',
        ),
      )
      .finally(() => writing.delete(job.broadcastId));
    writing.set(job.broadcastId, running);
    return running;
  }

  return {
    finishIfDone,
    /** Stops writing notices' rows after the chunk being written (the sweep writes the rest). */
    async close(): Promise<void> {
      stopping = true;
      await Promise.allSettled([...writing.values()]);
    },
    /** For the console's delivery page: where a daily cap spreads what is left of a notice over days. */
    spread: spreadOf,

    /** The sweep: broadcasts whose last delivery finished while their completion was missed. */
    async finishStale(): Promise<number> {
      // Rows a stopped process did not write: written (and queued) now, before asking what is done.
      for (const job of await deps.broadcasts.unwritten(render2))
        if (!writing.has(job.broadcastId)) await inBackground(job, undefined, true);
      const open = await db.broadcast.findMany({ where: { status: 'sending' }, select: { id: true } });
      let finished = 0;
      for (const b of open) if (await finishIfDone(b.id)) finished += 1;
      // Completed, but the process stopped before the author's summary was queued: queue it now.
      const unreported = await db.$queryRaw<{ id: string }[]>`
        SELECT b.id FROM broadcasts b
        WHERE b.status = 'completed' AND b.completed_at > now() - interval '7 days'
          AND b.completed_at < now() - interval '1 minute'
          AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.key = 'broadcast-summary:' || b.id::text)`;
      for (const b of unreported) await sendSummary(b.id);
      return finished + unreported.length;
    },

    async draft(
      personId: string,
      access: CoordinatorAccess,
      courseCode: string,
      text: string,
      now: Date,
    ): Promise<DraftOutcome> {
      const body = text.trim();
      if (!body) return { status: 'empty' };
      const target = (await deps.coordinators.targets(access, now)).find((c) => c.code === courseCode);
      const course = target && (await db.course.findUnique({ where: { code: courseCode } }));
      if (!target || !course) return { status: 'not_found' };
      const audience = await deps.broadcasts.audience(course.id);
      const limit = Math.min(4_096, ...audience.channels.map((c) => deps.maxTextLength(c as ChannelName)));
      const header = Math.max(...LOCALES.map((l) => render(l, course, '').length));
      if (body.length + header > limit)
        return { status: 'too_long', length: body.length, limit: limit - header };
      const broadcast = await db.broadcast.create({
        data: { courseId: course.id, authorId: personId, text: body, recipients: audience.confirmed },
      });
      await deps.coordinators.audit(personId, 'broadcast.drafted', course.code, {
        broadcastId: broadcast.id,
        length: body.length,
      });
      return {
        status: 'ok',
        preview: {
          broadcastId: broadcast.id,
          course: target,
          text: body,
          confirmed: audience.confirmed,
          waitlisted: audience.waitlisted,
          unreachable: audience.unreachable,
          groups: audience.groups,
        },
      };
    },

    async confirm(
      personId: string,
      broadcastId: string,
      includeWaitlisted: boolean,
    ): Promise<ConfirmOutcome> {
      const done = await deps.broadcasts.claim(broadcastId, personId, includeWaitlisted, render2);
      if (!done) return { status: 'gone' };
      // Planned before the jobs go out: once the first messages are sent they would count twice.
      const spread = await spreadOf(broadcastId, done.byChannel).catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'could not estimate when the notice will be delivered');
        return [];
      });
      // The first chunk's rows and jobs now: a queue that does not answer is known before the coordinator is
      // told (Redis away: the rows are committed, so the coordinator hears "saved" and the sweep queues the
      // jobs once Redis answers; a late addBulk meanwhile adds the same job ids: nothing twice).
      const first = await deps.broadcasts.writeChunk(done.job, undefined, FIRST_CHUNK);
      const all = first.n < FIRST_CHUNK;
      // Every row written: marked before the jobs go out (their completion check must see it).
      if (all) await deps.broadcasts.markWritten(broadcastId);
      const queuedNow = await dispatch(broadcastId, [...done.groupRows, ...first.rows]);
      if (all) {
        // Nobody reachable: the author's summary right away.
        if (!done.byChannel.size)
          await finishIfDone(broadcastId).catch((error: unknown) =>
            deps.logger.warn({ err: error, broadcastId }, 'broadcast summary not queued; the sweep will'),
          );
      } else void inBackground(done.job, first.last, queuedNow);
      await deps.coordinators.audit(personId, 'broadcast.confirmed', done.courseCode, {
        broadcastId,
        recipients: done.recipients,
        unreachable: done.unreachable,
        includeWaitlisted,
      });
      return {
        status: 'sending',
        deferred: !queuedNow,
        course: done.courseCode,
        recipients: done.recipients - done.groups,
        unreachable: done.unreachable,
        groups: done.groups,
        spread,
      };
    },

    async discard(personId: string, broadcastId: string): Promise<void> {
      const n = await db.broadcast.updateMany({
        where: { id: broadcastId, authorId: personId, status: 'draft' },
        data: { status: 'discarded' },
      });
      if (n.count) await deps.coordinators.audit(personId, 'broadcast.discarded', undefined, { broadcastId });
    },

    async report(
      personId: string,
      access: CoordinatorAccess,
      courseCode?: string,
    ): Promise<BroadcastReport | undefined> {
      // The author's own notices, of courses still in their scope (a narrowed scope hides the rest).
      const course = deps.coordinators.inScope(access);
      const b = await db.broadcast.findFirst({
        where: {
          authorId: personId,
          status: { in: ['sending', 'completed'] },
          course: courseCode ? { AND: [course, { code: courseCode }] } : course,
        },
        orderBy: { confirmedAt: 'desc' },
        include: { course: true },
      });
      await deps.coordinators.audit(personId, 'broadcast.report', courseCode, { broadcastId: b?.id });
      if (!b) return undefined;
      const tally = await tallyDeliveries(db, b.id);
      const failed = tally.failed.reduce((n, f) => n + f.count, 0);
      return {
        broadcastId: b.id,
        course: {
          code: b.course.code,
          title: { 'zh-CN': b.course.title, en: b.course.titleEn ?? b.course.title },
          trade: b.course.trade as BroadcastReport['course']['trade'],
          county: b.course.county as BroadcastReport['course']['county'],
        },
        text: b.text,
        status: b.status,
        createdAt: b.confirmedAt ?? b.createdAt,
        recipients: b.recipients,
        sent: tally.sent,
        pending: tally.pending,
        failed: tally.failed,
        ...(failed ? await undeliveredOf(db, b.id) : { undelivered: [], undeliveredTotal: 0 }),
        spread: tally.pending ? await spreadOf(b.id) : [],
      };
    },
  };
}

export type BroadcastService = ReturnType<typeof createBroadcastService>;
