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
