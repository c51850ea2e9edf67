import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { allText, person } from '../support/converse';
import { sampleRuntime } from '../support/sample-runtime';

/**
 * A question asked where the sign-up wants a name, a phone number or a yes/no ("在哪里上课", "我报名的课程",
 * "几点上课") is answered as what it is, instead of being read as a wrong answer and the same question asked
 * again; what was given so far is kept, and the sign-up is one word away.
 */
let runtime: Runtime;
beforeAll(async () => {
  runtime = await sampleRuntime('asides');
});
afterAll(async () => {
  await runtime.close();
});

describe('questions in the middle of a sign-up', () => {
  it('answers them at each step and keeps the details already given', async () => {
    const p = person(runtime, 'aside');
    await p.say('LD-YH-01');
    expect(allText(await p.say('报名这个班'))).toContain('姓名');

    const where = await p.say('在哪里上课');
    expect(where.intent).toBe('course.fact');
    expect(allText(where)).toContain('上课地址');
    expect(where.replies.at(-1)?.choices).toContain('报名这个班');

    await p.say('报名这个班');
    expect(allText(await p.say('欧阳娜'))).toContain('手机号');
    const mine = await p.say('我报名的课程');
    expect(mine.intent).not.toMatch(/^flow\./);
    expect(allText(mine)).not.toContain('手机号');

    // Back to it: the name is not asked again.
    await p.say('LD-YH-01');
    const again = await p.say('报名这个班');
    expect(allText(again)).not.toContain('真实姓名');
    expect(allText(again)).toContain('手机号');
    expect(allText(await p.say('13912345670'))).toContain('同意');
    const when = await p.say('每天几点上课');
    expect(allText(when)).toContain('09:00');
    expect(allText(when)).not.toContain('您同意提供身份证号吗');
  });

  it('still takes the answers themselves, and a wrong number is still told apart from a question', async () => {
    const p = person(runtime, 'aside-answers');
    await p.say('LD-YH-01');
    await p.say('报名这个班');
    await p.say('张小花');
    expect(allText(await p.say('1391234'))).toMatch(/11位|位数/);
    expect(allText(await p.say('13912345671'))).toContain('同意');
    expect(allText(await p.say('同意'))).toContain('18位');
  });
});

describe('"我要报名" about the course on screen', () => {
  it('signs up for the course just viewed, in words or in English, even after a question about it', async () => {
    for (const words of ['我要报名', 'I want to sign up', '报名']) {
      const p = person(runtime, 'sign-up-words');
      await p.say('LD-YH-01');
      expect(allText(await p.say(words))).toMatch(/真实姓名|full name/i);
    }
    const q = person(runtime, 'sign-up-after-fact');
    await q.say('LD-YH-01');
    await q.say('学几天');
    expect(allText(await q.say('我想报名'))).toContain('真实姓名');
    // A question about the plan in between: the course on screen is shown again to confirm, not a search.
    const s = person(runtime, 'sign-up-after-policy');
    await s.say('LD-YH-01');
    expect((await s.say('学徒制补贴多少钱')).intent).toBe('policy.ask');
    const again = await s.say('我要报名');
    expect(allText(again)).toContain('【LD-YH-01】');
    expect(allText(await s.say('报名这个班'))).toContain('真实姓名');
    // Another course named in the words is that course, not the one on screen.
    const r = person(runtime, 'sign-up-other');
    await r.say('LD-YH-01');
    expect(allText(await r.say('我要报名 ZY-DS-01'))).toContain('【ZY-DS-01】');
  });
});
