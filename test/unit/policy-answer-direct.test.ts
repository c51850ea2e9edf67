import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/core/domain';
import type { Translate } from '../../src/core/i18n';
import { clauseSentences, figurePhrase } from '../../src/core/policy/answer-sentence';
import { composePolicyAnswer } from '../../src/core/policy/policy-answer';
import { parsePolicyDocument } from '../../src/core/policy/policy-loader';
import { createTranslator } from '../../src/i18n/i18n';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const doc = parsePolicyDocument(read('data/policies/zhaotong-2019.json'));
const clause = (id: string) => doc.clauses.find((c) => c.id === id)!;
// The app's own translator over locales/, as the dialog uses it.
const translator = createTranslator();
const translators = {
  'zh-CN': translator.forLocale('zh-CN'),
  en: translator.forLocale('en'),
} as Record<Locale, Translate>;

/** The answer on one clause, as if retrieval had found it with full confidence. */
const answer = (id: string, question: string, locale: Locale = 'zh-CN') =>
  composePolicyAnswer({
    results: [{ clauseId: id }],
    confidence: 1,
    doc,
    locale,
    t: translators[locale],
    question,
  });
const lines = (id: string, question: string, locale: Locale = 'zh-CN') =>
  answer(id, question, locale).text.split('\n');
const beforeCitation = (text: string) => text.split(/\n依据：|\nAccording to/)[0]!;

describe('clause sentences', () => {
  it('drops the lead-departments note and keeps figures verbatim', () => {
    const sentences = clauseSentences(clause('s2.2').text);
    expect(sentences.at(-1)).toBe(
      '落实对企业新型学徒制度的支持政策,经审核列入人社部门学徒培训计划的企业给予每人每年4000元以上的培养经费补贴',
    );
    expect(sentences.join('')).not.toContain('牵头');
    expect(clauseSentences(clause('s2.7').text).join('')).not.toContain('市财政局');
    expect(clauseSentences(clause('s1.1').text).join('')).toContain('(其中建档立卡劳动力3万人以上)');
  });

  it('finds the figure phrase the question is about', () => {
    expect(figurePhrase(clause('s14').text, '工资薪金总额多少以内可以扣除')).toBe(
      '不超过工资薪金总额8%的部分',
    );
  });
});

describe('direct answers', () => {
  it('leads an amount question with the exact figure from the clause text', () => {
    const [lead, quote] = lines('s2.2', '学徒制补贴多少钱');
    expect(lead).toBe('《实施方案》写的是：每人每年4000元以上的培养经费补贴。');
    expect(quote).toContain('经审核列入人社部门学徒培训计划的企业给予每人每年4000元以上的培养经费补贴');
    expect(clause('s2.2').text).toContain('每人每年4000元以上的培养经费补贴');
    expect(lines('s14', '企业教育经费扣除比例是多少')[0]).toContain('8%');
    expect(lines('s1.1', '见档立卡贫困劳动力一年培训几次')[0]).toContain('每年接受不少于1技能培训');
  });

  it('leads a yes/no question with a yes/no sentence', () => {
    expect(lines('s1.3', '残疾人能参加培训吗')[0]).toBe('可以。');
    expect(lines('s1.3', '残疾人能参加培训吗')[1]).toContain('残疾人至少接受1次就业技能培训');
    expect(lines('s2.2', '学徒志有补贴没得')[0]).toBe('有。');
    // Nothing in the clause speaks of this: no yes.
    expect(lines('s2.2', '坐牢的人能参加吗')[0]).toBe('《实施方案》没有直接写明这一点，相关规定是：');
  });

  it('never says 免费: the plan does not say training is free (it lists workers’ own fees as a source)', () => {
    expect(read('data/policies/zhaotong-2019.json')).not.toMatch(/"text": "[^"]*免费/);
    for (const q of ['参加培训要钱吗', '收不收费', '要钱不']) {
      const reply = answer('s2.5', q).text;
      expect(reply.split('\n')[0]).toBe('《实施方案》没有写明培训免费，写到的是：');
      expect(reply).toContain('落实职业培训补贴政策');
    }
    expect(answer('s2.5', 'Is the training free?', 'en').text).toMatch(
      /^The Implementation Plan does not say the training is free/,
    );
  });

  it('answers two different questions on one clause differently', () => {
    const much = answer('s2.2', '学徒制补贴多少钱').text;
    const who = answer('s2.2', '学徒制谁能参加').text;
    expect(who).not.toBe(much);
    expect(who.split('\n')[0]).toBe('条件是：经审核列入人社部门学徒培训计划的企业。');
    const how = answer('s8', '补贴怎么申领').text;
    expect(how.split('\n')[0]).toContain('申领补贴');
    expect(answer('s8', '培训基地是什么').text.split('\n')[0]).toContain('这是《实施方案》里的');
  });

  it('says so when the clause has no steps for a how question', () => {
    expect(lines('s1.2', '雨露计划怎么申请')[0]).toBe('《实施方案》这一条没有写具体的办理步骤，相关规定是：');
    expect(lines('s1.2', '雨露计划怎么申请')[1]).toContain('雨露计划');
  });

  it('fits a phone screen and keeps the citation and contact lines', () => {
    const questions = ['多少钱', '谁能参加', '怎么报名', '在哪里', '是什么', '能参加吗', '培训'];
    for (const c of doc.clauses) {
      for (const q of questions) {
        const reply = answer(c.id, q).text;
        expect(Array.from(beforeCitation(reply)).length, `${c.id} ${q}`).toBeLessThanOrEqual(230);
        expect(reply).toContain(`依据：《实施方案》${c.ref}`);
        expect(reply).toContain('12333');
      }
    }
  });

  it('quotes only text that stands in the clause', () => {
    for (const c of doc.clauses) {
      const quote = lines(c.id, '这个有什么规定')[1]!.replace(/^原文：“|”$/g, '');
      for (const piece of quote.split(/[。…]/).filter(Boolean)) expect(c.text, c.id).toContain(piece);
    }
  });

  it('leads an English answer by kind, then the English summary with its figures', () => {
    const [lead, summary, citation] = lines('s2.2', 'How much is the apprentice subsidy?', 'en');
    expect(lead).toBe('The figure in the Implementation Plan: at least 4000 yuan per apprentice per year.');
    expect(summary).toContain('at least 4000 yuan per apprentice per year');
    expect(citation).toContain('According to the Implementation Plan, section 二(二)2');
    expect(lines('s1.3', 'Can people with disabilities get training?', 'en')[0]).toBe('Yes.');
    expect(lines('s2.2', 'Who can join the apprenticeship?', 'en')[0]).toBe(
      'Who it is for, as the Implementation Plan puts it:',
    );
  });

  it('keeps the summary answer when no question is given', () => {
    const reply = composePolicyAnswer({
      results: [{ clauseId: 's2.2' }],
      confidence: 1,
      doc,
      locale: 'zh-CN',
      t: translators['zh-CN'],
    });
    expect(reply.text.split('\n')[0]).toBe(clause('s2.2').summary['zh-CN']);
  });
});
