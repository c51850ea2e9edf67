import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/runtime';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createCourse } from '../support/fixtures';
import { uniquePrefix } from '../support/test-env';
import { type WechatWorld, wechatWorld } from '../support/wechat-world';

/** The whole bot (engine, broadcast service, outbound queue and worker) with WeChat on wechaty-puppet-mock. */
describe('wechat: a coordinator broadcasts from a class room', () => {
  let world: WechatWorld;
  let runtime: Runtime;
  let coordinator: ReturnType<WechatWorld['person']>;

  beforeAll(async () => {
    world = wechatWorld();
    coordinator = world.person('张老师');
    const config = loadConfig({
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: uniquePrefix('wx'),
      SEED_SAMPLE_DATA: 'never',
      PII_ENCRYPTION_KEY: 'a'.repeat(64),
      PII_HASH_KEY: 'b'.repeat(64),
      LOG_LEVEL: 'silent',
      ADMIN_IDENTITIES: `wechat:${coordinator.contact.id}`,
    });
    runtime = await createRuntime(config, createLogger('silent'), { channels: [world.channel] });
    await runtime.startChannels();
    await world.login();
    await runtime.startWorkers();
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('every enrolled WeChat contact receives the notice once', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: false });
    const workers = ['王师傅', '李大姐', '赵师傅'].map((name) => world.person(name));
    for (const [i, worker] of workers.entries()) {
      worker.say(`报名 ${course.code}`);
      await worker.turn();
      worker.say('1');
      await worker.turn();
      worker.say(`1391234567${i}`);
      expect((await worker.turn()).map((m) => m.text).join('\n')).toContain('报名成功');
    }

    const group = world.room(`${course.code} 班级群`, [
      coordinator.contact,
      ...workers.map((w) => w.contact),
    ]);
    coordinator.sayInRoom(group.room, `@技能助手 /broadcast ${course.code} 明天上午9点改到201教室`, [
      world.botUser,
    ]);
    const preview = (await group.turn()).at(-1)!;
    expect(preview.text).toContain('将发送给本班已报名的 3 人');
    expect(preview.choices[0]).toBe('发送');
    coordinator.sayInRoom(group.room, '@技能助手 1', [world.botUser]);
    expect((await group.turn()).at(-1)!.text).toContain('正在发送给 3 人');

    for (const worker of workers) {
      const [notice] = await worker.next(1, 15_000);
      expect(notice!.text).toContain('明天上午9点改到201教室');
      expect(notice!.text).toContain(course.code);
    }
    // The delivery report goes to the coordinator's own chat, not to the class room.
    expect((await coordinator.next(1, 15_000))[0]!.text).toContain('已发送');
    const late = await Promise.all([...workers, group].map((w) => w.quiet(500)));
    expect(late.flat()).toEqual([]);
    const broadcast = await runtime.db.broadcast.findFirstOrThrow({ where: { courseId: course.id } });
    const rows = await runtime.db.delivery.findMany({ where: { broadcastId: broadcast.id } });
    expect(rows.map((r) => [r.channel, r.status])).toEqual(Array(3).fill(['wechat', 'sent']));
  });
});
