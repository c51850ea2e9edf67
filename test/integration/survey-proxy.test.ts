import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/dialog/engine';
import type { CoordinatorAccess } from '../../src/core/outreach-ports';
import { allText } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

/**
 * Issue 20, items 3 and 4, for family members signed up by a proxy (docs/surveys.md, "Family members"): the
 * member has no chat, so the satisfaction question and the employment follow-up go to the parent who signed
 * them up, naming whose course it is; the parent's answers are stored on the member's enrolment; a parent
 * with two members asked at once never has an answer land on the wrong one; the parent's opt-out applies.
 */
let world: OutreachWorld;
const ZONE = 'Asia/Shanghai';
const ADMIN: CoordinatorAccess = { role: 'admin', courseCodes: [], counties: [] };

/** 10:00 local on the latest day it has passed: outside quiet hours. */
function morning(): Date {
  let at = DateTime.now().setZone(ZONE).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  if (at.toMillis() > Date.now()) at = at.minus({ days: 1 });
  return at.toJSDate();
}

beforeAll(async () => {
  world = await outreachWorld({
    env: {
      REMINDER_QUIET_HOURS: '22-7',
      SURVEY_REMINDER_HOURS: '48',
      SURVEY_FALLBACK_DAYS: '2',
      SURVEY_JOB_MINUTES: '1440',
    },
  });
});
afterAll(() => world.close());

const last = (r: TurnResult) => r.replies.at(-1);
const sent = (chatId: string) => world.channel.sentTo(chatId);
const arrived = (chatId: string, n: number) =>
  until(`${n} message(s) to ${chatId}`, async () => sent(chatId).length >= n && sent(chatId));
const settle = () => new Promise((r) => setTimeout(r, 1_500));

/** A parent registered with name and phone, as after a sign-up of their own. */
async function parent(name: string) {
  const p = chatter(world.runtime);
  await p.say('你好');
  await world.runtime.db.person.update({
    where: { id: await p.personId() },
    data: { realName: name, phone: '13900001111', consentProfileAt: new Date() },
  });
  return p;
}

/** The parent signs a family member up through the chat (no phone of their own: the parent gets the messages). */
async function signUpMember(p: ReturnType<typeof chatter>, code: string, who: string, name: string) {
  const detail = await p.say(`帮我${who}报名 ${code}`);
  expect(allText(detail)).toContain(`这次是为您${who}报名`);
  await p.say('1');
  await p.say(name);
  const done = await p.say('没有');
  expect(allText(done)).toContain(`已为您${who}${name}报名成功`);
  const member = await world.runtime.db.person.findFirstOrThrow({
    where: { realName: name, familyProxies: { some: { proxyId: await p.personId() } } },
  });
  const enrolment = await world.runtime.db.enrolment.findFirstOrThrow({
    where: { personId: member.id, course: { code } },
  });
  return { member, enrolment };
}

async function finish(courseId: string, at: Date) {
  await world.runtime.db.course.update({ where: { id: courseId }, data: { completedAt: at } });
}

