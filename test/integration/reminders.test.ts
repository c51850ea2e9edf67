import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolmentRepository } from '../../src/core/ports';
import { planReminders } from '../../src/core/reminders/reminder-plan';
import { createEnrolmentRepository } from '../../src/db/repositories/enrolment-repository';
import { createCourse } from '../support/fixtures';
import { chatter, flushPrefix, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';

let world: OutreachWorld;
let enrolments: EnrolmentRepository;

beforeAll(async () => {
  world = await outreachWorld();
  enrolments = world.runtime.enrolments;
});
afterAll(() => world.close());

const queue = () => world.runtime.reminderQueue;

/** A person who has talked to the bot on the test channel (so they have a chat to be reminded in). */
async function signedUp(code: string, greeting = '你好', w: OutreachWorld = world) {
  const who = chatter(w.runtime);
  await who.say(greeting);
  const personId = await who.personId();
  const repo = w === world ? enrolments : w.runtime.enrolments;
  expect(await repo.enrol(personId, code)).toMatchObject({ status: 'confirmed' });
  const e = await w.runtime.db.enrolment.findFirstOrThrow({ where: { personId, course: { code } } });
  return { who, personId, enrolmentId: e.id };
}

/** A one-seat course, its seat taken, and an English-speaking person first on the waitlist. */
async function fullWithOneWaiting() {
  const course = await createCourse(world.runtime.db, { capacity: 1 });
  const first = await signedUp(course.code);
  const waiting = chatter(world.runtime);
  await waiting.say('hello');
  const waitingId = await waiting.personId();
  expect(await enrolments.enrol(waitingId, course.code)).toMatchObject({ status: 'waitlisted' });
  return { course, first, waiting, waitingId };
}

async function sessionsOf(courseId: string) {
  return world.runtime.db.classSession.findMany({ where: { courseId }, orderBy: { startsAt: 'asc' } });
}

async function delayedIds(enrolmentId: string, w: OutreachWorld = world): Promise<Map<string, number>> {
  const jobs = await w.runtime.reminderQueue.getDelayed(0, -1);
  return new Map(
    jobs.filter((j) => j.id!.includes(enrolmentId)).map((j) => [j.id!, j.timestamp + (j.opts.delay ?? 0)]),
  );
}

describe('class reminders', () => {
  it('schedules one delayed job per session and offset at sign-up, a minute before the plan says it is due', async () => {
    const course = await createCourse(world.runtime.db);
    const { enrolmentId } = await signedUp(course.code);
    const jobs = await delayedIds(enrolmentId);
    const expected = new Map<string, number>();
    for (const s of await sessionsOf(course.id)) {
      for (const p of planReminders(s.startsAt, [1440, 120], 'Asia/Shanghai', { start: 22, end: 7 })) {
        expected.set(`reminder.${enrolmentId}.${s.id}.${p.offsetMinutes}`, p.dueAt.getTime());
      }
    }
    expect([...jobs.keys()].sort()).toEqual([...expected.keys()].sort());
    // The job prepares the message REMINDER_PREPARE_SECONDS (60) ahead; the message itself waits until due.
    for (const [id, due] of jobs) expect(Math.abs(due - (expected.get(id)! - 60_000))).toBeLessThan(2_000);
  });

  it('removes the reminders when the sign-up is cancelled', async () => {
    const course = await createCourse(world.runtime.db);
    const { personId, enrolmentId } = await signedUp(course.code);
    expect((await delayedIds(enrolmentId)).size).toBe(4);
    await enrolments.cancel(personId, course.code);
    expect((await delayedIds(enrolmentId)).size).toBe(0);
  });

  it('restores every pending reminder from the database after a Redis flush', async () => {
    const course = await createCourse(world.runtime.db, { capacity: 10 });
    const people = await Promise.all([1, 2, 3].map(() => signedUp(course.code)));
    const before = new Map<string, number>();
    for (const p of people) for (const [id, due] of await delayedIds(p.enrolmentId)) before.set(id, due);
    expect(before.size).toBe(12);

    expect(await flushPrefix(world.prefix)).toBeGreaterThan(0);
    expect(await queue().getDelayedCount()).toBe(0);

    const result = await world.runtime.sweep();
    expect(result.reminders.scheduled).toBeGreaterThanOrEqual(12);
    const after = new Map<string, number>();
    for (const p of people) for (const [id, due] of await delayedIds(p.enrolmentId)) after.set(id, due);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, due] of after) expect(Math.abs(due - before.get(id)!)).toBeLessThan(2_000);

    // A second sweep adds nothing new: the job ids are the domain keys.
    await world.runtime.sweep();
    expect(
      (await queue().getDelayed(0, -1)).filter((j) => j.id!.includes(people[0]!.enrolmentId)),
    ).toHaveLength(4);
  });

  it('moves the reminders when a class session moves', async () => {
    const course = await createCourse(world.runtime.db);
    const { enrolmentId } = await signedUp(course.code);
    const [first] = await sessionsOf(course.id);
    const moved = new Date(first!.startsAt.getTime() + 2 * 86_400_000);
    await world.runtime.db.classSession.update({ where: { id: first!.id }, data: { startsAt: moved } });
    await world.runtime.reminders.rescheduleSession(first!.id, {
      previousStartsAt: first!.startsAt,
    });
    const jobs = await delayedIds(enrolmentId);
    const plan = planReminders(moved, [1440, 120], 'Asia/Shanghai', { start: 22, end: 7 });
    for (const p of plan) {
      const due = jobs.get(`reminder.${enrolmentId}.${first!.id}.${p.offsetMinutes}`);
      // Prepared a minute ahead of the new due time.
      expect(Math.abs(due! - (p.dueAt.getTime() - 60_000))).toBeLessThan(2_000);
    }
  });

  it('tells the first person waiting that they got the seat, through the outbound queue', async () => {
    const { course, first, waiting, waitingId } = await fullWithOneWaiting();

    await enrolments.cancel(first.personId, course.code);
    const [message] = await until(() => world.channel.sentTo(waiting.id));
    expect(message!.text).toContain(course.code);
    expect(message!.text).toMatch(/place has opened up/);
    const promoted = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId: waitingId } });
    expect((await delayedIds(promoted.id)).size).toBe(4);
  });
});

