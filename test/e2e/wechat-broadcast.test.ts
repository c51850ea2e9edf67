import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { createCourse } from '../support/fixtures';
import { type WechatPerson, wechatBot } from '../support/wechat-bot';
import type { WechatWorld } from '../support/wechat-world';

type Person = WechatPerson;

async function startBot(settings: Record<string, string> = {}, env: Record<string, string> = {}) {
  const { world, runtime, admin } = await wechatBot({ settings, env });
  return { world, runtime, coordinator: admin };
}

/** Workers who sign up for the course in their private chats with the bot. */
async function enrolled(world: WechatWorld, course: { code: string }, names: string[]): Promise<Person[]> {
  const workers = names.map((name) => world.person(name));
  for (const [i, worker] of workers.entries()) {
    worker.say(`报名 ${course.code}`);
    await worker.turn();
    worker.say('1');
    await worker.turn();
    worker.say(`1391234567${i}`);
    expect((await worker.turn()).map((m) => m.text).join('\n')).toContain('报名成功');
  }
  return workers;
}

describe('wechat: a coordinator broadcasts from a class room', () => {
  let world: WechatWorld;
  let runtime: Runtime;
  let coordinator: Person;

  beforeAll(async () => {
    ({ world, runtime, coordinator } = await startBot());
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('the class room and every enrolled WeChat contact receive the notice once', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: false });
    const workers = await enrolled(world, course, ['王师傅', '李大姐', '赵师傅']);

    const group = world.room(`${course.code} 班级群`, [
      coordinator.contact,
      ...workers.map((w) => w.contact),
    ]);
    // A worker cannot link the room; the coordinator can, once.
    workers[0]!.sayInRoom(group.room, `@技能助手 绑定 ${course.code}`, [world.botUser]);
    expect((await group.turn()).at(-1)!.text).toContain('只有这个班的培训管理员可以绑定群');
    coordinator.sayInRoom(group.room, `@技能助手 绑定 ${course.code}`, [world.botUser]);
    expect((await group.turn()).at(-1)!.text).toContain(`本群已绑定课程【${course.code}】`);
    expect(await runtime.db.chatLink.count({ where: { courseId: course.id } })).toBe(1);

    coordinator.sayInRoom(group.room, `@技能助手 /broadcast ${course.code} 明天上午9点改到201教室`, [
      world.botUser,
    ]);
    const preview = (await group.turn()).at(-1)!;
    expect(preview.text).toContain('将发送给本班已报名的 3 人');
    expect(preview.text).toContain('也会发到本班关联的 1 个群聊');
    expect(preview.choices[0]).toBe('发送');
    coordinator.sayInRoom(group.room, '@技能助手 1', [world.botUser]);
    // The room gets the answer and the notice itself, in whichever order the queue and the dialog finish.
    const inRoom = await group.next(2, 15_000);
    const sending = inRoom.find((m) => m.text.includes('正在发送'))?.text ?? '';
    expect(sending).toContain('正在发送给 3 人，并发到本班关联的 1 个群聊');
    const posted = inRoom.filter((m) => m.text.includes('明天上午9点改到201教室'));
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain(course.code);
    expect(sending).not.toContain('每天最多'); // 4 messages are far under the daily cap: no spreading

    for (const worker of workers) {
      const [notice] = await worker.next(1, 15_000);
      expect(notice!.text).toContain('明天上午9点改到201教室');
      expect(notice!.text).toContain(course.code);
    }
    // The delivery report goes to the coordinator's own chat, not to the class room.
    const [done] = await coordinator.next(1, 15_000);
    expect(done!.text).toContain('3 人中送达 3 人，失败 0 人');
    expect(done!.text).toContain('本班关联的 1 个群聊中，1 个已发出');
    const late = await Promise.all([...workers, group].map((w) => w.quiet(500)));
    expect(late.flat()).toEqual([]);
    const broadcast = await runtime.db.broadcast.findFirstOrThrow({ where: { courseId: course.id } });
    const rows = await runtime.db.delivery.findMany({ where: { broadcastId: broadcast.id } });
    expect(rows.map((r) => [r.channel, r.status])).toEqual(Array(4).fill(['wechat', 'sent']));
    expect(rows.filter((r) => r.chatId === group.room.id)).toHaveLength(1);
  });
});

