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

const ADMIN = 'admin-coordinator-test';
const NOT_COORDINATOR = createTranslator().forLocale('zh-CN')('common:notCoordinator');
let world: OutreachWorld;

beforeAll(async () => {
  world = await outreachWorld({ env: { ADMIN_IDENTITIES: `test:${ADMIN}` } });
});
afterAll(() => world.close());

const invite = (courseCodes: string[], counties: string[] = [], expiresDays = 1) =>
  world.runtime.coordinators.createInvite({
    role: 'coordinator',
    courseCodes,
    counties: counties as never[],
    expiresDays,
    createdBy: 'test',
  });

async function coordinatorOf(courseCodes: string[], counties: string[] = []) {
  const who = chatter(world.runtime);
  await who.say('你好');
  const { code } = await invite(courseCodes, counties);
  const reply = await who.say(`/start ${code}`);
  expect(reply.intent).toBe('coordinator.redeem');
  return who;
}

const received = (chatId: string, count = 1) =>
  until(`${count} message(s) to ${chatId}`, async () => {
    const got = world.channel.sentTo(chatId);
    return got.length >= count ? got : undefined;
  });

const audited = (actorId: string) =>
  world.runtime.db.auditLog
    .findMany({ where: { actorId }, orderBy: { id: 'asc' } })
    .then((r) => r.map((a) => a.action));

