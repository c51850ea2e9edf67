import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message as MessageType } from 'wechaty-puppet/types';
import type { Runtime } from '../../src/app/compose';
import { createChatLinkRepository } from '../../src/db/repositories/chat-links-repository';
import { createCourse } from '../support/fixtures';
import { wechatBot } from '../support/wechat-bot';
import type { WechatWorld } from '../support/wechat-world';

/**
 * The whole bot (dialog engine, reminder scheduler, outbound queue and worker) with WeChat on
 * wechaty-puppet-mock, on a database schema of its own so a course search finds only this file's courses.
 */
let runtime: Runtime;
let world: WechatWorld;

beforeAll(async () => {
  ({ world, runtime } = await wechatBot({
    adminName: '管理员',
    // One reminder, a minute before class, whatever the hour the suite runs at.
    env: { REMINDER_OFFSETS_MINUTES: '1', REMINDER_QUIET_HOURS: '' },
  }));
});

afterAll(async () => {
  await runtime?.close();
});

const identityOf = (externalId: string) =>
  runtime.db.channelIdentity.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'wechat', externalId } },
  });

describe('a worker on WeChat', () => {
  it('adds the bot, gets a cited answer, picks a course by replying "1", signs up and is reminded', async () => {
    const worker = world.person('王师傅');
    await worker.requestFriendship('你好，我想报名参加培训');
    expect((await worker.turn())[0]!.text).toContain('培训助手');

    worker.say('建档立卡户参加培训免费吗');
    const answer = (await worker.turn()).at(-1)!;
    expect(answer.text).toContain('依据：《');
    expect(answer.choices.length).toBeGreaterThan(0);

    // The class starts in 80 s, so its one-minute reminder is due 20 s from now.
    const course = await createCourse(runtime.db, { startsInHours: 80 / 3600 });
    worker.say('我在镇雄，想学电商');
    expect((await worker.turn()).at(-1)!.text).toContain('您今年多大');
    worker.say('35岁 建档立卡户');
    const list = (await worker.turn()).at(-1)!;
    expect(list.choices[0]).toContain(`测试课程 ${course.code}`);

    worker.say('1');
    const detail = (await worker.turn()).at(-1)!;
    expect(detail.text).toContain(course.code);
    expect(detail.choices).toEqual(['报名这个班', '看看其他课程']);
    // "1" again within seconds: an answer to the new question, not a repeat of the last message.
    worker.say('1');
    expect((await worker.turn()).at(-1)!.text).toContain('手机号');
    worker.say('13912345678');
    expect((await worker.turn()).map((m) => m.text).join('\n')).toContain('报名成功');

    const identity = await identityOf(worker.contact.id);
    const enrolment = await runtime.db.enrolment.findUniqueOrThrow({
      where: { personId_courseId: { personId: identity.personId, courseId: course.id } },
    });
    expect(enrolment.status).toBe('confirmed');

    // The reminder: scheduled at sign-up, sent by the reminder job through the outbound queue.
    const [reminder] = await worker.next(1, 40_000);
    expect(reminder!.text).toContain(`上课提醒：【${course.code}】`);
    expect(reminder!.choices).toEqual(['我来不了', '好的，我会准时到']);
    // Answered by number, then by the words of a choice.
    worker.say('1');
    const ask = (await worker.turn()).at(-1)!;
    expect(ask.text).toContain('您是要取消整个报名');
    worker.say('只是这次来不了，告诉联络员');
    expect((await worker.turn()).at(-1)!.text).toContain('报名仍然保留');
  });

  it('is asked to type when sending a voice note or a red packet', async () => {
    const worker = world.person('李大姐');
    world.deliver(worker.contact, { type: MessageType.Audio });
    expect((await worker.turn())[0]!.text).toContain('请打字');
    world.deliver(worker.contact, { type: MessageType.RedEnvelope, text: '<msg>红包</msg>' });
    expect((await worker.turn())[0]!.text).toContain('请打字');
  });

  it('is told that only the beginning of a 5,000-character paste was read, and still gets an answer', async () => {
    const worker = world.person('钱师傅');
    worker.say(`建档立卡户培训要钱吗？${'我家里情况是这样的，'.repeat(500)}`);
    const replies = await worker.turn();
    expect(replies[0]!.text).toContain('您的消息比较长，我只看了前面的部分');
    expect(replies.at(-1)!.text).toContain('依据');
  });

  it('gets one answer to the same question sent three times in a row', async () => {
    const worker = world.person('赵师傅');
    for (let i = 0; i < 3; i++) worker.say('培训要钱吗');
    const answer = await worker.turn();
    expect(answer.filter((m) => m.text.includes('依据')).length).toBe(1);
    expect(await worker.quiet(500)).toEqual([]);
  });
});

describe('a class room on WeChat', () => {
  it('answers only when @-mentioned, and lets a coordinator (only) link the room to a course', async () => {
    const course = await createCourse(runtime.db);
    const coordinator = world.person('张老师');
    const worker = world.person('陈师傅');
    const group = world.room(`${course.code} 班级群`, [coordinator.contact, worker.contact]);

    worker.sayInRoom(group.room, '培训要钱吗');
    expect(await group.quiet(400)).toEqual([]);
    worker.sayInRoom(group.room, '@技能助手\u2005培训要钱吗', [world.botUser]);
    expect((await group.turn()).at(-1)!.text).toContain('依据');
    // Reminders for this worker still go to their private chat, never to the class room.
    expect((await identityOf(worker.contact.id)).chatId).toBe(worker.contact.id);

    worker.sayInRoom(group.room, '@技能助手 绑定', [world.botUser]);
    expect((await group.turn())[0]!.text).toContain('比如“@我 绑定 ZX-DS-01”');
    worker.sayInRoom(group.room, `@技能助手 绑定 ${course.code}`, [world.botUser]);
    expect((await group.turn())[0]!.text).toContain('只有这个班的培训管理员');

    // The coordinator has talked to the bot before (so has a WeChat identity) and manages this course.
    coordinator.say('你好');
    await coordinator.turn();
    const { personId } = await identityOf(coordinator.contact.id);
    await runtime.db.coordinator.create({ data: { personId, courseScope: [course.code] } });
    coordinator.sayInRoom(group.room, `@技能助手 绑定 ${course.code}`, [world.botUser]);
    expect((await group.turn())[0]!.text).toContain(`本群已绑定课程【${course.code}】`);
    // Said again in other words (the same words within seconds count as one message).
    coordinator.sayInRoom(group.room, `@技能助手 绑定课程 ${course.code}`, [world.botUser]);
    expect((await group.turn())[0]!.text).toContain('已经绑定过');

    const links = await createChatLinkRepository(runtime.db, runtime.coordinators.access).chatsForCourse(
      course.id,
    );
    expect(links).toEqual([{ channel: 'wechat', chatId: group.room.id }]);
  });
});
