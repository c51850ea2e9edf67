import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employmentDueAt } from '../../src/core/outcomes/surveys-answers';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

/**
 * Issue 20, item 4: 3 and 6 months after a course finished, each trainee is asked how they are doing
 * (through the outbound queue, on a controlled clock), answers by choice or in words, may add trade and
 * county; whoever is still looking is offered matching courses and a person (the staff inbox).
 */
let world: OutreachWorld;
const ZONE = 'Asia/Shanghai';

/** 10:00 local on the latest day it has passed. */
function morning(): Date {
  let at = DateTime.now().setZone(ZONE).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  if (at.toMillis() > Date.now()) at = at.minus({ days: 1 });
  return at.toJSDate();
}
const hours = (at: Date, h: number) => new Date(at.getTime() + h * 3_600_000);
const sent = (chatId: string) => world.channel.sentTo(chatId);
const arrived = (chatId: string, n: number) =>
  until(`${n} message(s) to ${chatId}`, async () => sent(chatId).length >= n && sent(chatId));
const settle = () => new Promise((r) => setTimeout(r, 1_500));

beforeAll(async () => {
  world = await outreachWorld({
    env: {
      REMINDER_QUIET_HOURS: '22-7',
      EMPLOYMENT_CHECK_MONTHS: '3,6',
      // The job's own schedule (on the real clock) stays out of the way: the tests run it with theirs.
      SURVEY_JOB_MINUTES: '1440',
      SURVEY_REMINDER_HOURS: '48',
      // Office hours all week, so a handoff is answered "now" whatever day the test runs.
      OFFICE_HOURS: 'Mon-Sun 00:00-23:59',
    },
  });
});
afterAll(() => world.close());

/** A course completed at `completedAt` with trainees who talked to the bot first. */
async function finishedCourse(completedAt: Date, greetings: string[]) {
  const { db } = world.runtime;
  const course = await createCourse(db, { startsInHours: -24 * 120, status: 'closed' });
  await db.course.update({ where: { id: course.id }, data: { completedAt } });
  const people = [];
  for (const greeting of greetings) {
    const who = chatter(world.runtime);
    await who.say(greeting);
    const personId = await who.personId();
    const enrolment = await db.enrolment.create({
      data: { personId, courseId: course.id, status: 'confirmed' },
    });
    people.push({ who, personId, enrolmentId: enrolment.id });
  }
  return { course, people };
}

