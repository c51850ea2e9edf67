import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { allText, person } from '../support/converse';
import { sampleRuntime, signUpByTyping } from '../support/sample-runtime';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await sampleRuntime('coursefacts');
});
afterAll(async () => {
  await runtime.close();
});

const lastChoices = (r: Awaited<ReturnType<ReturnType<typeof person>['say']>>) =>
  r.replies.at(-1)?.choices ?? [];

describe('follow-up questions about the course just viewed are answered from its record', () => {
  it('answers 学几天 / 每天几点 / 包吃住不 / 在哪上课 / 要带什么 / 发什么证 / 联系电话 about LD-YH-01', async () => {
    const p = person(runtime, 'facts');
    const shown = await p.say('ld-yh-01');
    expect(shown.intent).toBe('choice.course');
    expect(allText(shown)).toContain('【LD-YH-01】养老护理员培训');

    const days = await p.say('学几天？');
    expect(days.intent).toBe('course.fact');
    expect(days.answer).toBe('course');
    expect(allText(days)).toContain('LD-YH-01');
    expect(allText(days)).toContain('共 8 天');

    expect(allText(await p.say('每天几点上课'))).toContain('09:00-17:00');

    const lodging = allText(await p.say('包吃住不'));
    expect(lodging).toContain('住宿：有补贴');
    expect(lodging).toContain('吃饭：提供');

    const where = allText(await p.say('在哪上课'));
    expect(where).toContain('上课地址：云南省昭通市鲁甸县');
    const link = /地图：(\S+)/.exec(where)?.[1] ?? '';
    const url = new URL(link);
    expect(url.origin).toBe('https://uri.amap.com');
    const stored = await runtime.db.course.findUniqueOrThrow({ where: { code: 'LD-YH-01' } });
    expect(url.searchParams.get('keyword')).toBe(stored.address);

    expect(allText(await p.say('要带什么'))).toContain('身份证原件');
    expect(allText(await p.say('发什么证'))).toContain('养老护理员职业技能等级证书');
    expect(allText(await p.say('联系电话'))).toContain('0870-2150707');
  });

  it('keeps the sign-up one word away after a fact: "报名这个班" is still offered', async () => {
    const p = person(runtime, 'facts-signup');
    await p.say('LD-YH-01');
    const days = await p.say('学几天');
    expect(lastChoices(days)).toContain('报名这个班');
    // Not a fact the record lacks: no person offered.
    expect(lastChoices(days)).not.toContain('找工作人员');
  });

  it('keeps a family sign-up being decided on: after a fact, "报名" still signs up the daughter', async () => {
    const p = person(runtime, 'facts-family');
    await p.say('你好');
    await p.say('帮我女儿报名 LD-YH-01');
    expect(allText(await p.say('学几天'))).toContain('共 8 天');
    expect(allText(await p.say('1'))).toContain('女儿');
  });

  it('answers in English about the course viewed: "how long is it", "where is it"', async () => {
    const p = person(runtime, 'facts-en');
    await p.say('hello');
    await p.say('LD-YH-01');
    const long = await p.say('how long is it?');
    expect(long.intent).toBe('course.fact');
    expect(allText(long)).toContain('8 days in all');
    const where = await p.say('where is it?');
    expect(allText(where)).toContain('Map: https://uri.amap.com/search?keyword=');
  });

  it('says honestly when the record does not state a fact, and offers a person', async () => {
    const p = person(runtime, 'facts-missing');
    await p.say('DG-SG-01');
    const cert = await p.say('发什么证');
    expect(cert.intent).toBe('course.fact');
    expect(allText(cert)).toContain('结业证书：这门课的资料里没有写明');
    expect(allText(cert)).not.toMatch(/证书（/);
    expect(lastChoices(cert)).toContain('找工作人员');
    const human = await p.say(String(lastChoices(cert).indexOf('找工作人员') + 1));
    expect(human.intent).toBe('handoff.human');
  });

  it('answers about the course just signed up for', async () => {
    const { p } = await signUpByTyping(runtime, 'facts-enrolled', 'LD-YH-01', 501);
    const where = await p.say('在哪上课？');
    expect(where.intent).toBe('course.fact');
    expect(allText(where)).toContain('鲁甸县');
    // Already signed up: no sign-up button again.
    expect(lastChoices(where)).not.toContain('报名这个班');
  });

  it('answers about a course the question names by its code, even with none viewed', async () => {
    const p = person(runtime, 'facts-code');
    await p.say('你好');
    const r = await p.say('ZX-DS-01 在哪上课？');
    expect(r.intent).toBe('course.fact');
    expect(allText(r)).toContain('【ZX-DS-01】');
    expect(allText(r)).toContain('镇雄县');
  });

  it('forgets the course viewed once a new list is shown', async () => {
    const p = person(runtime, 'facts-new-list');
    await p.say('LD-YH-01');
    await p.say('我是镇雄的，建档立卡户，35岁，想学电商');
    const r = await p.say('学几天？');
    // Not about the course viewed before the list: the bot asks which of the new list's courses is meant.
    expect(allText(r)).not.toContain('LD-YH-01');
    expect(r.answer).toBe('clarify');
    expect(lastChoices(r).length).toBeGreaterThan(0);
    expect(lastChoices(r).join(' ')).not.toContain('LD-YH-01');
  });

  it('asks which course a fact question is about when a list is shown, and answers it for the one picked', async () => {
    const p = person(runtime, 'facts-which');
    const list = await p.say('我在镇雄，40岁，没有工作，想学电商');
    const second = lastChoices(list)[1]!.split(' ')[0]!;
    const which = await p.say('去上课要准备啥');
    expect(which.answer).toBe('clarify');
    expect(allText(which)).toContain('哪一个班');
    const answered = await p.say('2');
    expect(answered.intent).toBe('course.fact');
    expect(allText(answered)).toContain(second);
    expect(allText(answered)).toContain('需要带');
    // A question that names something of its own after a list is not about one of the courses.
    const q = person(runtime, 'facts-which-plan');
    await q.say('我在镇雄，40岁，没有工作，想学电商');
    const bases = await q.say('公共实训基地建在哪里');
    expect(allText(bases)).not.toContain('哪一个班');
  });

  it('leaves the same words alone when no course was viewed', async () => {
    for (const text of ['学几天？', '包吃住不', '在哪上课']) {
      const r = await person(runtime, 'facts-none').say(text);
      expect(r.intent).not.toBe('course.fact');
      expect(allText(r)).not.toMatch(/【[A-Z]{2}-[A-Z]{2,4}-\d\d】.*：\n·/);
    }
  });
});

