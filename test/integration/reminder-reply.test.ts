import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolmentRepository } from '../../src/core/ports';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

let world: OutreachWorld;
let enrolments: EnrolmentRepository;

beforeAll(async () => {
  // Reminders 60 minutes before class and no quiet hours, so a class 1 h + 4 s away is reminded in 4 s.
  world = await outreachWorld({ env: { REMINDER_OFFSETS_MINUTES: '60', REMINDER_QUIET_HOURS: '' } });
  enrolments = world.runtime.enrolments;
});
afterAll(() => world.close());

/** Someone who talked to the bot signs up for a class starting 1 h + 4 s later, so they are reminded in 4 s. */
async function reminded(greeting: string) {
  const course = await createCourse(world.runtime.db, { startsInHours: 48 });
  const who = chatter(world.runtime);
  await who.say(greeting);
  const personId = await who.personId();
  // The class time is set only now, so a slow machine cannot push the sign-up past the reminder's due time.
  const first = await world.runtime.db.classSession.findFirstOrThrow({
    where: { courseId: course.id },
    orderBy: { startsAt: 'asc' },
  });
  await world.runtime.db.classSession.update({
    where: { id: first.id },
    data: { startsAt: new Date(Date.now() + 3_600_000 + 4_000) },
  });
  await enrolments.enrol(personId, course.code);
  const [reminder] = await until(
    'the reminder',
    async () => {
      const got = world.channel.sentTo(who.id);
      return got.length ? got : undefined;
    },
    25_000,
  );
  return { course, who, personId, reminder: reminder! };
}

describe('answering a reminder', () => {
  it('reminds in the person’s language with the venue and a “can’t come” choice', {
    timeout: 90_000,
  }, async () => {
    const zh = await reminded('你好');
    expect(zh.reminder.text).toContain(zh.course.code);
    expect(zh.reminder.text).toContain('201教室');
    expect(zh.reminder.choices).toEqual(['我来不了', '好的，我会准时到']);
    const en = await reminded('hello');
    expect(en.reminder.text).toMatch(/^Reminder:/);
    expect(en.reminder.text).toContain('Room 201');
    expect(en.reminder.choices).toEqual(["I can't come", "OK, I'll be there"]);
    const d = await until('the reminder to be marked sent', async () => {
      const row = await world.runtime.db.delivery.findFirstOrThrow({
        where: { personId: en.personId, kind: 'reminder' },
      });
      return row.status === 'sent' && row;
    });
    expect(d.sentAt).toBeInstanceOf(Date);
  });

  it('"can’t come" → "only this class" tells the course’s coordinator and keeps the seat', {
    timeout: 90_000,
  }, async () => {
    const { course, who, personId } = await reminded('你好');
    const coordinator = chatter(world.runtime);
    await coordinator.say('你好');
    await world.runtime.db.coordinator.create({
      data: { personId: await coordinator.personId(), courseScope: [course.code] },
    });

    const asked = await who.say('1');
    expect(asked.replies[0]!.text).toContain('取消整个报名');
    expect(asked.replies[0]!.choices).toHaveLength(3);
    const told = await who.say('2');
    expect(told.replies[0]!.text).toContain('已经告诉联络员');
    const [notice] = await until('the coordinator’s notice', async () => {
      const got = world.channel.sentTo(coordinator.id);
      return got.length ? got : undefined;
    });
    expect(notice!.text).toContain(course.code);
    expect(notice!.text).toContain('无法参加');
    const enrolment = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId } });
    expect(enrolment.status).toBe('confirmed');
    expect(
      await world.runtime.db.auditLog.count({ where: { actorId: personId, action: 'absence.reported' } }),
    ).toBe(1);
  });

  it('"can’t come" → "cancel my sign-up" frees the seat', { timeout: 90_000 }, async () => {
    const { who, personId } = await reminded('你好');
    await who.say('1');
    const done = await who.say('1');
    expect(done.events).toContainEqual(expect.objectContaining({ type: 'cancelled' }));
    const enrolment = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId } });
    expect(enrolment.status).toBe('cancelled');
  });

  it('"OK, I’ll be there" just says see you', { timeout: 90_000 }, async () => {
    const { who } = await reminded('hello');
    const reply = await who.say('2');
    expect(reply.replies[0]!.text).toBe('Great, see you in class!');
  });
});