describe('wechat: a notice larger than the daily cap', () => {
  let world: WechatWorld;
  let runtime: Runtime;
  let coordinator: Person;

  beforeAll(async () => {
    ({ world, runtime, coordinator } = await startBot({ WECHAT_DAILY_CAP: '2' }));
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('goes out up to the cap today, the rest waits, and the coordinator is told when it will finish', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: false });
    const workers = await enrolled(world, course, ['王师傅', '李大姐', '赵师傅']);

    coordinator.say(`/broadcast ${course.code} 周六的课取消`);
    expect((await coordinator.turn()).at(-1)!.text).toContain('将发送给本班已报名的 3 人');
    coordinator.say('1');
    const sending = (await coordinator.turn()).at(-1)!.text;
    expect(sending).toContain('正在发送给 3 人');
    expect(sending).toContain('每天最多主动发送 2 条消息');
    expect(sending).toContain('3 条会分 2 天发出');
    // Tomorrow's date in the programme's time zone, as the coordinator reads it ("11月28日").
    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('zh-CN', {
      timeZone: 'Asia/Shanghai',
      month: 'numeric',
      day: 'numeric',
    });
    expect(sending).toContain(tomorrow.replace(/(\d+)\/(\d+)/, '$1月$2日'));

    const got = await Promise.all(workers.map((w) => w.quiet(1_500)));
    expect(got.filter((m) => m.length === 1)).toHaveLength(2);
    expect(got.filter((m) => m.length === 0)).toHaveLength(1);
    const broadcast = await runtime.db.broadcast.findFirstOrThrow({ where: { courseId: course.id } });
    const rows = await runtime.db.delivery.findMany({ where: { broadcastId: broadcast.id } });
    // The third waits for tomorrow: not failed, not lost.
    expect(rows.map((r) => r.status).sort()).toEqual(['pending', 'sent', 'sent']);
  });
});

describe('wechat: a notice confirmed while the account is logged out', () => {
  let world: WechatWorld;
  let runtime: Runtime;
  let coordinator: Person;

  beforeAll(async () => {
    // Two quick attempts: a logout treated as a network error would fail every message within a second.
    ({ world, runtime, coordinator } = await startBot(
      {},
      { OUTBOUND_ATTEMPTS: '2', OUTBOUND_BACKOFF_MS: '100' },
    ));
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('waits for the next login and then reaches everyone once', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: false });
    const workers = await enrolled(world, course, ['王师傅', '李大姐']);
    coordinator.say('你好');
    await coordinator.turn();
    await world.puppet.logout('kicked out by the phone');

    // Sent from the console meanwhile (the coordinator's own WeChat is the bot's contact, so it is down too).
    const { personId: author } = await runtime.db.channelIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'wechat', externalId: coordinator.contact.id } },
    });
    const admin = { role: 'admin' as const, courseCodes: [], counties: [] };
    const draft = await runtime.broadcasts.draft(author, admin, course.code, '周日照常上课', new Date());
    if (draft.status !== 'ok') throw new Error(draft.status);
    await runtime.broadcasts.confirm(author, draft.preview.broadcastId, false);

    await new Promise((r) => setTimeout(r, 1_500));
    const rows = () => runtime.db.delivery.findMany({ where: { broadcastId: draft.preview.broadcastId } });
    expect((await rows()).map((r) => r.status)).toEqual(['pending', 'pending']);

    await world.login();
    for (const worker of workers) expect((await worker.next(1, 15_000))[0]!.text).toContain('周日照常上课');
    expect((await Promise.all(workers.map((w) => w.quiet(500)))).flat()).toEqual([]);
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent']);
    // The coordinator's summary, once the account is back.
    expect((await coordinator.next(1, 15_000))[0]!.text).toContain('2 人中送达 2 人');
  });
});
