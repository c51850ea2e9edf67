import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolmentRepository } from '../../src/core/ports';
import { planReminders } from '../../src/core/reminders/reminder-plan';
import { createEnrolmentRepository } from '../../src/db/repositories/enrolment.repository';
import { createCourse } from '../support/fixtures';
import { chatter, flushPrefix, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';

let world: OutreachWorld;
let enrolments: EnrolmentRepository;

beforeAll(async () => {
  world = await outreachWorld();
  enrolments = world.runtime.outreach.wrapEnrolments(createEnrolmentRepository(world.runtime.db));
});
afterAll(() => world.close());

const queue = () => world.runtime.outreach.reminderQueue;

/** A person who has talked to the bot on the test channel (so they have a chat to be reminded in). */
async function signedUp(code: string, greeting = '你好') {
  const who = chatter(world.runtime);
  await who.say(greeting);
  const personId = await who.personId();
  expect(await enrolments.enrol(personId, code)).toMatchObject({ status: 'confirmed' });
  const e = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId, course: { code } } });
  return { who, personId, enrolmentId: e.id };
}

async function sessionsOf(courseId: string) {
  return world.runtime.db.classSession.findMany({ where: { courseId }, orderBy: { startsAt: 'asc' } });
}

async function delayedIds(enrolmentId: string): Promise<Map<string, number>> {
  const jobs = await queue().getDelayed(0, -1);
  return new Map(
    jobs.filter((j) => j.id!.includes(enrolmentId)).map((j) => [j.id!, j.timestamp + (j.opts.delay ?? 0)]),
  );
}

describe('class reminders', () => {
  it('schedules one delayed job per session and offset at sign-up, due when the plan says', async () => {
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
    for (const [id, due] of jobs) expect(Math.abs(due - expected.get(id)!)).toBeLessThan(2_000);
  });

  it('removes the reminders when the sign-up is cancelled', async () => {
    const course = await createCourse(world.runtime.db);
    const { personId, enrolmentId } = await signedUp(course.code);
    expect((await delayedIds(enrolmentId)).size).toBe(4);
    await enrolments.cancel(personId, course.code);
    expect((await delayedIds(enrolmentId)).size).toBe(0);
  });

  it('schedules nothing for a class that has started, and says why for reminders already due', async () => {
    const started = await createCourse(world.runtime.db, { startsInHours: -30 });
    const late = await signedUp(started.code);
    expect((await delayedIds(late.enrolmentId)).size).toBe(0);

    const soon = await createCourse(world.runtime.db, { startsInHours: 1 });
    const { enrolmentId } = await signedUp(soon.code);
    const result = await world.runtime.outreach.reminders.scheduleEnrolment(enrolmentId);
    // First class in 1 h: its 24 h reminder is superseded and its 2 h one fell due before the sign-up;
    // the second class (in 25 h) gets both.
    expect(result.skipped).toEqual({ superseded: 1, before_enrolment: 1 });
    expect((await delayedIds(enrolmentId)).size).toBe(2);
  });

  it('restores every pending reminder from the database after a Redis flush', async () => {
    const course = await createCourse(world.runtime.db, { capacity: 10 });
    const people = await Promise.all([1, 2, 3].map(() => signedUp(course.code)));
    const before = new Map<string, number>();
    for (const p of people) for (const [id, due] of await delayedIds(p.enrolmentId)) before.set(id, due);
    expect(before.size).toBe(12);

    expect(await flushPrefix(world.prefix)).toBeGreaterThan(0);
    expect(await queue().getDelayedCount()).toBe(0);

    const result = await world.runtime.outreach.sweep();
    expect(result.reminders.scheduled).toBeGreaterThanOrEqual(12);
    const after = new Map<string, number>();
    for (const p of people) for (const [id, due] of await delayedIds(p.enrolmentId)) after.set(id, due);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, due] of after) expect(Math.abs(due - before.get(id)!)).toBeLessThan(2_000);

    // A second sweep adds nothing new: the job ids are the domain keys.
    await world.runtime.outreach.sweep();
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
    await world.runtime.outreach.reminders.rescheduleSession(first!.id, {
      previousStartsAt: first!.startsAt,
    });
    const jobs = await delayedIds(enrolmentId);
    const plan = planReminders(moved, [1440, 120], 'Asia/Shanghai', { start: 22, end: 7 });
    for (const p of plan) {
      const due = jobs.get(`reminder.${enrolmentId}.${first!.id}.${p.offsetMinutes}`);
      expect(Math.abs(due! - p.dueAt.getTime())).toBeLessThan(2_000);
    }
  });

  it('tells the first person waiting that they got the seat, through the outbound queue', async () => {
    const course = await createCourse(world.runtime.db, { capacity: 1 });
    const first = await signedUp(course.code);
    const waiting = chatter(world.runtime);
    await waiting.say('hello');
    const waitingId = await waiting.personId();
    expect(await enrolments.enrol(waitingId, course.code)).toMatchObject({ status: 'waitlisted' });

    await enrolments.cancel(first.personId, course.code);
    const [message] = await until(() => world.channel.sentTo(waiting.id));
    expect(message!.text).toContain(course.code);
    expect(message!.text).toMatch(/place has opened up/);
    const promoted = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId: waitingId } });
    expect((await delayedIds(promoted.id)).size).toBe(4);
  });
});

async function until<T>(fn: () => T[], timeoutMs = 10_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (!fn().length) {
    if (Date.now() > deadline) throw new Error('nothing arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
  return fn();
}
