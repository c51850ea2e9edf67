import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { allText, person, testRuntime } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { chatter, enrolledPeople, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';

/**
 * Gaps found auditing issue 18 (.scratch/issue18-table.md): a request typed where a name is asked is not a name,
 * "my details" says what is true of a chat that cannot write first, and the 实名制 sentence is said once.
 */
let runtime: Runtime;
beforeAll(async () => {
  runtime = await testRuntime();
});
afterAll(() => runtime.close());

async function personIdOf(id: string): Promise<string> {
  return (await runtime.db.channelIdentity.findFirstOrThrow({ where: { externalId: id } })).personId;
}

describe('a request where a name is asked (issue 18, item 5: "not a command")', () => {
  it('"查看我的信息" at 改名字’s new-name step shows the details and leaves the name as it was', async () => {
    const p = person(runtime, 'a18-rename');
    await p.say('你好');
    const personId = await personIdOf(p.id);
    await runtime.db.person.update({ where: { id: personId }, data: { realName: '李秀英' } });
    expect(allText(await p.say('改名字'))).toContain('新姓名');
    const view = await p.say('查看我的信息');
    expect(view.intent).toBe('profile.view');
    expect(allText(view)).toContain('姓名：李秀英');
    expect(allText(view)).not.toContain('改为“查看我的信息”');
    // "改电话" there is that request, not a name either.
    expect(allText(await p.say('改名字'))).toContain('新姓名');
    expect(allText(await p.say('改电话'))).toContain('新手机号');
    expect((await runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).realName).toBe('李秀英');
  });

  it('"查看我的信息" at a sign-up’s name step is not stored as the name', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    const p = person(runtime, 'a18-signup-name');
    await p.say(course.code);
    expect(allText(await p.say('报名这个班'))).toContain('真实姓名');
    const reply = await p.say('查看我的信息');
    expect(allText(reply)).not.toContain('手机号码，方便培训机构联系您');
    const stored = await runtime.db.person.findUniqueOrThrow({ where: { id: await personIdOf(p.id) } });
    expect(stored.realName).not.toBe('查看我的信息');
  });
});

describe('the deletion confirmation (issue 18, item 3)', () => {
  it('"不删了" keeps the data instead of asking the deletion question again', async () => {
    const p = person(runtime, 'a18-keep');
    await p.say('你好');
    const personId = await personIdOf(p.id);
    await runtime.db.person.update({ where: { id: personId }, data: { realName: '李秀英' } });
    expect(allText(await p.say('删除我的信息'))).toContain('将删除');
    const kept = await p.say('不删了');
    expect(allText(kept)).not.toContain('将删除');
    expect((await runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).realName).toBe('李秀英');
    // The flow is over: a number now is not a late answer to it.
    expect(allText(await p.say('1'))).not.toContain('已删除');
    expect((await runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).realName).toBe('李秀英');
  });
});

describe('"退订" then "查看我的信息" in a chat that cannot write first (converse)', () => {
  it('says the chat never carries reminders instead of "class reminders still come"', async () => {
    const p = person(runtime, 'a18-optout');
    expect(allText(await p.say('退订'))).toContain('不能主动给您发消息');
    const details = allText(await p.say('查看我的信息'));
    expect(details).toContain('本对话：不能主动给您发消息');
    expect(details).not.toContain('照常');
    expect(details).not.toContain('恢复提醒');
    expect(details).not.toContain('所有渠道都正常接收消息');
  });

  it('on a chat the bot writes on, the opt-out still reads as before', async () => {
    const world: OutreachWorld = await outreachWorld();
    try {
      const p = chatter(world.runtime);
      await p.say('你好');
      await p.say('退订');
      await p.say('2');
      const details = (await p.say('查看我的信息')).replies.map((r) => r.text).join('\n');
      expect(details).toContain('测试渠道：已退订非必要消息（上课提醒和课程通知照常）');
      expect(details).toContain('恢复提醒');
      expect(details).not.toContain('不能主动给您发消息');
    } finally {
      await world.close();
    }
  });
});

describe('the 实名制 sentence once in a course’s details (issue 18, item 6)', () => {
  it('is not said again when the course’s subsidy text says it already', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    await runtime.db.course.update({
      where: { id: course.id },
      data: { subsidyText: '政府补贴性职业技能培训，学员免费参训；实行实名制管理，报名需登记身份证号。' },
    });
    const shown = allText(await person(runtime, 'a18-realname').say(course.code));
    expect(shown.match(/实名/gu)).toHaveLength(1);
    expect(shown).toContain('报名需要登记姓名、手机号和身份证号');
  });

  it('is said when nothing else says it', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    const shown = allText(await person(runtime, 'a18-realname2').say(course.code));
    expect(shown).toContain('实行实名制，报名需要登记姓名、手机号和身份证号');
  });
});

describe('a coordinator’s notice typed while "which class?" waits (issue 18, item 7)', () => {
  it('is drafted as a notice, exactly as written, not taken as the class to list', async () => {
    const world: OutreachWorld = await outreachWorld();
    try {
      const first = await createCourse(world.runtime.db, { county: 'suijiang' });
      const second = await createCourse(world.runtime.db, { county: 'suijiang' });
      await enrolledPeople(world.runtime.db, second.id, 2);
      const who = chatter(world.runtime);
      await who.say('你好');
      const { code } = await world.runtime.coordinators.createInvite({
        role: 'coordinator',
        courseCodes: [],
        counties: ['suijiang'] as never[],
        expiresDays: 1,
        createdBy: 'test',
      });
      await who.say(`/start ${code}`);
      const ask = await who.say('名单');
      expect(ask.replies[0]!.choices!.map((c) => c.split(' ')[0])).toEqual(
        expect.arrayContaining([first.code, second.code]),
      );
      const notice = await who.say(`通知${second.code}：后天停课，请互相转告！`);
      const shown = notice.replies.map((r) => r.text).join('\n');
      expect(shown).toContain('通知预览');
      expect(shown).toContain('后天停课，请互相转告！');
      expect(shown).not.toContain('学员名单');
      expect(notice.replies.at(-1)!.choices).toContain('发送');
    } finally {
      await world.close();
    }
  });
});
