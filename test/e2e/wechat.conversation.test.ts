import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message as MessageType } from 'wechaty-puppet/types';
import type { Runtime } from '../../src/app/runtime';
import { createChatLinkRepository } from '../../src/db/repositories/chat-links.repository';
import { testRuntime } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { type WechatWorld, wechatWorld } from '../support/wechat-world';

/** The real dialog engine, PostgreSQL and Redis behind a real Wechaty on wechaty-puppet-mock. */
let runtime: Runtime;
let world: WechatWorld;

beforeAll(async () => {
  runtime = await testRuntime();
  const links = createChatLinkRepository(runtime.db);
  world = wechatWorld({ linkRoom: (request) => links.link(request) });
  await world.channel.start(async (message) => (await runtime.engine.handle(message)).replies);
  await world.login();
});

afterAll(async () => {
  await world?.channel.stop();
  await runtime?.close();
});

const identityOf = (externalId: string) =>
  runtime.db.channelIdentity.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'wechat', externalId } },
  });

describe('a worker on WeChat', () => {
  it('adds the bot, gets a cited answer, signs up by replying "1", and receives a reminder', async () => {
    const course = await createCourse(runtime.db);
    const worker = world.person('王师傅');

    await worker.requestFriendship('你好，我想报名参加培训');
    expect((await worker.turn())[0]!.text).toContain('培训助手');

    worker.say('建档立卡户参加培训免费吗');
    const answer = (await worker.turn()).at(-1)!;
    expect(answer.text).toContain('依据：《');
    expect(answer.choices.length).toBeGreaterThan(0);

    worker.say(`报名 ${course.code}`);
    const detail = (await worker.turn()).at(-1)!;
    expect(detail.text).toContain(course.code);
    expect(detail.choices).toEqual(['报名这个班', '看看其他课程']);

    worker.say('1');
    expect((await worker.turn()).at(-1)!.text).toContain('手机号');
    worker.say('13912345678');
    expect((await worker.turn()).map((m) => m.text).join('\n')).toContain('报名成功');

    const identity = await identityOf(worker.contact.id);
    const enrolment = await runtime.db.enrolment.findUniqueOrThrow({
      where: { personId_courseId: { personId: identity.personId, courseId: course.id } },
    });
    expect(enrolment.status).toBe('confirmed');

    // A reminder leaves the delivery worker through channel.send, to the chat stored for the person.
    await world.channel.send(
      { channel: 'wechat', chatId: identity.chatId },
      { text: `提醒：${course.code} 明天上午9点开课` },
    );
    expect((await worker.next())[0]!.text).toBe(`提醒：${course.code} 明天上午9点开课`);
  });

  it('is asked to type when sending a voice note or a red packet', async () => {
    const worker = world.person('李大姐');
    world.deliver(worker.contact, { type: MessageType.Audio });
    expect((await worker.turn())[0]!.text).toContain('请打字');
    world.deliver(worker.contact, { type: MessageType.RedEnvelope, text: '<msg>红包</msg>' });
    expect((await worker.turn())[0]!.text).toContain('请打字');
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

    const links = await createChatLinkRepository(runtime.db).chatsForCourse(course.id);
    expect(links).toEqual([{ channel: 'wechat', chatId: group.room.id }]);
  });
});