describe('employment follow-up', () => {
  it('asks at 3 months (not before, once), and “still looking” gets matching courses and staff', {
    timeout: 150_000,
  }, async () => {
    const now = morning();
    // Finished 3 months and an hour before this morning (local calendar months).
    const completedAt = DateTime.fromJSDate(now, { zone: ZONE }).minus({ months: 3, hours: 1 }).toJSDate();
    const { course, people } = await finishedCourse(completedAt, ['你好', '你好', '你好', 'hello']);
    const [looking, business, employed, silent] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ];
    // An open e-commerce course in Zhenxiong, for the one still looking.
    const offer = await createCourse(world.runtime.db, { trade: 'ecommerce', county: 'zhenxiong' });

    await world.runtime.runSurveys(hours(now, -2));
    await settle();
    expect(sent(looking.who.id)).toHaveLength(0);

    const result = await world.runtime.runSurveys(now);
    expect(result.quiet).toBe(false);
    // A retried job: nothing new.
    const retry = await world.runtime.runSurveys(now);
    if (!retry.quiet) expect(retry.employment).toMatchObject({ created: 0, asked: 0 });
    const [ask] = await arrived(looking.who.id, 1);
    expect(ask!.text).toContain(course.code);
    expect(ask!.text).toContain('3 个月');
    expect(ask!.choices).toEqual(['已经上班了', '自己创业或做生意', '还在找工作', '暂时不找工作']);
    for (const p of [business, employed, silent]) await arrived(p.who.id, 1);
    expect(sent(silent.who.id)[0]!.choices).toEqual([
      'I have a job',
      'Self-employed or started a business',
      'Still looking for work',
      'Not looking for work now',
    ]);
    expect(
      await world.runtime.db.delivery.count({ where: { key: `employment:${looking.enrolmentId}:3` } }),
    ).toBe(1);
    // No satisfaction question for a course that finished months ago.
    expect(await world.runtime.db.satisfactionSurvey.count({ where: { courseId: course.id } })).toBe(0);

    // Still looking (the third choice), then what and where: courses that fit, and a person.
    const asked = await looking.who.say('3');
    expect(asked.replies[0]!.text).toContain('想找哪一行');
    const offered = await looking.who.say('电商 镇雄');
    const text = offered.replies.map((r) => r.text).join('\n');
    expect(text).toContain(offer.code);
    const choices = offered.replies.at(-1)!.choices ?? [];
    const staff = choices.indexOf('请工作人员帮我找工作');
    expect(staff).toBeGreaterThanOrEqual(0);
    const handedOver = await looking.who.say(String(staff + 1));
    expect(handedOver.intent).toBe('handoff.human');
    expect(
      await world.runtime.db.inboxItem.count({ where: { personId: looking.personId, kind: 'handoff' } }),
    ).toBe(1);
    const lookingRow = await world.runtime.db.employmentCheck.findFirstOrThrow({
      where: { enrolmentId: looking.enrolmentId, months: 3 },
    });
    expect(lookingRow).toMatchObject({ status: 'looking', trade: 'ecommerce', county: 'zhenxiong' });

    // Typed words instead of the choices; trade and county skipped or given.
    const own = await business.who.say('自己开了个店');
    expect(own.replies[0]!.text).toContain('哪一行');
    await business.who.say('跳过');
    const working = await employed.who.say('我已经上班了');
    expect(working.replies[0]!.text).toContain('恭喜');
    const where = await employed.who.say('电工，在昭阳');
    expect(where.replies[0]!.text).toContain('祝您工作顺利');
    const rows = await world.runtime.db.employmentCheck.findMany({
      where: { courseId: course.id, months: 3 },
    });
    const byEnrolment = new Map(rows.map((r) => [r.enrolmentId, r]));
    expect(byEnrolment.get(business.enrolmentId)).toMatchObject({ status: 'self_employed', trade: null });
    expect(byEnrolment.get(employed.enrolmentId)).toMatchObject({
      status: 'employed',
      trade: 'electrician',
      county: 'zhaoyang',
    });
    expect(byEnrolment.get(silent.enrolmentId)!.answeredAt).toBeNull();

    // One reminder for the one who did not answer, after SURVEY_REMINDER_HOURS, never a second.
    await world.runtime.runSurveys(hours(now, 47));
    await settle();
    expect(sent(silent.who.id)).toHaveLength(1);
    for (const later of [49, 50, 73]) await world.runtime.runSurveys(hours(now, later));
    const [, reminder] = await arrived(silent.who.id, 2);
    expect(reminder!.text).toContain('only reminder');
    await settle();
    expect(sent(silent.who.id)).toHaveLength(2);
    expect(sent(looking.who.id)).toHaveLength(1);
    const notLooking = await silent.who.say('4');
    expect(notLooking.replies[0]!.text).toContain('thank you');

    // The 6-month follow-up falls due on its own date.
    const sixMonths = employmentDueAt(completedAt, 6, ZONE);
    const beforeDue = hours(sixMonths, -2);
    await world.runtime.runSurveys(beforeDue);
    await settle();
    expect(sent(looking.who.id)).toHaveLength(1);
    await world.runtime.runSurveys(hours(sixMonths, 1));
    const [, six] = await arrived(looking.who.id, 2);
    expect(six!.text).toContain('6 个月');
  });

  it('sends nothing in quiet hours', { timeout: 120_000 }, async () => {
    const night = DateTime.fromJSDate(morning(), { zone: ZONE })
      .minus({ days: 1 })
      .set({ hour: 23, minute: 0 })
      .toJSDate();
    const completedAt = DateTime.fromJSDate(night, { zone: ZONE }).minus({ months: 3, hours: 1 }).toJSDate();
    const { people } = await finishedCourse(completedAt, ['你好']);
    const [p] = people as [(typeof people)[0]];
    expect(await world.runtime.runSurveys(night)).toEqual({ quiet: true });
    await settle();
    expect(sent(p.who.id)).toHaveLength(0);
    await world.runtime.runSurveys(hours(night, 9)); // 08:00
    const [ask] = await arrived(p.who.id, 1);
    expect(ask!.text).toContain('3 个月');
  });

  it('a person who said 退订 (optional messages) on the channel is not sent it', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const completedAt = DateTime.fromJSDate(now, { zone: ZONE }).minus({ months: 3, hours: 5 }).toJSDate();
    const { people } = await finishedCourse(completedAt, ['你好', '你好']);
    const [out, in_] = people as [(typeof people)[0], (typeof people)[0]];
    await world.runtime.db.$executeRaw`
      INSERT INTO contact_preferences (person_id, channel, opt_out) VALUES (${out.personId}::uuid, 'test', 'optional')`;
    await world.runtime.runSurveys(now);
    await arrived(in_.who.id, 1);
    const row = await until('the opted-out delivery to fail', async () => {
      const d = await world.runtime.db.delivery.findUnique({
        where: { key: `employment:${out.enrolmentId}:3` },
      });
      return d?.status === 'failed' && d;
    });
    // (With a delivery fallback configured the reason names each channel tried.)
    expect(row.error).toContain('opted_out');
    expect(sent(out.who.id)).toHaveLength(0);
  });
});
