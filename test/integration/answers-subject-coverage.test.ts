import { describe, expect, it } from 'vitest';
import { allText, runtimeWithPeople } from '../support/converse';

// Phrasings written for these tests, not taken from the tuning, dev or held-out sets.
const { fresh } = runtimeWithPeople('subject');

/** The reply's first line: what the answer leads with (有。/可以。/ the plan does not say …). */
const lead = (text: string) => text.split('\n')[0] ?? '';

describe('a yes needs the quoted clause to speak of what is asked about', () => {
  it('does not say "有" to an entrepreneurship subsidy the plan never mentions, and cites the entrepreneurship clause', async () => {
    for (const text of ['有创业补贴吗', '开公司创业有没有补助']) {
      const r = await fresh().say(text);
      expect(r.answer, text).toBe('policy');
      // s6 (managing subsidised training) only shares 补贴 with the question.
      expect(r.citations[0], text).not.toBe('s6');
      expect(r.citations[0], text).toBe('s4.1');
      expect(lead(allText(r)), text).not.toMatch(/^(有|可以|是的)。/);
      expect(lead(allText(r)), text).toMatch(/^《实施方案》没有直接写明/);
    }
  });

  it('does not say "有" when the quoted sentence lacks the trade asked about', async () => {
    // The plan names 特色养殖, never 养蜂; its farming clause is the closest, quoted without a yes.
    const r = await fresh().say('养蜂有补贴吗');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s1.4');
    expect(lead(allText(r))).toMatch(/^《实施方案》没有直接写明/);
  });

  it('still says yes, with the right clause, where the quoted sentence has the subject', async () => {
    const cases: [string, string, RegExp][] = [
      ['企业新型学徒制有补贴吗', 's2.2', /^有。/],
      ['退役军人有创业培训吗', 's1.3', /^有。/],
      ['职工教育经费能税前扣除吗', 's14', /^可以。/],
    ];
    for (const [text, clause, yes] of cases) {
      const r = await fresh().say(text);
      expect(r.answer, text).toBe('policy');
      expect(r.citations[0], text).toBe(clause);
      expect(lead(allText(r)), text).toMatch(yes);
    }
  });

  it('answers a registered-poor worker asking about a subsidy from the group’s clause', async () => {
    const r = await fresh().say('建档立卡户参加培训有补贴吗');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s1.1');
    // s1.1 does not speak of a subsidy: no yes is made up for it.
    expect(lead(allText(r))).toMatch(/^《实施方案》没有直接写明/);
  });
});

describe('the clause about the subject beats one sharing a generic word', () => {
  it('cites the clause on promotion out of turn, not the one that only shares 竞赛 and 晋升', async () => {
    const r = await fresh().say('参加技能比赛得了名次，能破格晋升吗');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s11');
    expect(allText(r)).toContain('破格晋升');
  });

  it('gives the entrepreneurship clause as the basis of a sign-up question, not the sign-up platform clause', async () => {
    const r = await fresh().say('创业培训在哪报名');
    expect(r.citations[0]).toBe('s4.1');
    expect(allText(r)).toContain('创业');
  });
});

describe('a question for a sum of money is not answered with a count', () => {
  it('says the plan gives no such sum, cites nothing and offers the nearest clause and a person', async () => {
    for (const text of [
      '残疾人找工作，政府每个月补贴好多钱',
      '搞创业一个人能领多少补助',
      'how much money do veterans get for starting a business',
    ]) {
      const r = await fresh().say(text);
      expect(r.answer, text).toBe('abstain');
      expect(r.citations, text).toEqual([]);
      // Never "《实施方案》写的是：…1次" as if a number of sessions were the sum asked for.
      expect(allText(r), text).not.toMatch(/1次|once/);
      expect(r.replies.flatMap((x) => x.choices ?? []).join(' '), text).toMatch(/工作人员|staff|12333/);
    }
  });

  it("still gives the plan's sums and counts where it has them", async () => {
    const cases: [string, string, string][] = [
      ['企业带徒弟，国家一年补多少钱', 's2.2', '4000元'],
      ['贫困户一年最少要参加几次培训', 's1.1', '1'],
    ];
    for (const [text, clause, figure] of cases) {
      const r = await fresh().say(text);
      expect(r.answer, text).toBe('policy');
      expect(r.citations[0], text).toBe(clause);
      expect(lead(allText(r)), text).toContain(figure);
    }
  });
});

describe('the preamble answers only questions about the plan’s basis', () => {
  it('answers "what is the system" from the plan’s aims, and "which documents" from the preamble', async () => {
    for (const text of ['终身职业技能培训制度是什么意思', 'give me an overview of the plan']) {
      const r = await fresh().say(text);
      expect(r.answer, text).toBe('policy');
      expect(r.citations[0], text).toBe('p1');
    }
    for (const text of ['这个实施方案是依据哪些文件制定的', 'which documents is the plan based on']) {
      const r = await fresh().say(text);
      expect(r.citations[0], text).toBe('intro');
    }
  });
});
