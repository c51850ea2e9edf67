import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

/**
 * Issue 18: "来不了" or "请假" typed in answer to a class reminder is leave for that class: a LeaveRequest is
 * recorded (the coordinator's roster shows it), the course's coordinator is told, and the seat is kept.
 */
let world: OutreachWorld;
beforeAll(async () => {
  // Reminders 60 minutes before class and no quiet hours, so a class 1 h + 4 s away is reminded in 4 s.
  world = await outreachWorld({ env: { REMINDER_OFFSETS_MINUTES: '60', REMINDER_QUIET_HOURS: '' } });
});
afterAll(() => world.close());

/** A person with a sign-up whose reminder has arrived, and the course's coordinator (also on the chat). */
async function reminded() {
  const db = world.runtime.db;
  const course = await createCourse(db, { startsInHours: 48 });
  const who = chatter(world.runtime);
  await who.say('你好');
  const personId = await who.personId();
  const coordinator = chatter(world.runtime);
  await coordinator.say('你好');
  await db.coordinator.create({
    data: { personId: await coordinator.personId(), courseScope: [course.code] },
  });
  const first = await db.classSession.findFirstOrThrow({
    where: { courseId: course.id },
    orderBy: { startsAt: 'asc' },
  });
  await db.classSession.update({
    where: { id: first.id },
    data: { startsAt: new Date(Date.now() + 3_600_000 + 4_000) },
  });
  await world.runtime.enrolments.enrol(personId, course.code);
  await until('the reminder', async () => world.channel.sentTo(who.id).length > 0, 25_000);
  return { course, who, personId, coordinator, sessionId: first.id };
}

async function expectLeave(personId: string, sessionId: string) {
  const enrolment = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId } });
  expect(enrolment.status).toBe('confirmed');
  const leave = await world.runtime.db.leaveRequest.findMany({ where: { enrolmentId: enrolment.id } });
  expect(leave.map((l) => l.sessionId)).toEqual([sessionId]);
}

async function coordinatorNotice(coordinatorId: string) {
  const [notice] = await until('the coordinator’s notice', async () => {
    const got = world.channel.sentTo(coordinatorId);
    return got.length ? got : undefined;
  });
  return notice!;
}

describe('a typed answer to a class reminder', () => {
  for (const typed of ['来不了', '请假', '这次去不了']) {
    it(`"${typed}" records leave for that class and tells the coordinator`, { timeout: 90_000 }, async () => {
      const { course, who, personId, coordinator, sessionId } = await reminded();
      const reply = await who.say(typed);
      expect(reply.intent).toBe('flow.reminder');
      expect(allText(reply)).toContain('已为您登记请假');
      expect(allText(reply)).toContain('已经告诉联络员');
      expect(allText(reply)).toContain('报名仍然保留');
      await expectLeave(personId, sessionId);
      const notice = await coordinatorNotice(coordinator.id);
      expect(notice.text).toContain(course.code);
      expect(notice.text).toContain('无法参加');
    });
  }

  it('"我来不了" (the button’s own words) still asks: cancel everything, or just this class', {
    timeout: 90_000,
  }, async () => {
    const { who, personId, sessionId } = await reminded();
    const asked = await who.say('我来不了');
    expect(allText(asked)).toContain('取消整个报名');
    // "Just this class" pressed: leave is recorded as well.
    const told = await who.say('2');
    expect(allText(told)).toContain('已为您登记请假');
    await expectLeave(personId, sessionId);
  });

  it('"我要取消报名" after a reminder is not taken for leave', { timeout: 90_000 }, async () => {
    const { who, personId } = await reminded();
    const reply = await who.say('我要取消报名');
    expect(allText(reply)).not.toContain('已为您登记请假');
    const enrolment = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId } });
    expect(await world.runtime.db.leaveRequest.count({ where: { enrolmentId: enrolment.id } })).toBe(0);
  });
});