describe('picking a course by its code or its place in a list', () => {
  it('shows the course for a bare code in any case', async () => {
    for (const text of ['LD-YH-01', 'ld-yh-01', 'ld yh 01']) {
      const r = await person(runtime, 'code').say(text);
      expect(r.intent).toBe('choice.course');
      expect(allText(r)).toContain('【LD-YH-01】');
    }
  });

  it('picks the second course of a list for "第二个", "2号" and "the second one"', async () => {
    for (const [text, lang] of [
      ['第二个', 'zh'],
      ['2号', 'zh'],
      ['the second one', 'en'],
    ] as const) {
      const p = person(runtime, 'ordinal');
      const list = await p.say(
        lang === 'zh'
          ? '我是镇雄的，建档立卡户，35岁，想学电商'
          : 'I live in Zhenxiong, 35 years old, registered poor household, want to learn e-commerce',
      );
      const second = lastChoices(list)[1]!;
      const code = second.split(' ')[0]!;
      expect(code).toMatch(/^[A-Z]{2}-[A-Z]{2,4}-\d\d$/);
      const picked = await p.say(text);
      expect(picked.intent).toBe('choice.course');
      expect(allText(picked)).toContain(code);
    }
  });
});

describe('acknowledgements', () => {
  it('answers "收到", "好的", "谢谢", "ok", "thanks" with a short polite line, not "I did not understand"', async () => {
    const p = person(runtime, 'ack');
    for (const [text, expected] of [
      ['收到', '好的。'],
      ['好的', '好的。'],
      ['谢谢', '不客气'],
      ['ok', '好的。'],
    ] as const) {
      const r = await p.say(text);
      expect(r.intent).toBe('chat.ack');
      expect(allText(r)).toContain(expected);
      expect(allText(r)).not.toContain('没太明白');
    }
    const en = person(runtime, 'ack-en');
    await en.say('hello');
    const thanks = await en.say('thanks!');
    expect(thanks.intent).toBe('chat.ack');
    expect(allText(thanks)).toContain('You are welcome');
  });

  it('keeps the list choosable after "好的"', async () => {
    const p = person(runtime, 'ack-list');
    const list = await p.say('我是镇雄的，建档立卡户，35岁，想学电商');
    const code = lastChoices(list)[0]!.split(' ')[0]!;
    await p.say('好的');
    expect(allText(await p.say('1'))).toContain(code);
  });
});

describe('the course list', () => {
  it('shows three courses and "更多" for the rest', async () => {
    const p = person(runtime, 'list');
    const list = await p.say('我是镇雄的，建档立卡户，35岁，想学电商');
    const text = allText(list);
    expect(text.match(/^\d\. 【/gm)).toHaveLength(3);
    const choices = lastChoices(list);
    expect(choices).toContain('更多');
    expect(choices.filter((c) => /^[A-Z]{2}-[A-Z]{2,4}-\d\d /.test(c))).toHaveLength(3);
    expect(text).toMatch(/还有 \d+ 个课程，回复“更多”查看/);
    const rest = Number(/还有 (\d+) 个课程/.exec(text)![1]);

    const more = await p.say('更多');
    expect(more.intent).toBe('flow.course-list');
    expect(allText(more).match(/^\d\. 【/gm)).toHaveLength(rest);
    const shownFirst = choices.slice(0, 3).map((c) => c.split(' ')[0]);
    const moreCodes = lastChoices(more).map((c) => c.split(' ')[0]);
    expect(moreCodes.some((c) => shownFirst.includes(c))).toBe(false);
    // …and the rest is picked like the first part.
    expect(allText(await p.say('1'))).toContain(moreCodes[0]);
  });

  it('offers a full class as 候补 (waitlist), not 报名', async () => {
    await runtime.db.course.update({ where: { code: 'ZX-CS-01' }, data: { seatsTaken: 2 } });
    const p = person(runtime, 'full');
    const list = await p.say('我是镇雄的，35岁，建档立卡户，想学面点');
    const full = lastChoices(list).find((c) => c.startsWith('ZX-CS-01'));
    expect(full).toContain('候补');
    const detail = await p.say('ZX-CS-01');
    expect(lastChoices(detail)).toContain('排队候补');
    expect(lastChoices(detail)).not.toContain('报名这个班');
  });
});
