import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { allText, person } from '../support/converse';
import { sampleRuntime, validIdNumber, wrongCheckDigit } from '../support/sample-runtime';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await sampleRuntime('enrolconv');
});
afterAll(async () => {
  await runtime.close();
});

describe('a registered-poor worker from Zhenxiong finds and joins an e-commerce course', () => {
  it('suggests fitting courses at once, with reasons, and signs them up with real-name registration', async () => {
    const p = person(runtime, 'zx');
    const found = await p.say('我是镇雄的，建档立卡户，35岁，想学电商');
    expect(found.intent).toBe('course.search');
    expect(found.events).toContainEqual({
      type: 'profile_updated',
      fields: expect.arrayContaining(['county', 'birthYear', 'groups', 'interests']),
    });
    const list = allText(found);
    expect(list).toContain('镇雄县');
    expect(list).toMatch(/免费/);
    expect(list).toContain('电子商务');
    const first = found.replies.at(-1)!.choices![0]!;
    const code = first.split(' ')[0]!;
    expect(code).toMatch(/^(ZX|YL|WX)-DS-\d\d$/);

    const detail = await p.say('1');
    expect(allText(detail)).toContain(code);
    expect(allText(detail)).toContain('实名制');
    expect((await p.say('1')).replies[0]?.text).toContain('真实姓名');
    expect(allText(await p.say('12345'))).toContain('姓名看起来不太对');
    expect(allText(await p.say('张三'))).toContain('手机');
    expect(allText(await p.say('138 1234'))).toContain('11位');
    const consent = await p.say('+86 138 1234 5678');
    expect(allText(consent)).toContain('同意');
    expect(consent.replies.at(-1)?.choices).toEqual(['同意', '不同意']);
    expect(allText(await p.say('1'))).toContain('18位身份证');

    const id = validIdNumber(1);
    expect(allText(await p.say(wrongCheckDigit(id)))).toContain('校验不对');
    expect(allText(await p.say('530627900101123'))).toContain('15位');
    expect(allText(await p.say('53062719900230123X'))).toContain('出生日期');
    const done = await p.say(id);
    expect(done.events).toContainEqual({ type: 'enrolled', course: code });
    const text = allText(done);
    expect(text).toContain('5306**********');
    expect(text).not.toContain(id);
    expect(text).toContain('报名成功');
    expect(text).toMatch(/第一次上课：\d+月\d+日/);

    const stored = await runtime.db.person.findFirstOrThrow({ where: { phone: '13812345678' } });
    expect(stored.realName).toBe('张三');
    expect(stored.idNumberEnc).not.toContain(id.slice(6, 14));
    expect(stored.idNumberHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.consentIdAt).toBeInstanceOf(Date);
    const enrolment = await runtime.db.enrolment.findFirstOrThrow({ where: { personId: stored.id } });
    expect(enrolment.status).toBe('confirmed');

    const mine = await p.say('我报了哪些课');
    expect(mine.intent).toBe('enrol.list');
    expect(allText(mine)).toContain(code);
    expect(allText(mine)).toContain('已确认');
  });

  it('remembers the profile next time and suggests without asking again', async () => {
    const p = person(runtime, 'remember');
    await p.say('我在彝良，想学天麻种植，40岁');
    // Same person, fresh conversation state (as after the session expired).
    await runtime.redis.del(
      ...(await runtime.redis.keys(`${runtime.config.QUEUE_PREFIX}:session:converse:${p.id}`)),
    );
    const again = await p.say('有什么培训推荐');
    expect(again.intent).toBe('course.search');
    expect(allText(again)).toContain('彝良县');
    expect(allText(again)).not.toContain('您在哪个县区');
  });
});

describe('a graduate asking in English finds entrepreneurship training', () => {
  it('gets SYB courses open to graduates', async () => {
    const p = person(runtime, 'grad');
    const r = await p.say("I'm a college graduate in Zhaoyang and I want to start my own business");
    expect(r.intent).toBe('course.search');
    const text = allText(r);
    expect(text).toMatch(/(ZY|YL)-SYB-01/);
    expect(text).not.toMatch(/\p{Script=Han}{4}/u);
  });
});

describe('asking before suggesting', () => {
  it('asks at most two questions, then suggests', async () => {
    const p = person(runtime, 'ask2');
    const q1 = await p.say('我想找个培训');
    expect(allText(q1)).toContain('哪个县区');
    const q2 = await p.say('鲁甸');
    expect(allText(q2)).toContain('多大');
    const s = await p.say('没有');
    expect(allText(s)).toContain('鲁甸县');
    expect(s.replies.at(-1)?.choices?.length).toBeGreaterThan(1);
  });

  it('answers a policy question asked instead of an answer, leaving the questions', async () => {
    const p = person(runtime, 'detour');
    await p.say('我想找个培训');
    const r = await p.say('学徒制补贴多少钱');
    expect(r.intent).toBe('policy.ask');
    expect(allText(r)).toContain('4000');
  });

  it('takes the example answer "35岁 建档立卡户" as an answer, and a question about the group as a question', async () => {
    const p = person(runtime, 'example');
    expect(allText(await p.say('我在镇雄，想学电商'))).toContain('多大');
    const answered = await p.say('35岁 建档立卡户');
    expect(answered.events).toContainEqual({
      type: 'profile_updated',
      fields: expect.arrayContaining(['birthYear', 'groups']),
    });
    expect(allText(answered)).toContain('镇雄县');
    expect(answered.replies.at(-1)?.choices?.[0]).toMatch(/^ZX-/);

    const q = person(runtime, 'example-q');
    await q.say('我在镇雄，想学电商');
    const asked = await q.say('建档立卡户培训要钱吗？');
    expect(asked.intent).toBe('policy.ask');
  });
});

