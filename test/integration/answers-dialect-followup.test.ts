import { describe, expect, it } from 'vitest';
import { allText, runtimeWithPeople } from '../support/converse';

// Phrasings written for these tests, not taken from the tuning, dev or held-out sets.
const { fresh } = runtimeWithPeople('dialect');

describe('Zhaotong speech asks what its standard twin asks', () => {
  it('answers a dialect how-to question about claiming the subsidy from the platform clause, not with "which part?"', async () => {
    for (const text of ['培训补贴钱哪点领', '学完了补贴钱啷个领', '补贴到哪领']) {
      const r = await fresh().say(text);
      expect(r.answer, text).toBe('policy');
      expect(r.citations[0], text).toBe('s8');
      expect(allText(r), text).toContain('申领补贴');
    }
  });

  it('reads 咋个 / 啷个 / 有没得 as how and yes/no questions and cites the clause', async () => {
    const closing = await fresh().say('矿上要关门了，工人啷个办');
    expect(closing.answer).toBe('policy');
    expect(closing.citations[0]).toBe('s3.1');

    const poor = await fresh().say('建档立卡户学技术有没得补贴');
    expect(poor.answer).toBe('policy');
    expect(poor.citations[0]).toBe('s1.1');
    // A yes/no question (有没得 = 有没有) gets a yes/no lead: the clause does not say so outright.
    expect(allText(poor)).toMatch(/^《实施方案》没有直接写明/);
  });
});

describe('莫得 alone is not unemployment', () => {
  it('answers a veteran "莫得工作" asking for training from the veterans\' clause', async () => {
    const r = await fresh().say('当兵回来了莫得工作，政府管培训不嘛');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s1.3');
  });
});

describe('a follow-up keeps the topic and takes the new group', () => {
  it('answers "苹果呢" after a question about another crop instead of taking it as the county', async () => {
    const p = fresh();
    const first = await p.say('种天麻的有没有培训班');
    expect(first.citations[0]).toBe('s1.4');
    const next = await p.say('苹果呢');
    expect(next.citations[0]).toBe('s1.4');
    expect(allText(next)).toContain('苹果');
    expect(allText(next)).not.toContain('您今年多大');
  });

  it('reads "也行吗" and a short English follow-up with the question before them', async () => {
    const p = fresh();
    expect((await p.say('技能大赛拿了奖有什么奖励')).citations[0]).toBe('s11');
    const next = await p.say('读书少也行吗');
    // Still the incentives clause, not one that alone mentions schooling.
    expect(next.citations[0]).toBe('s11');

    // A message sure of its own subject ("保安也有吗" names the services clause) is not read with the last one.
    const other = fresh();
    expect((await other.say('企业新型学徒制补贴多少钱')).citations[0]).toBe('s2.2');
    expect((await other.say('保安也有吗')).citations[0]).toBe('s2.6');

    // A question naming nothing leans on the one before, however long.
    const times = fresh();
    expect((await times.say('Is there any training for people with disabilities?')).citations[0]).toBe(
      's1.3',
    );
    expect((await times.say('how many times at least?')).citations[0]).toBe('s1.3');

    const en = fresh();
    expect((await en.say('what is the apprenticeship subsidy')).citations[0]).toBe('s2.2');
    const perYear = await en.say('each year?');
    expect(perYear.citations[0]).toBe('s2.2');
  });

  it('stays on the entrepreneurship clause for another group it names', async () => {
    const p = fresh();
    const first = await p.say('创业培训哪些人能参加');
    expect(first.citations[0]).toBe('s4.1');
    const next = await p.say('那大学生呢');
    expect(next.answer).toBe('policy');
    expect(next.citations[0]).toBe('s4.1');
  });

  it('reads "how many times a year" after a question about a group as about that group', async () => {
    const p = fresh();
    expect((await p.say('建档立卡户培训要钱不')).citations[0]).toBe('s1.1');
    const next = await p.say('一年里能培训几回');
    expect(next.answer).toBe('policy');
    expect(next.citations[0]).toBe('s1.1');
  });

  it('moves to the group’s own clause when the topic’s clause does not name that group', async () => {
    const p = fresh();
    await p.say('创业培训哪些人能参加');
    const next = await p.say('那残疾人呢');
    expect(next.citations[0]).toBe('s1.3');
  });

  it('moves to the group’s clause when the topic was another group’s (那退伍的呢, 那坐过牢的呢)', async () => {
    const poor = fresh();
    expect((await poor.say('建档立卡户一年能参加几次培训？')).citations[0]).toBe('s1.1');
    expect((await poor.say('那退伍的呢')).citations[0]).toBe('s1.3');
    const disabled = fresh();
    expect((await disabled.say('残疾人有培训没？')).citations[0]).toBe('s1.3');
    expect((await disabled.say('那坐过牢的呢')).citations[0]).toBe('s3.3');
  });
});

describe('English words for the plan’s own terms', () => {
  it('reads "in charge of carrying out" as who leads the plan and "which trades qualify" as the subsidised list', async () => {
    expect((await fresh().say('who is in charge of carrying out the training plan')).citations[0]).toBe(
      's12',
    );
    expect((await fresh().say('is there a list of which trades qualify for a subsidy')).citations[0]).toBe(
      's6',
    );
  });

  it('reads 打分/绩效 as the plan’s assessment of providers and 哪几类 as the forms of training', async () => {
    expect((await fresh().say('培训机构办得好不好由谁来打分')).citations[0]).toBe('s6');
    expect((await fresh().say('政府的职业培训分哪几类')).citations[0]).toBe('p1');
  });
});

describe('English follow-ups that point back with "that" or "it"', () => {
  it('reads a follow-up that points back ("这个", "这笔钱") as about the question before it', async () => {
    const p = fresh();
    await p.say('展翅行动是什么');
    const who = await p.say('这个归哪个部门管');
    expect(who.citations[0]).toBe('s2.4');
    const q = fresh();
    await q.say('企业带学徒每年补贴多少');
    const whom = await q.say('这笔钱是发给厂里还是发给学徒');
    expect(whom.citations[0]).toBe('s2.2');
    // "这个方案里…" names its own subject: a new question, not the last one again.
    const r = fresh();
    await r.say('学徒制补贴多少钱');
    const platform = await r.say('这个方案里网上培训平台是怎么说的');
    expect(platform.citations[0]).toBe('s8');
  });

  it('reads "does that…" after the apprentice subsidy as about the apprentice subsidy', async () => {
    const p = fresh();
    expect((await p.say('what do apprentices get paid by the government')).citations[0]).toBe('s2.2');
    const next = await p.say('Is that paid to the worker or to the employer?');
    expect(next.answer).toBe('policy');
    expect(next.citations[0]).toBe('s2.2');
  });
});

describe('English questions about poor rural families', () => {
  it('cites the clause on registered-poor rural workers and does not promise free training', async () => {
    const r = await fresh().say('do poor families in the countryside get training for free');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s1.1');
    // The plan never says "free": the answer says so and what the plan does say.
    expect(allText(r)).toMatch(/does not say the training is free/);
  });
});
