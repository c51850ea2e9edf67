import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/i18n';
import { createCourse } from '../support/fixtures';
import {
  chatter,
  enrolledPeople,
  type OutreachWorld,
  outreachWorld,
  until,
} from '../support/outreach-runtime';

/**
 * Issue 18 item 7, as a coordinator lives it in chat: a notice goes out exactly as written, an ambiguous class
 * is asked about, rosters and leave requests are read in chat (masked), and the report says who was missed.
 */
const NOT_COORDINATOR = createTranslator().forLocale('zh-CN')('common:notCoordinator');
let world: OutreachWorld;
const db = () => world.runtime.db;

beforeAll(async () => {
  world = await outreachWorld();
});
afterAll(() => world.close());

async function coordinatorOf(courseCodes: string[], counties: string[] = []) {
  const who = chatter(world.runtime);
  await who.say('你好');
  const { code } = await world.runtime.coordinators.createInvite({
    role: 'coordinator',
    courseCodes,
    counties: counties as never[],
    expiresDays: 1,
    createdBy: 'test',
  });
  expect((await who.say(`/start ${code}`)).intent).toBe('coordinator.redeem');
  return who;
}

const received = (chatId: string, count = 1) =>
  until(`${count} message(s) to ${chatId}`, async () => {
    const got = world.channel.sentTo(chatId);
    return got.length >= count ? got : undefined;
  });

/** A chef ("面点") class in a county of its own, so a county coordinator's scope holds exactly these. */
async function pastryClass(county: string, title: string) {
  const course = await createCourse(db(), { county, trade: 'chef' });
  return db().course.update({ where: { id: course.id }, data: { title, titleEn: `Pastry ${course.code}` } });
}

async function named(personId: string, realName: string, phone: string) {
  await db().person.update({ where: { id: personId }, data: { realName, phone } });
}

describe('a notice is sent exactly as written', () => {
  it('strips "帮我通知一下面点班", keeps full-width punctuation, digits and inner spacing, and confirms first', async () => {
    const course = await pastryClass('yanjin', '中式面点班（盐津一期）');
    const people = await enrolledPeople(db(), course.id, 2);
    const coordinator = await coordinatorOf([course.code]);
    const body = '明天上午９点改到２０１教室，请带上“身份证”！\n  午饭自理；有问题找王老师（１３９）。';

    const preview = await coordinator.say(`帮我通知一下面点班：${body}`);
    expect(preview.intent).toBe('broadcast.send');
    const shown = preview.replies[0]!.text;
    expect(shown).toContain(`————\n${body}\n————`);
    expect(shown).not.toContain('帮我通知');
    expect(shown).toContain('将发送给本班已报名的 2 人');
    expect(preview.replies[0]!.choices![0]).toBe('发送');
    expect(preview.replies[0]!.choices).toEqual(expect.arrayContaining(['修改内容', '不发了']));
    // Nothing goes out before "发送".
    await new Promise((r) => setTimeout(r, 200));
    expect(world.channel.sentTo(people[0]!)).toHaveLength(0);

    await coordinator.say('发送');
    for (const id of people) {
      const [message] = await received(id);
      expect(message!.text).toBe(`【${course.code}】中式面点班（盐津一期） 培训联络员通知：\n${body}`);
    }
    const stored = await db().broadcast.findFirstOrThrow({ where: { courseId: course.id } });
    expect(stored.text).toBe(body);
  });

  it('"/broadcast CODE" keeps the text byte for byte too, half-width and full-width side by side', async () => {
    const course = await createCourse(db(), { county: 'yanjin' });
    const [person] = await enrolledPeople(db(), course.id, 1);
    const coordinator = await coordinatorOf([course.code]);
    const body = '周六 9:00 集合,地点:201教室。全角：“，。！？”　半角: ",.!?"';
    const preview = await coordinator.say(`/broadcast ${course.code} ${body}`);
    expect(preview.replies[0]!.text).toContain(`————\n${body}\n————`);
    await coordinator.say('1');
    const [message] = await received(person!);
    expect(message!.text.endsWith(`\n${body}`)).toBe(true);
  });

  it('a time of day with a colon stays in the notice ("通知面点班 明天9:00上课")', async () => {
    const course = await pastryClass('shuifu', '面点班（水富）');
    await enrolledPeople(db(), course.id, 1);
    const coordinator = await coordinatorOf([course.code]);
    const preview = await coordinator.say('通知面点班 明天9:00上课，请准时。');
    expect(preview.replies[0]!.text).toContain('————\n明天9:00上课，请准时。\n————');
    expect((await coordinator.say('不发了')).replies[0]!.text).toBe('好的，这条通知没有发送。');
  });
});

