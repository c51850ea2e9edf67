import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import type { TurnResult } from '../../src/core/dialog/engine';
import { idCheckChar } from '../../src/core/people/id-number';
import { maskIdNumber } from '../../src/core/people/mask';
import { allText, testRuntime } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { uniquePrefix } from '../support/test-env';

/**
 * Issue 18, items 5 and 6 ("forms that forgive", the rest): a step survives a reconnect and a restart, the
 * county is never asked twice, a duplicate ID number is explained, a family member's name typed instead of
 * pressing the button is understood, and a bare "明天上午" is not a notice for someone who sends none.
 */
const prefix = uniquePrefix('forgiving');
let runtime: Runtime;
beforeAll(async () => {
  runtime = await testRuntime({ QUEUE_PREFIX: prefix });
});
afterAll(() => runtime?.close());

/** Someone on a channel, typing to whichever engine (process) is running; the same id across restarts. */
function someone(id = `fg-${randomUUID().slice(0, 8)}`) {
  let seq = 0;
  return {
    id,
    say(text: string, on: Runtime = runtime, choiceIndex?: number): Promise<TurnResult> {
      return on.engine.handle({
        id: `${id}:${++seq}:${Date.now()}`,
        address: { channel: 'test', chatId: id },
        senderId: id,
        text,
        choiceIndex,
        receivedAt: new Date(),
      });
    },
    async personId(on: Runtime = runtime): Promise<string> {
      const identity = await on.db.channelIdentity.findUniqueOrThrow({
        where: { channel_externalId: { channel: 'test', externalId: id } },
      });
      return identity.personId;
    },
  };
}

/** A valid ID number nobody else in this run's database has (a random birth date and sequence). */
function freshIdNumber(): string {
  const day = String(randomInt(1, 28)).padStart(2, '0');
  const month = String(randomInt(1, 12)).padStart(2, '0');
  const first17 = `530627${randomInt(1970, 2000)}${month}${day}${String(randomInt(0, 999)).padStart(3, '0')}`;
  return first17 + idCheckChar(first17)!;
}

const last = (r: TurnResult) => r.replies.at(-1);

describe('a step in progress survives', () => {
  it('a greeting on coming back (a reopened page, Telegram /start): the pending question again, then answered', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    const p = someone();
    await p.say(`报名 ${course.code}`);
    const askName = await p.say('1');
    expect(allText(askName)).toContain('真实姓名');
    for (const hello of ['你好', '/start', '您好！']) {
      const back = await p.say(hello);
      expect(back.intent).toBe('flow.enrol');
      expect(back.replies[0]!.text).toContain('上次有一步还没完成');
      // The very question asked before, word for word.
      expect(last(back)!.text).toBe(last(askName)!.text);
    }
    const askPhone = await p.say('赵文静');
    expect(allText(askPhone)).toContain('手机号');
    const person = await runtime.db.person.findUniqueOrThrow({ where: { id: await p.personId() } });
    expect(person.realName).toBe('赵文静');
  });

  it('a question with buttons is shown again with the same buttons, and a number still picks from them', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    const p = someone();
    const detail = await p.say(`报名 ${course.code}`);
    const back = await p.say('hello');
    expect(last(back)!.choices).toEqual(last(detail)!.choices);
    expect(allText(await p.say('1'))).toContain('真实姓名');
  });

  it('a restart: a new engine on the same Redis store continues the step where the old one left it', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    const p = someone();
    await p.say(`报名 ${course.code}`);
    await p.say('1');
    await p.say('钱多多');
    // The process stops; another starts on the same database and Redis (same key prefix).
    const before = await testRuntime({ QUEUE_PREFIX: prefix });
    await before.close();
    const restarted = await testRuntime({ QUEUE_PREFIX: prefix });
    try {
      const back = await p.say('你好', restarted);
      expect(allText(back)).toContain('手机号');
      const consent = await p.say('13912340000', restarted);
      expect(allText(consent)).toContain('身份证');
      const person = await restarted.db.person.findUniqueOrThrow({
        where: { id: await p.personId(restarted) },
      });
      expect(person.phone).toBe('13912340000');
    } finally {
      await restarted.close();
    }
  });

  it('a finished step is not brought back: a greeting after it is a greeting', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: false });
    const p = someone();
    await p.say(`报名 ${course.code}`);
    await p.say('1');
    await p.say('孙小梅');
    const done = await p.say('13912340001');
    expect(allText(done)).toContain('报名成功');
    const hello = await p.say('你好');
    expect(hello.intent).toBe('greeting');
    expect(allText(hello)).not.toContain('还没完成');
  });
});