describe('coordinator invites', () => {
  it('asks for the code when "邀请码" comes without one', async () => {
    const who = chatter(world.runtime);
    const reply = await who.say('邀请码');
    expect(reply.intent).toBe('coordinator.redeem');
    expect(reply.replies[0]!.text).toContain('请把邀请码一起发给我');
  });

  it('makes a person a coordinator of the invited course, once per code', async () => {
    const course = await createCourse(world.runtime.db);
    const { code } = await invite([course.code]);
    const first = chatter(world.runtime);
    await first.say('你好');
    const ok = await first.say(`邀请码 ${code.toLowerCase()}`);
    expect(ok.replies[0]!.text).toContain('培训联络员');
    expect(ok.replies[0]!.text).toContain(course.code);
    const row = await world.runtime.db.coordinator.findUniqueOrThrow({
      where: { personId: await first.personId() },
    });
    expect(row).toMatchObject({ role: 'coordinator', courseScope: [course.code], countyScope: [] });
    expect(await audited(await first.personId())).toContain('invite.redeemed');

    const second = chatter(world.runtime);
    await second.say('你好');
    const reused = await second.say(`/start ${code}`);
    expect(reused.replies[0]!.text).toBe('这个邀请码无效，请和发给您邀请码的人核对一下。');
    expect(await world.runtime.db.coordinator.count({ where: { personId: await second.personId() } })).toBe(
      0,
    );
  });

  it('takes the code at the end of a sentence: "我是老师，邀请码 XXXX。", "my invite code is XXXX"', async () => {
    for (const say of [
      (c: string) => `我是镇雄职校的老师，邀请码 ${c}。`,
      (c: string) => `my invite code is ${c}`,
    ]) {
      const course = await createCourse(world.runtime.db);
      const { code } = await invite([course.code]);
      const who = chatter(world.runtime);
      const ok = await who.say(say(code));
      expect(ok.intent).toBe('coordinator.redeem');
      expect(ok.replies[0]!.text).toContain(course.code);
    }
    // "我没有邀请码" names no code: not a redemption.
    expect((await chatter(world.runtime).say('我没有邀请码')).intent).not.toBe('coordinator.redeem');
  });

  it('gives the same answer for a wrong or expired code, and logs the attempt', async () => {
    const who = chatter(world.runtime);
    await who.say('你好');
    const wrong = await who.say('/start ZZZZ9999');
    const expired = await invite([], ['ludian'], 1);
    await world.runtime.db.coordinatorInvite.update({
      where: { code: expired.code },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const late = await who.say(`/start ${expired.code}`);
    expect(late.replies[0]!.text).toBe(wrong.replies[0]!.text);
    expect(await audited(await who.personId())).toEqual(['invite.rejected', 'invite.rejected']);
  });
});

describe('coordinator broadcasts', () => {
  it('still tells the author a notice went out when the process stopped between completing it and saying so', async () => {
    const course = await createCourse(world.runtime.db);
    const coordinator = await coordinatorOf([course.code]);
    const b = await world.runtime.db.broadcast.create({
      data: {
        courseId: course.id,
        authorId: await coordinator.personId(),
        text: '明天停课',
        recipients: 0,
        status: 'completed',
        confirmedAt: new Date(Date.now() - 180_000),
        completedAt: new Date(Date.now() - 120_000),
      },
    });
    await world.runtime.sweep();
    const [summary] = await received(coordinator.id);
    expect(summary!.text).toContain(`您发给【${course.code}】`);
    expect(summary!.text).toContain('已发送完毕');
    // Once: the next sweep finds the summary's row.
    await world.runtime.sweep();
    expect(await world.runtime.db.delivery.count({ where: { key: `broadcast-summary:${b.id}` } })).toBe(1);
  });

  it('refuses everyone else without revealing anything, and logs it', async () => {
    const course = await createCourse(world.runtime.db);
    await enrolledPeople(world.runtime.db, course.id, 2);
    const stranger = chatter(world.runtime);
    await stranger.say('你好');
    const asked = await stranger.say('通知电商班:明天上午9点改到201教室');
    expect(asked.intent).toBe('broadcast.send');
    expect(asked.replies.map((r) => r.text)).toEqual([NOT_COORDINATOR]);
    const command = await stranger.say(`/broadcast ${course.code} 明天停课`);
    expect(command.replies.map((r) => r.text)).toEqual(asked.replies.map((r) => r.text));
    const report = await stranger.say('投递报告');
    expect(report.replies.map((r) => r.text)).toEqual(asked.replies.map((r) => r.text));
    expect(await world.runtime.db.broadcast.count({ where: { authorId: await stranger.personId() } })).toBe(
      0,
    );
    expect(await audited(await stranger.personId())).toEqual([
      'coordinator.refused',
      'coordinator.refused',
      'coordinator.refused',
    ]);
  });

  it('answers a trainee’s words that merely contain 通知 as an ordinary message; only a notice command is refused', async () => {
    const course = await createCourse(world.runtime.db);
    const stranger = chatter(world.runtime);
    await stranger.say('你好');
    for (const words of [
      '我收到通知了，但是明天几点上课我不清楚，麻烦告诉我一下，谢谢老师，我在镇雄县',
      `通知方式${'我想问一下'.repeat(2000)}`,
    ]) {
      const reply = await stranger.say(words);
      expect(reply.intent).not.toBe('broadcast.send');
      expect(reply.replies.map((r) => r.text).join('\n')).not.toContain(NOT_COORDINATOR);
    }
    expect(await audited(await stranger.personId())).toEqual([]);
    // Typed as a command, it is still refused (and logged), as before.
    for (const words of [
      `通知${course.code}:明天停课`,
      '通知电商班：明天停课',
      `/broadcast ${course.code} 明天停课`,
      // Without a colon, as people type it, and led by 给…发通知 / 群发：.
      '通知电工班学员 周日不上课',
      '给电商班的学员发通知 教室换到302',
      '群发：所有学员周五前交照片',
    ]) {
      const reply = await stranger.say(words);
      expect(reply.replies.map((r) => r.text)).toEqual([NOT_COORDINATOR]);
    }
    expect(await audited(await stranger.personId())).toHaveLength(6);
    expect(await world.runtime.db.broadcast.count({ where: { courseId: course.id } })).toBe(0);
  });

  it('previews with the recipient count, sends only after confirmation, and reports back', async () => {
    const course = await createCourse(world.runtime.db);
    const people = await enrolledPeople(world.runtime.db, course.id, 5);
    const coordinator = await coordinatorOf([course.code]);

    const preview = await coordinator.say('通知电商班:明天上午9点改到201教室');
    expect(preview.replies[0]!.text).toContain('明天上午9点改到201教室');
    expect(preview.replies[0]!.text).toContain('将发送给本班已报名的 5 人');
    // The last one asks everyone to confirm ("收到", issue 19: test/integration/notice-acks.test.ts).
    expect(preview.replies[0]!.choices).toEqual(['发送', '修改内容', '不发了', '发送，并请大家回复「收到」']);
    expect(world.channel.sentTo(people[0]!)).toHaveLength(0);

    const sending = await coordinator.say('1');
    expect(sending.events).toEqual([
      { type: 'broadcast_sent', course: course.code, recipients: 5, groups: 0 },
    ]);
    for (const id of people) {
      const [message] = await received(id);
      expect(message!.text).toContain(course.code);
      expect(message!.text).toContain('明天上午9点改到201教室');
    }
    const [summary] = await received(coordinator.id);
    expect(summary!.text).toContain('送达 5 人');

    const report = await coordinator.say('投递报告');
    expect(report.replies[0]!.text).toContain('已送达 5');
    expect(report.replies[0]!.text).toContain('失败 0');
    expect(await audited(await coordinator.personId())).toEqual([
      'invite.redeemed',
      'broadcast.drafted',
      'broadcast.confirmed',
      'broadcast.report',
    ]);
  });

  it('can include the waitlist, and records people it cannot reach as failed', async () => {
    const course = await createCourse(world.runtime.db, { capacity: 2 });
    const [reachable] = await enrolledPeople(world.runtime.db, course.id, 1);
    const [silent] = await enrolledPeople(world.runtime.db, course.id, 1, { withIdentity: false });
    const [waiting] = await enrolledPeople(world.runtime.db, course.id, 1, { status: 'waitlisted' });
    const coordinator = await coordinatorOf([course.code]);

    const preview = await coordinator.say(`/broadcast ${course.code} 明天停课一天`);
    expect(preview.replies[0]!.text).toContain('2 人');
    expect(preview.replies[0]!.text).toContain('另有 1 人在候补名单上');
    expect(preview.replies[0]!.text).toContain('其中 1 人机器人联系不上');
    expect(preview.replies[0]!.choices![1]).toBe('发送，候补的人也发（1 人）');
    await coordinator.say('2');
    await received(reachable!);
    await received(waiting!);
    await received(coordinator.id);
    const failed = await world.runtime.db.delivery.findFirstOrThrow({ where: { personId: silent } });
    expect(failed).toMatchObject({ status: 'failed', error: 'no_reachable_channel' });
    const report = await coordinator.say('投递报告');
    expect(report.replies[0]!.text).toContain('收件人 3 · 已送达 2');
    expect(report.replies[0]!.text).toContain('没有机器人能联系到的聊天：1 人');
  });

  it('also posts the notice in the group chats linked to the class', async () => {
    const course = await createCourse(world.runtime.db);
    const [person] = await enrolledPeople(world.runtime.db, course.id, 1);
    const group = `group-${course.code}`;
    await world.runtime.db.chatLink.create({ data: { channel: 'test', chatId: group, courseId: course.id } });
    const coordinator = await coordinatorOf([course.code]);
    const preview = await coordinator.say(`/broadcast ${course.code} 明天停课`);
    expect(preview.replies[0]!.text).toContain('也会发到本班关联的 1 个群聊');
    const sending = await coordinator.say('1');
    expect(sending.events).toEqual([
      { type: 'broadcast_sent', course: course.code, recipients: 1, groups: 1 },
    ]);
    expect(sending.replies[0]!.text).toContain('正在发送给 1 人，并发到本班关联的 1 个群聊');
    const [posted] = await received(group);
    expect(posted!.text).toContain('明天停课');
    await received(person!);
  });

  it('asks which class when several fit, and only offers classes in scope', async () => {
    const a = await createCourse(world.runtime.db, { county: 'yiliang', trade: 'welder' });
    const b = await createCourse(world.runtime.db, { county: 'yiliang', trade: 'welder' });
    const elsewhere = await createCourse(world.runtime.db, { county: 'weixin', trade: 'welder' });
    await enrolledPeople(world.runtime.db, b.id, 1);
    const coordinator = await coordinatorOf([], ['yiliang']);

    const ask = await coordinator.say('给焊工班发通知 明天停课一天');
    expect(ask.replies[0]!.text).toBe('要通知哪个班？');
    const offered = ask.replies[0]!.choices!.map((c) => c.split(' ')[0]);
    expect(offered).toEqual(expect.arrayContaining([a.code, b.code]));
    expect(offered).not.toContain(elsewhere.code);
    const pick = offered.indexOf(b.code) + 1;
    const preview = await coordinator.say(String(pick));
    expect(preview.replies[0]!.text).toContain(b.code);
    expect(preview.replies[0]!.text).toContain('明天停课一天');

    const outside = await coordinator.say(`/broadcast ${elsewhere.code} 明天停课`);
    expect(outside.replies[0]!.text).toContain('没有找到');
    expect(outside.replies[0]!.text).not.toContain(elsewhere.title);
  });

  it('handles an empty, an over-long and an unknown notice with a clear answer', async () => {
    const course = await createCourse(world.runtime.db);
    await enrolledPeople(world.runtime.db, course.id, 1);
    const coordinator = await coordinatorOf([course.code]);

    const empty = await coordinator.say(`/broadcast ${course.code}`);
    expect(empty.replies[0]!.text).toContain('发什么通知');
    const long = await coordinator.say('很长的通知。'.repeat(1_000));
    expect(long.replies.at(-1)!.text).toMatch(/有 6000 个字，超过了 \d{4} 字的上限/);
    const fixed = await coordinator.say('明天上午9点改到201教室');
    expect(fixed.replies[0]!.text).toContain('将发送给本班已报名的 1 人');
    const dropped = await coordinator.say('不发了');
    expect(dropped.replies[0]!.text).toBe('好的，这条通知没有发送。');
    const drafts = await world.runtime.db.broadcast.findMany({
      where: { authorId: await coordinator.personId() },
    });
    expect(drafts.map((d) => d.status)).toEqual(['discarded']);

    const unknown = await coordinator.say('通知火箭班:明天停课');
    expect(unknown.replies[0]!.text).toContain('没有找到“火箭班”');
  });

  it('lets an admin from ADMIN_IDENTITIES notify any class; a second "send" sends nothing more', async () => {
    const course = await createCourse(world.runtime.db);
    const [person] = await enrolledPeople(world.runtime.db, course.id, 1);
    const admin = chatter(world.runtime, ADMIN);
    await admin.say('你好');
    const preview = await admin.say(`/broadcast ${course.code} 证书已经可以领取`);
    expect(preview.replies[0]!.text).toContain('将发送给本班已报名的 1 人');
    await admin.say('1');
    await received(person!);
    const broadcast = await world.runtime.db.broadcast.findFirstOrThrow({
      where: { authorId: await admin.personId() },
    });
    expect(await world.runtime.broadcasts.confirm(await admin.personId(), broadcast.id, false)).toEqual({
      status: 'gone',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(world.channel.sentTo(person!)).toHaveLength(1);
  });
});