describe('an ambiguous class is asked about, never guessed', () => {
  it('"通知面点班" with two pastry classes offers both and drafts nothing until one is picked', async () => {
    const first = await pastryClass('suijiang', '中式面点班（绥江一期）');
    const second = await pastryClass('suijiang', '中式面点班（绥江二期）');
    const [a] = await enrolledPeople(db(), first.id, 1);
    const [b] = await enrolledPeople(db(), second.id, 1);
    const coordinator = await coordinatorOf([], ['suijiang']);

    const ask = await coordinator.say('通知面点班：明天停课，补课时间另行通知。');
    expect(ask.replies[0]!.text).toBe('要通知哪个班？');
    const offered = ask.replies[0]!.choices!;
    expect(offered).toEqual(
      expect.arrayContaining([`${first.code} ${first.title}`, `${second.code} ${second.title}`]),
    );
    expect(offered).toHaveLength(2);
    expect(await db().broadcast.count({ where: { courseId: { in: [first.id, second.id] } } })).toBe(0);

    // Words naming one of the offered classes pick it; words fitting both are not a guess.
    const both = await coordinator.say('绥江');
    expect(both.replies[0]!.text).toBe('要通知哪个班？');
    expect(both.replies[0]!.choices).toEqual(offered);
    expect(await db().broadcast.count({ where: { courseId: { in: [first.id, second.id] } } })).toBe(0);
    const preview = await coordinator.say('二期');
    expect(preview.replies[0]!.text).toContain(second.code);
    expect(preview.replies[0]!.text).toContain('————\n明天停课，补课时间另行通知。\n————');
    await coordinator.say('发送');
    await received(b!);
    await new Promise((r) => setTimeout(r, 300));
    expect(world.channel.sentTo(a!)).toHaveLength(0);
  });
});

