import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Runtime } from '../src/app/compose';
import { benchWorld } from './bench-world';
import { latencySummary, round } from './stats';
import { benchMessages, benchQuestions } from './turn-bench';

export interface LoadBenchResult {
  suite: 'load';
  broadcast_recipients: number;
  broadcast_enqueue_ms: number;
  reminder_lateness_p99_ms: number;
  turn_p99_ms: number;
  /** Broadcast messages and reminders that never reached the channel. */
  lost: number;
  /** …and those that reached it more than once. */
  duplicates: number;
}

export interface LoadBenchOptions {
  recipients?: number;
  reminders?: number;
  turnsPerSecond?: number;
  /** The outbound limiter (messages/s on the bench channel), as in the broadcast suite. */
  rate?: number;
  /** Write a breakdown (phases, event-loop delay, send rate) to stderr. */
  trace?: (line: string) => void;
  /** Write a CPU profile of the measured part to this file (open it in Chrome's DevTools). */
  cpuProfile?: string;
}

const REMINDER_COURSES = 20;
/** Time to schedule the reminders before the first falls due; the broadcast is confirmed when it does. */
const LEAD_MS = 10_000;
/** The reminders fall due across this window; the broadcast is confirmed at its start. */
const WINDOW_MS = 3_000;
/** How long to wait for the last message once nothing new arrives (then the rest count as lost). */
const IDLE_GIVE_UP_MS = 15_000;

/**
 * Everything at once, in one process, as a busy morning would have it: a coordinator confirms a notice to
 * `recipients` people at the moment `reminders` reminders fall due (within 3 s), while people keep chatting at
 * `turnsPerSecond` through the dialog engine. One outreach (the reminder worker and the outbound worker on the
 * same queues and connections as in `npm start`) sends to a recording channel at `rate`/s. Reports the
 * broadcast's confirmation time, the reminders' lateness (arrival at the channel minus due time), the turns'
 * latency during the run, and broadcast messages and reminders lost or duplicated.
 */
export async function benchLoad(runtime: Runtime, options: LoadBenchOptions = {}): Promise<LoadBenchResult> {
  const recipients = options.recipients ?? 10_000;
  const reminderCount = options.reminders ?? 1_000;
  const turnsPerSecond = options.turnsPerSecond ?? 50;
  const rate = options.rate ?? 1_000;
  const trace = options.trace ?? (() => undefined);
  // Outbound concurrency as the deployment runs it (OUTBOUND_CONCURRENCY, 20 by default).
  const world = await benchWorld(runtime, rate, runtime.config.OUTBOUND_CONCURRENCY);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const turns = turnDriver(runtime, turnsPerSecond);
  try {
    // --- Set-up (not measured): the people, the notice's draft, the classes whose reminders will fall due.
    const [author] = await world.people(1);
    const notice = (n: number) => world.notice(author!, n);
    const classes = await world.reminderClasses(reminderCount, REMINDER_COURSES);
    const measured = await notice(recipients);

    // The bot as `npm start` runs it: the reminder worker and the outbound worker, warmed up by a small notice.
    world.runtime.startReminders();
    await world.runtime.startOutbound(world.channel).waitUntilReady();
    const warmUp = await notice(200);
    await world.runtime.broadcasts.confirm(author!, warmUp.id, false);
    await turns.warmUp();
    await world.channel.settle(warmUp.people.size, 10_000);

    // --- Measured: turns from here on; reminders due from LEAD_MS on, when the notice is confirmed.
    const profiler = options.cpuProfile ? await startProfiler() : undefined;
    loop.enable();
    const sendsBefore = world.channel.sends.length;
    const phase = phaseClock(trace);
    turns.start();
    const due = await world.dueWithin(classes, Date.now() + LEAD_MS, WINDOW_MS);
    const reminderQueue = world.runtime.reminderQueue;
    const outboundQueue = world.runtime.delivery.outbox.queueFor('test');
    const stopWatch = watch(trace, async () => {
      let notice = 0;
      let reminders = 0;
      for (const s of world.channel.sends.slice(sendsBefore)) {
        if (measured.people.has(s.chatId)) notice += 1;
        else if (due.has(s.chatId)) reminders += 1;
      }
      const pool = runtime.database.pool;
      const counts = async (q: typeof reminderQueue) =>
        JSON.stringify(
          await q.getJobCounts('delayed', 'wait', 'prioritized', 'active', 'completed', 'failed'),
        ).replaceAll('"', '');
      return (
        `notice ${notice}, reminders ${reminders}, pg pool waiting ${pool.waitingCount}/${pool.totalCount}; ` +
        `reminder jobs ${await counts(reminderQueue)}; outbound jobs ${await counts(outboundQueue)}`
      );
    });
    const scheduled = await world.runtime.reminders.scheduleEnrolments(classes.enrolmentIds);
    phase(`reminders scheduled (${scheduled.scheduled}, ${scheduled.late} already late)`);
    await sleepUntil(Math.min(...due.values()));
    phase('first reminder due; confirming the notice');
    const t0 = performance.now();
    await world.runtime.broadcasts.confirm(author!, measured.id, false);
    const enqueueMs = performance.now() - t0;
    phase(`notice confirmed in ${round(enqueueMs, 1)} ms`);

    const expected = new Set([...measured.people, ...due.keys()]);
    await waitForAll(world.channel.sends, sendsBefore, expected);
    stopWatch();
    phase('all delivered (or given up)');
    await new Promise((r) => setTimeout(r, 500)); // a late duplicate still counts
    const latencies = await turns.stop();
    loop.disable();
    if (profiler && options.cpuProfile) await profiler.stop(options.cpuProfile);

    const sends = world.channel.sends.slice(sendsBefore).filter((s) => expected.has(s.chatId));
    const firstAt = new Map<string, number>();
    for (const s of sends) if (!firstAt.has(s.chatId)) firstAt.set(s.chatId, s.at);
    const lateness = [...due].flatMap(([id, dueAt]) => {
      const at = firstAt.get(id);
      return at === undefined ? [] : [at - dueAt];
    });
    const reminderSummary = latencySummary(lateness);
    const turnSummary = latencySummary(latencies);
    trace(
      `event loop delay: p50 ${ms(loop.percentile(50))} p99 ${ms(loop.percentile(99))} max ${ms(loop.max)} ms; ` +
        `turns ${latencies.length} p50 ${turnSummary.p50_ms} ms; reminder lateness p50 ${reminderSummary.p50_ms} ms`,
    );
    return {
      suite: 'load',
      broadcast_recipients: recipients,
      broadcast_enqueue_ms: round(enqueueMs, 1),
      reminder_lateness_p99_ms: reminderSummary.p99_ms,
      turn_p99_ms: turnSummary.p99_ms,
      lost: expected.size - firstAt.size,
      duplicates: sends.length - firstAt.size,
    };
  } finally {
    loop.disable();
    await turns.stop();
    await world.cleanUp();
  }
}

