import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

/**
 * Issue 20, item 3: at course end every trainee is asked, on their own chat and through the outbound queue, to
 * rate the course 1-5; they answer by choice, number or words, may add a comment, get one reminder at most;
 * the job is driven with a controlled clock and may run twice without sending anything twice.
 */
let world: OutreachWorld;
const ZONE = 'Asia/Shanghai';

/** 10:00 local on the latest day it has passed: a time outside quiet hours, at most a day ago. */
function morning(): Date {
  let at = DateTime.now().setZone(ZONE).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  if (at.toMillis() > Date.now()) at = at.minus({ days: 1 });
  return at.toJSDate();
}
const hours = (at: Date, h: number) => new Date(at.getTime() + h * 3_600_000);

beforeAll(async () => {
  world = await outreachWorld({
    env: {
      REMINDER_QUIET_HOURS: '22-7',
      SURVEY_REMINDER_HOURS: '48',
      SURVEY_FALLBACK_DAYS: '2',
      // The job's own schedule (on the real clock) stays out of the way: the tests run it with theirs.
      SURVEY_JOB_MINUTES: '1440',
    },
  });
});
afterAll(() => world.close());

/** A finished course (completed at `completedAt`) with trainees who talked to the bot first. */
async function finishedCourse(completedAt: Date | null, greetings: string[]) {
  const { db } = world.runtime;
  const course = await createCourse(db, { startsInHours: -200 });
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

const sent = (chatId: string) => world.channel.sentTo(chatId);
const arrived = (chatId: string, n: number) =>
  until(`${n} message(s) to ${chatId}`, async () => sent(chatId).length >= n && sent(chatId));
/** Lets any job that should not exist have its chance to be delivered. */
const settle = () => new Promise((r) => setTimeout(r, 1_500));

describe('satisfaction question at course end', () => {
  it('asks each trainee once through the outbound queue, takes “5” and a comment, and “一般” typed', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const { course, people } = await finishedCourse(hours(now, -1), ['你好', '你好']);
    const [a, b] = people as [(typeof people)[0], (typeof people)[0]];
    // Someone who cancelled is not asked.
    const quitter = chatter(world.runtime);
    await quitter.say('你好');
    await world.runtime.db.enrolment.create({
      data: { personId: await quitter.personId(), courseId: course.id, status: 'cancelled' },
    });

    const first = await world.runtime.runSurveys(now);
    expect(first.quiet).toBe(false);
    // The job retried, and run twice at once: nothing more is created or queued.
    const again = await Promise.all([world.runtime.runSurveys(now), world.runtime.runSurveys(now)]);
    for (const r of again) if (!r.quiet) expect(r.satisfaction.created).toBe(0);

    const [ask] = await arrived(a.who.id, 1);
    await arrived(b.who.id, 1);
    expect(ask!.text).toContain(course.code);
    expect(ask!.text).toContain('打个分');
    expect(ask!.choices).toEqual(['1 很不满意', '2 不满意', '3 一般', '4 满意', '5 很满意']);
    await settle();
    expect(sent(a.who.id)).toHaveLength(1);
    expect(sent(quitter.id)).toHaveLength(0);
    const rows = await world.runtime.db.delivery.findMany({
      where: { key: { in: [`survey:${a.enrolmentId}`, `survey:${b.enrolmentId}`] } },
    });
    expect(rows.map((r) => r.kind)).toEqual(['survey', 'survey']);

    const rated = await a.who.say('5');
    expect(rated.replies[0]!.text).toContain('5 分');
    expect(rated.replies[0]!.choices).toEqual(['跳过']);
    const commented = await a.who.say('老师讲得很好，就是时间有点短。有事打我电话13812345678');
    expect(commented.replies[0]!.text).toContain('意见已经记下');
    const aRow = await world.runtime.db.satisfactionSurvey.findUniqueOrThrow({
      where: { enrolmentId: a.enrolmentId },
    });
    expect(aRow.rating).toBe(5);
    expect(aRow.comment).toContain('时间有点短');
    expect(aRow.comment).not.toContain('13812345678');

    // Typed words, not the choice: read because B has this question open.
    const typed = await b.who.say('一般吧');
    expect(typed.replies[0]!.text).toContain('3 分');
    const skipped = await b.who.say('跳过');
    expect(skipped.replies[0]!.text).toContain('谢谢您的评价');
    const bRow = await world.runtime.db.satisfactionSurvey.findUniqueOrThrow({
      where: { enrolmentId: b.enrolmentId },
    });
    expect(bRow.rating).toBe(3);
    expect(bRow.comment).toBeNull();

    // A very long comment is cut, and the person told.
    const [, , c] = (await finishedCourse(hours(now, -1), ['你好', '你好', '你好'])).people;
    await world.runtime.runSurveys(now);
    await arrived(c!.who.id, 1);
    await c!.who.say('2');
    const long = await c!.who.say('太短了😀'.repeat(2_000));
    expect(long.replies.map((r) => r.text).join('\n')).toContain('只保存了前 500 个字');
    const cRow = await world.runtime.db.satisfactionSurvey.findUniqueOrThrow({
      where: { enrolmentId: c!.enrolmentId },
    });
    expect(cRow.rating).toBe(2);
    expect([...(cRow.comment ?? '')]).toHaveLength(500);

    // A second rating is not taken: the first stands.
    const twice = await b.who.say('很满意');
    expect(twice.replies[0]!.text).not.toContain('5 分');
    expect(
      (await world.runtime.db.satisfactionSurvey.findUniqueOrThrow({ where: { id: bRow.id } })).rating,
    ).toBe(3);
  });

  it('reminds once after SURVEY_REMINDER_HOURS, only those who have not answered', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const { people } = await finishedCourse(hours(now, -2), ['hello', '你好']);
    const [silent, answered] = people as [(typeof people)[0], (typeof people)[0]];
    await world.runtime.runSurveys(now);
    const [ask] = await arrived(silent.who.id, 1);
    expect(ask!.text).toMatch(/^Hello! \[/);
    expect(ask!.choices).toEqual([
      '1 Very dissatisfied',
      '2 Dissatisfied',
      '3 Average',
      '4 Satisfied',
      '5 Very satisfied',
    ]);
    await arrived(answered.who.id, 1);
    await answered.who.say('4');

    await world.runtime.runSurveys(hours(now, 47));
    await settle();
    expect(sent(silent.who.id)).toHaveLength(1);
    await world.runtime.runSurveys(hours(now, 49));
    const [, reminder] = await arrived(silent.who.id, 2);
    expect(reminder!.text).toContain('only reminder');
    for (const later of [50, 73, 97]) await world.runtime.runSurveys(hours(now, later));
    await settle();
    expect(sent(silent.who.id)).toHaveLength(2);
    expect(sent(answered.who.id)).toHaveLength(1);
    expect(
      await world.runtime.db.delivery.count({ where: { key: `survey-reminder:${silent.enrolmentId}` } }),
    ).toBe(1);

    // The reminder's choices answer it; an English word does too.
    const rated = await silent.who.say('very satisfied');
    expect(rated.replies[0]!.text).toContain('(5)');
  });

  it('sends nothing in quiet hours; the first pass after them asks', { timeout: 120_000 }, async () => {
    const night = DateTime.fromJSDate(morning(), { zone: ZONE })
      .minus({ days: 1 })
      .set({ hour: 23, minute: 30 })
      .toJSDate();
    const { people } = await finishedCourse(hours(night, -3), ['你好']);
    const [p] = people as [(typeof people)[0]];
    expect(await world.runtime.runSurveys(night)).toEqual({ quiet: true });
    await settle();
    expect(sent(p.who.id)).toHaveLength(0);
    expect(await world.runtime.db.satisfactionSurvey.count({ where: { enrolmentId: p.enrolmentId } })).toBe(
      0,
    );
    const early = hours(night, 8); // 07:30
    await world.runtime.runSurveys(early);
    await arrived(p.who.id, 1);
  });

  it('a course nobody marked finished is asked SURVEY_FALLBACK_DAYS after its last class', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const { course, people } = await finishedCourse(null, ['你好']);
    const [p] = people as [(typeof people)[0]];
    const last = await world.runtime.db.classSession.findFirstOrThrow({
      where: { courseId: course.id },
      orderBy: { endsAt: 'desc' },
    });
    await world.runtime.db.classSession.update({
      where: { id: last.id },
      data: { endsAt: hours(now, -36), startsAt: hours(now, -44) },
    });
    await world.runtime.runSurveys(now);
    await settle();
    expect(sent(p.who.id)).toHaveLength(0);
    await world.runtime.runSurveys(hours(now, 22)); // 08:00 the next day
    await arrived(p.who.id, 1);
  });
});