describe('the county', () => {
  it('given in any of several ways, is never asked for again', async () => {
    const plays: string[][] = [
      ['我是镇雄的', '找课程'],
      ['我在镇雄县，想找培训'],
      ['找课程', '镇雄'],
      ['找课程', '镇雄县 电商'],
      ['我想学电商', '昭阳区'],
      ['找课程', '我家在鲁甸'],
    ];
    for (const lines of plays) {
      const p = someone();
      const asked: string[] = [];
      for (const text of [...lines, '35岁']) asked.push(allText(await p.say(text)));
      const countyQuestions = asked.filter((a) => /哪个县区/.test(a));
      // At most once, and never after the county was given.
      expect(countyQuestions.length, lines.join(' / ')).toBeLessThanOrEqual(1);
      const person = await runtime.db.person.findUniqueOrThrow({ where: { id: await p.personId() } });
      expect(person.county, lines.join(' / ')).toBeTruthy();
      const firstKnown = asked.findIndex(
        (_, i) => i >= 0 && /镇雄|昭阳|鲁甸/.test(lines.slice(0, i + 1).join('')),
      );
      expect(
        asked.slice(firstKnown).some((a) => /哪个县区/.test(a)),
        lines.join(' / '),
      ).toBe(false);
    }
  });

  it('known, only what is missing is asked: "您在镇雄县。想学什么呢？"', async () => {
    const p = someone();
    const ask = await p.say('我是镇雄的');
    expect(allText(ask)).toContain('您在镇雄县。想学什么');
    expect(allText(ask)).not.toContain('哪个县区');
    const q = someone();
    const ask2 = await q.say('我想学电商');
    expect(allText(ask2)).toContain('哪个县区');
    expect(allText(ask2)).not.toContain('想学什么');
  });
});

describe('an ID number already on another person', () => {
  it('is explained (masked), the sign-up goes on, staff get a follow-up, a person is offered', async () => {
    const first = await createCourse(runtime.db, { realNameRequired: true });
    const second = await createCourse(runtime.db, { realNameRequired: true });
    const id = freshIdNumber();
    const owner = someone();
    for (const text of [`报名 ${first.code}`, '1', '周大山', '13600000511', '同意', id])
      await owner.say(text);
    const other = someone();
    const turns: TurnResult[] = [];
    for (const text of [`报名 ${second.code}`, '1', '周大山', '13600000599', '同意', id])
      turns.push(await other.say(text));
    const said = allText(turns.at(-1)!);
    expect(said).toContain('已经登记过');
    expect(said).toContain(maskIdNumber(id));
    expect(said).not.toContain(id);
    expect(said).toContain('找工作人员');
    expect(said).toContain('报名成功');
    // No dead end: the menu with a person to talk to follows, and asking for one works.
    expect(last(turns.at(-1)!)!.choices).toContain('找工作人员');
    const human = await other.say('找工作人员');
    expect(human.intent).toBe('handoff.human');
    const followUp = await runtime.db.followUp.findFirst({
      where: { personId: await other.personId(), kind: 'id_clash' },
    });
    expect(followUp).not.toBeNull();
    // The first person's sign-up and data are untouched; the new sign-up stands.
    expect(
      await runtime.db.enrolment.count({ where: { personId: await other.personId(), status: 'confirmed' } }),
    ).toBe(1);
    // Someone with a number nobody has is told nothing of the kind.
    const fresh = someone();
    let end: TurnResult | undefined;
    for (const text of [`报名 ${second.code}`, '1', '吴小河', '13600000598', '同意', freshIdNumber()])
      end = await fresh.say(text);
    expect(allText(end!)).not.toContain('已经登记过');
  });
});

describe('a family sign-up', () => {
  it('takes the member’s name typed instead of pressing 报名这个班', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    const p = someone();
    const shown = await p.say(`帮我女儿报名 ${course.code}`);
    expect(allText(shown)).toContain('这次是为您女儿报名');
    const next = await p.say('王小红');
    expect(allText(next)).not.toContain('没太明白');
    expect(allText(next)).toContain('您女儿王小红有自己的手机号吗');
    const links = await runtime.db.familyLink.findMany({
      where: { proxyId: await p.personId() },
      include: { member: true },
    });
    expect(links.map((l) => [l.relation, l.member.realName])).toEqual([['daughter', '王小红']]);
  });

  it('after picking the course from a list too, and "她叫李想" as well', async () => {
    await createCourse(runtime.db, { realNameRequired: true });
    const p = someone();
    await p.say('帮我女儿报名');
    const detail = await p.say('1');
    expect(allText(detail)).toContain('这次是为您女儿报名');
    const next = await p.say('她叫李想');
    expect(allText(next)).toContain('您女儿李想有自己的手机号吗');
  });

  it('still answers a question about the course at that point, not taking it for a name', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    const p = someone();
    await p.say(`帮我女儿报名 ${course.code}`);
    for (const q of ['包吃住不', '在哪上课']) {
      const r = await p.say(q);
      expect(allText(r), q).not.toContain('有自己的手机号');
    }
    expect(await runtime.db.familyLink.count({ where: { proxyId: await p.personId() } })).toBe(0);
  });
});

describe('a bare time outside a step', () => {
  it('"明天上午" from a trainee is a question about their classes, not a notice to send', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: false, startsInHours: 20 });
    const p = someone();
    await p.say('你好');
    const personId = await p.personId();
    await runtime.db.enrolment.create({ data: { personId, courseId: course.id, status: 'confirmed' } });
    const r = await p.say('明天上午');
    expect(r.intent).toBe('class.question');
    expect(allText(r)).toContain('“明天上午”');
    expect(allText(r)).toContain(course.code);
    expect(allText(r)).not.toContain('培训管理员');
  });

  it('with no classes, asks what they mean and offers the menu', async () => {
    const p = someone();
    for (const text of ['明天上午', '周三下午2点', 'tomorrow morning']) {
      const r = await p.say(text);
      expect(r.intent, text).toBe('class.question');
      expect(allText(r), text).not.toMatch(/培训管理员|coordinators/);
      expect(last(r)!.choices?.length, text).toBeGreaterThan(1);
    }
  });
});