describe('surveys about a family member go to the proxy', () => {
  it('asks the parent about the daughter by name, stores the rating and comment on her enrolment, and counts it in the report', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const c = await createCourse(world.runtime.db, { realNameRequired: false });
    const p = await parent('王建国');
    const { member, enrolment } = await signUpMember(p, c.code, '女儿', '王小红');
    await finish(c.id, new Date(now.getTime() - 3_600_000));

    // At night nothing is sent; the first pass in the morning asks the parent.
    const night = DateTime.fromJSDate(now).setZone(ZONE).set({ hour: 23 }).toJSDate();
    expect((await world.runtime.runSurveys(night)).quiet).toBe(true);
    const pass = await world.runtime.runSurveys(now);
    expect(pass.quiet).toBe(false);
    if (!pass.quiet) expect(pass.satisfaction.unreachable).toBe(0);
    const [ask] = await arrived(p.id, 1);
    expect(ask!.text).toContain(`您为您女儿王小红报名的【${c.code}】`);
    expect(ask!.text).toContain('请替您女儿王小红给这次培训打个分');
    expect(ask!.choices).toEqual(['1 很不满意', '2 不满意', '3 一般', '4 满意', '5 很满意']);
    const row = await world.runtime.db.delivery.findUniqueOrThrow({
      where: { key: `survey:${enrolment.id}` },
    });
    expect(row.personId).toBe(await p.personId());

    const rated = await p.say('5');
    expect(last(rated)!.text).toContain('已为您女儿王小红记下评分（5 分）');
    const commented = await p.say('老师很耐心，她学会了开网店');
    expect(allText(commented)).toContain('意见已经记下');
    const survey = await world.runtime.db.satisfactionSurvey.findUniqueOrThrow({
      where: { enrolmentId: enrolment.id },
    });
    expect([survey.rating, survey.comment]).toEqual([5, '老师很耐心，她学会了开网店']);
    // Nothing is recorded for the parent: they hold no sign-up of this course.
    expect(await world.runtime.db.enrolment.count({ where: { personId: await p.personId() } })).toBe(0);

    // The report counts the daughter's answer; the staff's answers page lists it under her (masked) name.
    // (The course's first class is in days to come: the period runs to then.)
    const to = DateTime.now().setZone(ZONE).plus({ days: 60 }).toISODate()!;
    const report = await world.runtime.console.reports.build(
      ADMIN,
      { course: c.code, from: '2020-01-01', to },
      now,
    );
    expect(report.total.satisfaction.responses).toBe(1);
    const answers = await world.runtime.console.surveyAnswers.list(ADMIN, { course: c.code }, member.id);
    expect(answers.courses[0]!.satisfaction.answers).toEqual([
      expect.objectContaining({ name: '王**', rating: 5, comment: '老师很耐心，她学会了开网店' }),
    ]);
  });

  it('never crosses answers for two family members asked at once: the parent picks whose, and each reply names one', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const db = world.runtime.db;
    const [c1, c2] = [
      await createCourse(db, { realNameRequired: false }),
      await createCourse(db, { realNameRequired: false }),
    ];
    const p = await parent('李大山');
    const daughter = await signUpMember(p, c1.code, '女儿', '李小花');
    const son = await signUpMember(p, c2.code, '儿子', '李小树');
    await finish(c1.id, new Date(now.getTime() - 3_600_000));
    await finish(c2.id, new Date(now.getTime() - 3_600_000));
    await world.runtime.runSurveys(now);
    const asks = await arrived(p.id, 2);
    await settle();
    expect(sent(p.id)).toHaveLength(2);
    const texts = asks.map((m) => m.text).join('\n');
    expect(texts).toContain(`您为您女儿李小花报名的【${c1.code}】`);
    expect(texts).toContain(`您为您儿子李小树报名的【${c2.code}】`);
    // Each question names one person only.
    for (const m of asks) expect(m.text.includes('李小花') !== m.text.includes('李小树')).toBe(true);

    // Words, with two questions open: not guessed; the parent is asked whose it is.
    const which = await p.say('很满意');
    expect(last(which)!.text).toContain('您有 2 份评价还没填，这个 5 分是给哪一份的');
    const options = last(which)!.choices!;
    expect(options).toHaveLength(2);
    const sonOption = options.findIndex((o) => o.includes('李小树'));
    expect(options[sonOption]).toContain(c2.code);
    const rated = await p.say(String(sonOption + 1));
    expect(last(rated)!.text).toContain('已为您儿子李小树记下评分（5 分）');
    // A number typed in the comment step, with the daughter's question still open: hers, not a comment.
    const second = await p.say('3');
    expect(allText(second)).toContain('已为您女儿李小花记下评分（3 分）');
    expect(allText(await p.say('跳过'))).toContain('谢谢您的评价');

    const rows = await db.satisfactionSurvey.findMany({
      where: { enrolmentId: { in: [daughter.enrolment.id, son.enrolment.id] } },
    });
    const byEnrolment = new Map(rows.map((r) => [r.enrolmentId, r]));
    expect(byEnrolment.get(son.enrolment.id)).toMatchObject({ rating: 5, comment: null });
    expect(byEnrolment.get(daughter.enrolment.id)).toMatchObject({ rating: 3, comment: null });

    // Another chat cannot answer them by pressing an old choice value: not its question.
    const stranger = chatter(world.runtime);
    await stranger.say('你好');
    expect(allText(await stranger.say('5'))).not.toContain('记下评分');
  });

  it('takes a typed number as the answer to the last question received, and says whose it was', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const db = world.runtime.db;
    const [c1, c2] = [
      await createCourse(db, { realNameRequired: false }),
      await createCourse(db, { realNameRequired: false }),
    ];
    const p = await parent('孙长林');
    const daughter = await signUpMember(p, c1.code, '女儿', '孙小梅');
    const son = await signUpMember(p, c2.code, '儿子', '孙小松');
    await finish(c1.id, new Date(now.getTime() - 3_600_000));
    await finish(c2.id, new Date(now.getTime() - 3_600_000));
    await world.runtime.runSurveys(now);
    await arrived(p.id, 2);
    await settle();
    // Its choices are the ones on screen last: "4" is that question's fourth choice. Whichever it was, the
    // reply names the one person whose enrolment took the rating, and the other question stays open.
    const rated = await p.say('4');
    const stored = await db.satisfactionSurvey.findMany({
      where: { enrolmentId: { in: [daughter.enrolment.id, son.enrolment.id] }, rating: { not: null } },
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.rating).toBe(4);
    const forDaughter = stored[0]!.enrolmentId === daughter.enrolment.id;
    const reply = last(rated)!.text;
    expect(reply).toContain(`已为${forDaughter ? '您女儿孙小梅' : '您儿子孙小松'}记下评分（4 分）`);
    expect(reply).not.toContain(forDaughter ? '孙小松' : '孙小梅');
    // The next number is the other one's (the rating is not taken as a comment on the first).
    const next = await p.say('2');
    expect(allText(next)).toContain(`已为${forDaughter ? '您儿子孙小松' : '您女儿孙小梅'}记下评分（2 分）`);
    const other = await db.satisfactionSurvey.findUniqueOrThrow({
      where: { enrolmentId: (forDaughter ? son : daughter).enrolment.id },
    });
    expect([other.rating, other.comment]).toEqual([2, null]);
  });

  it('asks the parent the employment follow-up about the son and stores the answer on his enrolment', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const db = world.runtime.db;
    const c = await createCourse(db, { realNameRequired: false });
    const p = await parent('张国强');
    const son = await signUpMember(p, c.code, '儿子', '张小军');
    // Finished 3 months ago today (local date): the 3-month follow-up is due; the satisfaction one is too old.
    const done = DateTime.fromJSDate(now).setZone(ZONE).minus({ months: 3 }).toJSDate();
    await finish(c.id, done);
    await world.runtime.runSurveys(now);
    const [ask] = await arrived(p.id, 1);
    expect(ask!.text).toContain(`您为您儿子张小军报名的【${c.code}】`);
    expect(ask!.text).toContain('结束已经 3 个月了');
    expect(ask!.choices).toEqual(['已经上班了', '自己创业或做生意', '还在找工作', '暂时不找工作']);

    const answered = await p.say('已经上班了');
    expect(last(answered)!.text).toContain('请告诉我您儿子张小军做的是哪一行');
    const details = await p.say('电工 昭阳');
    expect(allText(details)).toContain('已记下您儿子张小军的情况');
    const check = await db.employmentCheck.findFirstOrThrow({ where: { enrolmentId: son.enrolment.id } });
    expect([check.months, check.status, check.trade, check.county]).toEqual([
      3,
      'employed',
      'electrician',
      'zhaoyang',
    ]);
  });

  it('respects the parent’s opt-out: the question about the daughter is not sent to a parent who said 退订', {
    timeout: 120_000,
  }, async () => {
    const now = morning();
    const c = await createCourse(world.runtime.db, { realNameRequired: false });
    const p = await parent('赵立新');
    const { enrolment } = await signUpMember(p, c.code, '女儿', '赵小雨');
    expect(allText(await p.say('退订'))).toContain('已为您退订');
    await p.say('2');
    await finish(c.id, new Date(now.getTime() - 3_600_000));
    const before = sent(p.id).length;
    await world.runtime.runSurveys(now);
    const row = await until('the question is settled', async () => {
      const d = await world.runtime.db.delivery.findUnique({ where: { key: `survey:${enrolment.id}` } });
      return d && d.status !== 'pending' && d.status !== 'sending' ? d : undefined;
    });
    expect(row.personId).toBe(await p.personId());
    expect(row.status).toBe('failed');
    expect(row.error).toContain('opted_out');
    await settle();
    expect(
      sent(p.id)
        .slice(before)
        .map((m) => m.text)
        .join('\n'),
    ).not.toContain('赵小雨');
  });
});