describe('leaving and resuming', () => {
  it('leaves a sign-up cleanly on 取消 and keeps nothing half-done', async () => {
    const p = person(runtime, 'leave');
    await p.say('报名 ZX-DS-01');
    await p.say('1');
    const left = await p.say('取消');
    expect(left.intent).toBe('flow.cancel');
    expect(allText(left)).toContain('报名已中止');
    const after = await p.say('你好');
    expect(after.intent).toBe('greeting');
    expect(
      await runtime.db.enrolment.count({ where: { person: { identities: { some: { externalId: p.id } } } } }),
    ).toBe(0);
  });

  it('says so politely for a course code that does not exist', async () => {
    const r = await person(runtime, 'nocode').say('报名 ZZ-XX-99');
    expect(allText(r)).toContain('没有找到课程代码 ZZ-XX-99');
  });

  it('restarts politely after a day of silence instead of resuming mid-question', async () => {
    const p = person(runtime, 'silent');
    await p.say('报名 ZX-DS-01');
    await p.say('1');
    const key = `${runtime.config.QUEUE_PREFIX}:session:converse:${p.id}`;
    const session = JSON.parse((await runtime.redis.get(key))!);
    session.updatedAt = new Date(Date.now() - 26 * 3_600_000).toISOString();
    await runtime.redis.set(key, JSON.stringify(session));
    const r = await p.say('张三');
    expect(allText(r)).toContain('重新开始');
  });
});

/** Someone signing up for the real-name course ZX-DS-01, who has agreed to give their ID number. */
async function atIdNumberStep(who: string, name: string, phone: string) {
  const p = person(runtime, who);
  await p.say('报名 ZX-DS-01');
  await p.say('1');
  await p.say(name);
  await p.say(phone);
  expect(allText(await p.say('同意'))).toContain('身份证');
  return p;
}

describe('what a sign-up will not take', () => {
  it('does not take a question or a refusal for a real name', async () => {
    const p = person(runtime, 'names');
    await p.say('报名 ZX-DS-01');
    expect(allText(await p.say('1'))).toContain('真实姓名');
    for (const text of ['培训要钱吗', '我不想报了', '你好', '怎么报名']) {
      // Whatever the bot makes of it, it does not move on to the phone number as if it had a name (the
      // course's own description, shown again for "怎么报名", may say a phone number is needed).
      expect(allText(await p.say(text))).not.toContain('请输入您的11位手机号码');
    }
    const row = await runtime.db.channelIdentity.findFirstOrThrow({
      where: { externalId: p.id },
      include: { person: true },
    });
    expect(row.person.realName).toBeNull();
    // A name with a surname that is also a word (钱) is a name.
    await p.say('报名 ZX-DS-01');
    await p.say('1');
    expect(allText(await p.say('钱有福'))).toContain('手机');
    // Given after being told what for: the consent to use it is recorded with it.
    const after = await runtime.db.person.findUniqueOrThrow({ where: { id: row.personId } });
    expect(after.realName).toBe('钱有福');
    expect(after.consentProfileAt).toBeInstanceOf(Date);
    // Names with characters that are also words (想, 培, 好) and names that begin like English words.
    for (const name of ['李想', '张培华', '王好', 'My Linh', 'I Made Wirawan']) {
      const q = person(runtime, 'realnames');
      await q.say('报名 ZX-DS-01');
      await q.say('1');
      expect(allText(await q.say(name)), name).toContain('手机');
    }
  });

  it('lets a person who agreed to give the ID number change their mind, without a wrong-length error', async () => {
    const p = await atIdNumberStep('decline', '张小明', '13800009999');
    const no = await p.say('我不想提供了');
    expect(allText(no)).not.toContain('18位');
    expect(allText(no)).toContain('不会收集您的身份证号');
    expect(no.events.filter((e) => e.type === 'enrolled')).toEqual([]);
  });

  it('keeps a private sign-up out of a group chat: no ID number taken there, no real name shown', async () => {
    const p = await atIdNumberStep('group', '李四海', '13800008888');
    const inGroup = (text: string) =>
      runtime.engine.handle({
        id: `${p.id}:group:${text}`,
        address: { channel: 'converse', chatId: 'group-of-the-class' },
        senderId: p.id,
        text,
        isGroup: true,
        receivedAt: new Date(),
      });
    const typed = await inGroup(validIdNumber(77));
    expect(allText(typed)).toContain('请私聊我');
    expect(allText(typed)).not.toContain('已加密保存');
    const hello = await inGroup('你好');
    expect(allText(hello)).not.toContain('李四海');
    const row = await runtime.db.channelIdentity.findFirstOrThrow({
      where: { externalId: p.id },
      include: { person: true },
    });
    expect(row.person.idNumberHash).toBeNull();
    // Back in private, the sign-up carries on where it was.
    expect(allText(await p.say(validIdNumber(77)))).toContain('已加密保存');
  });
});