describe('a promotion whose message was never queued', () => {
  it('is told by the sweep, once', async () => {
    const { course, first, waiting, waitingId } = await fullWithOneWaiting();
    // The cancellation commits, and the process stops before "you got a seat" is queued.
    const bare = createEnrolmentRepository(world.runtime.db);
    expect(await bare.cancel(first.personId, course.code)).toMatchObject({
      promoted: { personId: waitingId },
    });
    await world.runtime.db.enrolment.updateMany({
      where: { personId: waitingId },
      data: { promotedAt: new Date(Date.now() - 120_000) },
    });
    expect(world.channel.sentTo(waiting.id)).toEqual([]);

    expect((await world.runtime.sweep()).promotionsNotified).toBe(1);
    const [message] = await until(() => world.channel.sentTo(waiting.id));
    expect(message!.text).toMatch(/place has opened up/);
    expect((await world.runtime.sweep()).promotionsNotified).toBe(0);
    const promoted = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId: waitingId } });
    expect((await delayedIds(promoted.id)).size).toBe(4);
  });
});

describe('reminders that waited too long', () => {
  it('are not sent once the class has started, the sign-up is cancelled or the class moved', async () => {
    const course = await createCourse(world.runtime.db);
    const { who, personId, enrolmentId } = await signedUp(course.code);
    const [first, second] = await sessionsOf(course.id);
    // As if held back (a daily cap, a logged-out account) until after the first class began.
    await world.runtime.db.classSession.update({
      where: { id: first!.id },
      data: { startsAt: new Date(Date.now() - 60_000) },
    });
    const address = { channel: 'test' as const, chatId: who.id };
    const reminder = (key: string) => ({
      key,
      kind: 'reminder',
      personId,
      address,
      message: { text: `上课提醒 ${key}` },
    });
    await world.runtime.delivery.outbox.enqueue([
      reminder(`reminder:${enrolmentId}:${first!.id}:120`),
      // Renamed when its class moved: it names the old time.
      reminder(`reminder:${enrolmentId}:${second!.id}:1440@1700000000000`),
    ]);
    const outcome = (key: string) =>
      until(async () => {
        const d = await world.runtime.db.delivery.findUnique({ where: { key } });
        return d && d.status !== 'pending' && d.status !== 'sending' ? [d] : [];
      });
    expect((await outcome(`reminder:${enrolmentId}:${first!.id}:120`))[0]!.error).toBe('too_late');
    expect((await outcome(`reminder:${enrolmentId}:${second!.id}:1440@1700000000000`))[0]!.error).toBe(
      'superseded',
    );

    await enrolments.cancel(personId, course.code);
    await world.runtime.delivery.outbox.enqueue([reminder(`reminder:${enrolmentId}:${second!.id}:120`)]);
    expect((await outcome(`reminder:${enrolmentId}:${second!.id}:120`))[0]!.error).toBe(
      'enrolment_cancelled',
    );
    expect(world.channel.sentTo(who.id).filter((m) => m.text.startsWith('上课提醒'))).toEqual([]);
  });
});