describe('rosters and leave requests in chat', () => {
  it('shows the roster of a class in scope with names and phones masked, and who asked for leave', async () => {
    const course = await pastryClass('daguan', '面点班（大关）');
    const [first, second] = await enrolledPeople(db(), course.id, 2);
    const [waiting] = await enrolledPeople(db(), course.id, 1, { status: 'waitlisted' });
    await named(first!, '欧阳娜', '13912345678');
    await named(second!, '李四', '13800001111');
    await named(waiting!, '王五', '13700002222');
    const session = await db().classSession.findFirstOrThrow({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    });
    const enrolment = await db().enrolment.findFirstOrThrow({ where: { personId: second! } });
    await db().leaveRequest.create({
      data: { enrolmentId: enrolment.id, sessionId: session.id, reason: '家里有事' },
    });
    const coordinator = await coordinatorOf([], ['daguan']);

    const byCode = await coordinator.say(`花名册 ${course.code}`);
    expect(byCode.intent).toBe('roster.view');
    const text = byCode.replies[0]!.text;
    expect(text).toContain(`【${course.code}】面点班（大关） 学员名单：已报名 2 人，候补 1 人。`);
    expect(text).toContain('1. 欧**（139****5678）');
    expect(text).toMatch(/2\. 李\*（138\*\*\*\*1111） · 请假：/);
    expect(text).toContain('3. 王*（137****2222）（候补第 1 位）');
    expect(text).not.toContain('欧阳娜');
    expect(text).not.toContain('13912345678');

    // Only one class in scope: "名单" needs no code.
    const bare = await coordinator.say('名单');
    expect(bare.replies[0]!.text).toBe(text);

    const leave = await coordinator.say('谁请假了');
    expect(leave.intent).toBe('roster.leave');
    expect(leave.replies[0]!.text).toContain('接下来的课共有 1 条请假');
    expect(leave.replies[0]!.text).toContain(
      `【${course.code}】面点班（大关）：李*（138****1111），原因：家里有事`,
    );
    // Leave is not a cancellation: the sign-up stays.
    expect((await db().enrolment.findUniqueOrThrow({ where: { id: enrolment.id } })).status).toBe(
      'confirmed',
    );

    const actions = await db().auditLog.findMany({
      where: { actorId: await coordinator.personId() },
      orderBy: { id: 'asc' },
    });
    expect(actions.map((a) => a.action)).toEqual([
      'invite.redeemed',
      'roster.viewed',
      'roster.viewed',
      'roster.leave_viewed',
    ]);
  });

  it('asks which class when several are in scope, and never shows one outside it', async () => {
    const first = await pastryClass('weixin', '面点班（威信一期）');
    const second = await pastryClass('weixin', '面点班（威信二期）');
    const elsewhere = await pastryClass('zhaoyang', '面点班（昭阳）');
    await enrolledPeople(db(), first.id, 1);
    const coordinator = await coordinatorOf([], ['weixin']);

    const ask = await coordinator.say('看看面点班的名单');
    expect(ask.replies[0]!.text).toBe('要看哪个班的学员名单？');
    expect(ask.replies[0]!.choices!.map((c) => c.split(' ')[0]).sort()).toEqual(
      [first.code, second.code].sort(),
    );
    const picked = await coordinator.say(`${first.code}`);
    expect(picked.replies[0]!.text).toContain(`【${first.code}】`);

    const outside = await coordinator.say(`花名册 ${elsewhere.code}`);
    expect(outside.replies[0]!.text).toContain('没有找到');
    expect(outside.replies[0]!.text).not.toContain('昭阳');
  });

  it('answers a non-coordinator politely, and a coordinator in a group chat: privately only', async () => {
    const stranger = chatter(world.runtime);
    await stranger.say('你好');
    for (const ask of ['名单', '谁请假了', '花名册 ZX-DS-01']) {
      const reply = await stranger.say(ask);
      expect(reply.replies.map((r) => r.text)).toEqual([NOT_COORDINATOR]);
    }
    // A trainee's own leave request is still theirs.
    expect((await stranger.say('我要请假')).intent).toBe('leave.request');
    // With a day in it the classifier hears a notice; from a trainee it is still their leave.
    expect((await stranger.say('我下周二请假')).intent).toBe('leave.request');

    const course = await pastryClass('qiaojia', '面点班（巧家）');
    const coordinator = await coordinatorOf([course.code]);
    const inGroup = await world.runtime.engine.handle({
      id: randomUUID(),
      address: { channel: 'test', chatId: `group-${course.code}` },
      senderId: coordinator.id,
      isGroup: true,
      text: '名单',
      receivedAt: new Date(),
    });
    expect(inGroup.replies[0]!.text).toContain('请在和我的私聊中查看');
  });
});

const BLOCKED_LINE = /· 赵\*（136\*{4}3333）：(?:已屏蔽机器人或退出聊天|没有机器人能联系到的聊天)(?:\n|$)/;

describe('the delivery report names who was not reached', () => {
  it('lists the undelivered by masked name with the reason in words, in the summary and the report', async () => {
    const course = await pastryClass('yongshan', '面点班（永善）');
    const [reached] = await enrolledPeople(db(), course.id, 1);
    const [silent] = await enrolledPeople(db(), course.id, 1, { withIdentity: false });
    const [blocker] = await enrolledPeople(db(), course.id, 1);
    await named(silent!, '张小梅', '13912340777');
    await named(blocker!, '赵六', '13600003333');
    world.channel.failNext('blocked', { chatId: blocker!, times: 5 });
    const coordinator = await coordinatorOf([course.code]);

    await coordinator.say(`/broadcast ${course.code} 明天停课`);
    await coordinator.say('发送');
    await received(reached!);
    const [summary] = await received(coordinator.id);
    expect(summary!.text).toContain('失败 2 人');
    expect(summary!.text).toContain('没有收到的人：');
    expect(summary!.text).toContain('· 张**（139****0777）：没有机器人能联系到的聊天');
    // Blocked on its only chat (the delivery fallback may then report that no chat is left): in words either way.
    expect(summary!.text).toMatch(BLOCKED_LINE);

    const report = await coordinator.say('投递报告');
    const text = report.replies[0]!.text;
    expect(text).toContain('收件人 3 · 已送达 1');
    expect(text).toContain('· 张**（139****0777）：没有机器人能联系到的聊天');
    expect(text).toMatch(BLOCKED_LINE);
    expect(text).not.toContain('张小梅');
  });
});