async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const ms = (ns: number) => round(ns / 1e6, 1);
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

function phaseClock(trace: (line: string) => void) {
  const started = Date.now();
  return (what: string) => trace(`+${Date.now() - started} ms: ${what}`);
}

/** Until every expected chat got its message, or nothing new came for IDLE_GIVE_UP_MS. */
async function waitForAll(
  sends: readonly { chatId: string; at: number }[],
  from: number,
  expected: Set<string>,
): Promise<void> {
  const got = new Set<string>();
  let seen = from;
  let lastNew = Date.now();
  while (got.size < expected.size) {
    for (; seen < sends.length; seen++) {
      const id = sends[seen]!.chatId;
      if (expected.has(id)) got.add(id);
      lastNew = Date.now();
    }
    if (Date.now() - lastNew > IDLE_GIVE_UP_MS) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every second, for the trace: the event loop's worst delay in that second and what `state` says. */
function watch(trace: (line: string) => void, state: () => Promise<string>): () => void {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = Date.now();
  let cpu = process.cpuUsage();
  let at = performance.now();
  const timer = setInterval(() => {
    const max = ms(loop.max);
    loop.reset();
    const used = process.cpuUsage(cpu);
    const share = Math.round((used.user + used.system) / 10 / (performance.now() - at));
    cpu = process.cpuUsage();
    at = performance.now();
    void state().then(
      (s) => trace(`  +${Date.now() - started} ms: cpu ${share}%, loop max ${max} ms; ${s}`),
      (error: unknown) => trace(`  state unavailable: ${String(error)}`),
    );
  }, 1_000);
  return () => {
    clearInterval(timer);
    loop.disable();
  };
}

/**
 * People chatting at `perSecond` turns/s (each of `users` people writes every users/perSecond seconds), open loop: a turn starts on its schedule whether or not the one
 * before has finished (people do not wait for each other), so a stalled process shows as latency, not as
 * fewer turns.
 */
function turnDriver(runtime: Runtime, perSecond: number, users = 500) {
  const questions = benchQuestions();
  const run = `load${Date.now().toString(36)}`;
  const message = benchMessages(run, users, questions);
  const latencies: number[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const turn = (i: number, record: boolean) => {
    const t0 = performance.now();
    const p = runtime.engine.handle(message(i)).then(
      () => {
        if (record) latencies.push(performance.now() - t0);
      },
      () => undefined,
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  return {
    /** First contact creates each person; a few turns each so sessions exist and the code is warm. */
    async warmUp(): Promise<void> {
      for (let i = 0; i < users; i += 10)
        await Promise.all(Array.from({ length: 10 }, (_, j) => runtime.engine.handle(message(-1 - i - j))));
    },
    start(): void {
      running = true;
      const started = performance.now();
      let i = 0;
      const tick = () => {
        if (!running) return;
        // Catch up on turns whose time has come (a late timer does not lower the offered rate).
        const dueCount = Math.floor(((performance.now() - started) * perSecond) / 1000) + 1;
        while (i < dueCount) turn(i++, true);
        timer = setTimeout(tick, Math.max(0, started + (i * 1000) / perSecond - performance.now()));
      };
      tick();
    },
    async stop(): Promise<number[]> {
      running = false;
      if (timer) clearTimeout(timer);
      await Promise.all(inFlight);
      return latencies;
    },
  };
}