describe('a class that moves after its reminder went out', () => {
  let moving: OutreachWorld;
  beforeAll(async () => {
    moving = await outreachWorld({ env: { REMINDER_OFFSETS_MINUTES: '1', REMINDER_QUIET_HOURS: '' } });
  });
  afterAll(() => moving.close());

  it('gets a reminder for its new time too', async () => {
    // Starts in 70 s: the one-minute reminder is due in 10 s.
    const course = await createCourse(moving.runtime.db, { startsInHours: 70 / 3600 });
    const who = chatter(moving.runtime);
    await who.say('你好');
    const repo = moving.runtime.enrolments;
    expect(await repo.enrol(await who.personId(), course.code)).toMatchObject({ status: 'confirmed' });
    const reminders = () => moving.channel.sentTo(who.id).filter((m) => m.text.includes(course.code));
    await until(reminders, 60_000);

    // Moved 40 s later, after its reminder was sent: the reminder for the new time is due 40 s after the first.
    const [first] = await moving.runtime.db.classSession.findMany({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    });
    const movedTo = new Date(first!.startsAt.getTime() + 40_000);
    await moving.runtime.db.classSession.update({ where: { id: first!.id }, data: { startsAt: movedTo } });
    await moving.runtime.reminders.rescheduleSession(first!.id, {
      previousStartsAt: first!.startsAt,
    });
    await until(() => (reminders().length >= 2 ? reminders() : []), 90_000);
    expect(reminders()).toHaveLength(2);
    const rows = await moving.runtime.db.delivery.findMany({
      where: { kind: 'reminder', key: { contains: first!.id } },
    });
    expect(rows.map((r) => [r.key.includes('@'), r.status]).sort()).toEqual([
      [false, 'sent'],
      [true, 'sent'],
    ]);
  });
});

describe('a reminder prepared ahead of its time', () => {
  let early: OutreachWorld;
  beforeAll(async () => {
    early = await outreachWorld({ env: { REMINDER_OFFSETS_MINUTES: '1', REMINDER_QUIET_HOURS: '' } });
  });
  afterAll(() => early.close());

  it('goes out at its due time, not before; if its class moves meanwhile, only the new time is sent', async () => {
    // Starts in 80 s: the one-minute reminder is due in 20 s, so it is prepared at once.
    const course = await createCourse(early.runtime.db, { startsInHours: 80 / 3600 });
    const who = chatter(early.runtime);
    await who.say('你好');
    expect(await early.runtime.enrolments.enrol(await who.personId(), course.code)).toMatchObject({
      status: 'confirmed',
    });
    const [session] = await early.runtime.db.classSession.findMany({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    });
    const prepared = await until(async () =>
      early.runtime.db.delivery.findMany({ where: { kind: 'reminder', key: { contains: session!.id } } }),
    );
    expect(prepared[0]!.status).toBe('pending');
    const reminders = () => early.channel.sentTo(who.id).filter((m) => m.text.includes(course.code));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(reminders()).toEqual([]);

    // Moved 30 s later before it was due: the prepared message is taken back, the new one is due in ~50 s.
    const movedTo = new Date(session!.startsAt.getTime() + 30_000);
    await early.runtime.db.classSession.update({ where: { id: session!.id }, data: { startsAt: movedTo } });
    await early.runtime.reminders.rescheduleSession(session!.id, { previousStartsAt: session!.startsAt });
    const newDue = movedTo.getTime() - 60_000;
    const [sent] = await until(reminders, 90_000);
    expect(sent!.at).toBeGreaterThanOrEqual(newDue - 100);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(reminders()).toHaveLength(1);
  });
});

describe('reminders already due at sign-up', () => {
  // Without quiet hours, so what is due does not depend on the hour the suite runs at.
  let plain: OutreachWorld;
  beforeAll(async () => {
    plain = await outreachWorld({ env: { REMINDER_QUIET_HOURS: '' } });
  });
  afterAll(() => plain.close());

  it('schedules nothing for a class that has started, and says why for reminders already due', async () => {
    const started = await createCourse(plain.runtime.db, { startsInHours: -30 });
    const late = await signedUp(started.code, '你好', plain);
    expect((await delayedIds(late.enrolmentId, plain)).size).toBe(0);

    const soon = await createCourse(plain.runtime.db, { startsInHours: 1 });
    const { enrolmentId } = await signedUp(soon.code, '你好', plain);
    const result = await plain.runtime.reminders.scheduleEnrolment(enrolmentId);
    // First class in 1 h: its 24 h reminder is superseded and its 2 h one fell due before the sign-up;
    // the second class (in 25 h) gets both.
    expect(result.skipped).toEqual({ superseded: 1, before_enrolment: 1 });
    expect((await delayedIds(enrolmentId, plain)).size).toBe(2);
  });
});

async function until<T>(fn: () => T[] | Promise<T[]>, timeoutMs = 10_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await fn();
    if (got.length) return got;
    if (Date.now() > deadline) throw new Error('nothing arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
}
