import { readFileSync } from 'node:fs';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/core/domain';
import type { Translate } from '../../src/core/i18n';
import { composePolicyAnswer } from '../../src/core/policy/policy-answer';
import {
  createPolicyKnowledge,
  POLICY_CONFIDENCE_THRESHOLD,
  type PolicyKnowledge,
} from '../../src/core/policy/policy-index';
import { PolicyDataError, parsePolicyDocument } from '../../src/core/policy/policy-loader';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const policyJson = read('data/policies/zhaotong-2019.json');

/** Every ID in shared/docs/policy-clause-ids.md, in order. */
const CLAUSE_IDS = [
  'intro',
  'p1',
  's1',
  's1.1',
  's1.2',
  's1.3',
  's1.4',
  's2',
  's2.1',
  's2.2',
  's2.3',
  's2.4',
  's2.5',
  's2.6',
  's2.7',
  's3',
  's3.1',
  's3.2',
  's3.3',
  's4',
  's4.1',
  's4.2',
  's5',
  's6',
  's7',
  's8',
  's9',
  's10',
  's11',
  's12',
  's13',
  's14',
  's15',
];

let knowledge: PolicyKnowledge;
const translators = {} as Record<Locale, Translate>;

beforeAll(async () => {
  knowledge = createPolicyKnowledge({
    policyJson,
    synonymsJson: read('data/nlu/synonyms.json'),
    userDict: read('data/nlu/userdict-policy.txt'),
    groupsJson: read('data/policies/zhaotong-2019-groups.json'),
  });
  const i18n = i18next.createInstance();
  await i18n.init({
    lng: 'zh-CN',
    resources: {
      'zh-CN': { policy: JSON.parse(read('locales/zh-CN/policy.json')) },
      en: { policy: JSON.parse(read('locales/en/policy.json')) },
    },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  } as Parameters<typeof i18n.init>[0]);
  for (const locale of ['zh-CN', 'en'] as const) {
    const t = i18n.getFixedT(locale);
    translators[locale] = (key, params) => String(t(key, params));
  }
});

const ask = (q: string, locale: Locale) => {
  const results = knowledge.index.search(q);
  const confidence = knowledge.index.confidence(results);
  return composePolicyAnswer({ results, confidence, doc: knowledge.doc, locale, t: translators[locale] });
};

describe('policy data', () => {
  it('has exactly the clause IDs of the citation table, with the corrected official numbering', () => {
    expect(knowledge.doc.clauses.map((c) => c.id)).toEqual(CLAUSE_IDS);
    expect(knowledge.index.clause('s2.2')?.ref).toBe('二(二)2');
    expect(knowledge.index.clause('s11')?.ref).toBe('三(十一)');
    expect(knowledge.index.clause('s15')?.ref).toBe('四(十五)');
  });

  it('states no figure in a summary that the clause text does not contain', () => {
    for (const clause of knowledge.doc.clauses) {
      // The English summaries may write 40万 as 400,000.
      const text = clause.text.replace(/(\d+)万/g, (m, n: string) => `${m} ${Number(n) * 10_000}`);
      const figures = new Set(text.match(/\d+/g) ?? []);
      for (const summary of Object.values(clause.summary)) {
        for (const figure of summary.replace(/(\d),(\d{3})/g, '$1$2').match(/\d+/g) ?? []) {
          expect(figures, `${clause.id}: ${figure}`).toContain(figure);
        }
      }
    }
  });
});

describe('policy search', () => {
  it('finds the apprenticeship clause for an English question', () => {
    const results = knowledge.index.search('How much is the apprentice subsidy?');
    expect(results[0]?.clauseId).toBe('s2.2');
    expect(knowledge.index.confidence(results)).toBeGreaterThanOrEqual(POLICY_CONFIDENCE_THRESHOLD);
  });

  it('reads "方案中职业…" as 方案中 + 职业…, not as 中职 (a vocational school)', () => {
    const results = knowledge.index.search('本方案中职业技能培训依靠什么作为主要载体');
    expect(results[0]?.clauseId).toBe('p1');
    // The vocational-school clause that 中职 would bring in is not even a runner-up.
    expect(results.slice(0, 2).map((r) => r.clauseId)).not.toContain('s1.2');
  });

  it('reads colloquial Chinese and a typo through the synonym table', () => {
    expect(knowledge.index.search('当学徒一年补多少')[0]?.clauseId).toBe('s2.2');
    expect(knowledge.index.search('见档立卡的一年能培训几次')[0]?.clauseId).toBe('s1.1');
    expect(knowledge.index.search('娃儿没考上高中咋办')[0]?.clauseId).toBe('s1.2');
  });

  it('answers a group’s money question from the clause about that group, not the one listing it beside 补贴', () => {
    // s2.5 names 建档立卡 in a list and the subsidy policy; s1.1 is the clause about them.
    expect(knowledge.index.search('建档立卡户培训免费不')[0]?.clauseId).toBe('s1.1');
    expect(knowledge.index.search('易地扶贫搬迁的人培训要钱不')[0]?.clauseId).toBe('s2.5');
    // A subject the group's clause does not hold keeps its own clause; no group, no change.
    expect(knowledge.index.search('学徒制企业有补贴吗')[0]?.clauseId).toBe('s2.2');
    expect(knowledge.index.search('培训要钱吗')[0]?.clauseId).toBe('s2.5');
  });

  it('prefers the numbered item to the group that holds it', () => {
    expect(knowledge.index.search('两后生培训')[0]?.clauseId).toBe('s1.2');
    expect(knowledge.index.search('下岗失业人员再就业培训')[0]?.clauseId).toBe('s3.2');
  });

  it.each(['今天天气怎么样', 'asdfgh', '😀😀😀', 'what is the weather like today', '给我讲个笑话', '培训'])(
    'has low confidence for off-topic or empty-of-topic text: %s',
    (q) => {
      expect(knowledge.index.confidence(knowledge.index.search(q))).toBeLessThan(POLICY_CONFIDENCE_THRESHOLD);
    },
  );

  it('returns without throwing for a 10,000-character message and for emoji only', () => {
    const long = '学徒制补贴'.repeat(1000) + '😀'.repeat(5000);
    expect(() => knowledge.index.search(long)).not.toThrow();
    expect(knowledge.index.search('🙂🙂🙂👍')).toEqual([]);
    expect(knowledge.index.confidence([])).toBe(0);
    expect(knowledge.index.search('')).toEqual([]);
  });

  it('limits the number of results', () => {
    expect(knowledge.index.search('培训补贴', 2)).toHaveLength(2);
  });
});

describe('policy answer', () => {
  it('gives the exact subsidy figure, the citation and whom to contact', () => {
    const zh = ask('学徒制补贴多少钱', 'zh-CN');
    expect(zh.text).toContain('4000元');
    expect(zh.text).toContain('《实施方案》二(二)2“全面推行企业新型学徒制”');
    expect(zh.text).toContain('市教体局、市人社局');
    expect(zh.citations).toEqual(['s2.2']);
    expect(zh.choices.map((c) => c.label)).toEqual([
      '看看相关培训课程',
      '我要报名',
      '转人工：请工作人员在这里回复我',
    ]);

    const en = ask('How much is the apprentice subsidy?', 'en');
    expect(en.text).toContain('4000 yuan');
    expect(en.text).toContain('According to the Implementation Plan, section 二(二)2');
    expect(en.text).toContain('City Human Resources and Social Security Bureau');
    expect(en.choices.map((c) => c.label)).toContain('See matching courses');
  });

  it('points to the 12333 hotline when the clause names no department', () => {
    const answer = ask('这个方案是依据哪些文件制定的', 'zh-CN');
    expect(answer.citations).toEqual(['intro']);
    expect(answer.text).toContain('12333');
    expect(answer.text).toContain('国发〔2018〕11号');
  });

  it('says it is not sure below the threshold and offers the closest clauses and a person', () => {
    const results = knowledge.index.search('学徒制补贴');
    const answer = composePolicyAnswer({
      results,
      confidence: 0.1,
      doc: knowledge.doc,
      locale: 'zh-CN',
      t: translators['zh-CN'],
    });
    expect(answer.text).toContain('不太确定');
    expect(answer.citations).toEqual([]);
    expect(answer.choices).toHaveLength(3);
    expect(answer.choices[0]).toEqual({ label: '全面推行企业新型学徒制', kind: 'clause', clauseId: 's2.2' });
    expect(answer.choices.at(-1)).toMatchObject({
      kind: 'human',
      label: expect.stringContaining('工作人员'),
    });
  });

  it('says it found nothing for text with no match at all', () => {
    const answer = ask('asdfgh', 'en');
    expect(answer.text).toContain("couldn't find");
    expect(answer.choices.map((c) => c.label)).toEqual(['Ask a staff member to reply here']);
  });
});

describe('policy loader', () => {
  const doc = () => JSON.parse(policyJson) as { clauses: Record<string, unknown>[] };

  it('rejects a clause with a missing field and names it', () => {
    const broken = doc();
    delete broken.clauses[3]!.summary;
    expect(() => parsePolicyDocument(JSON.stringify(broken))).toThrow(PolicyDataError);
    expect(() => parsePolicyDocument(JSON.stringify(broken))).toThrow(/clauses\[3\]\.summary/);
  });

  it('rejects duplicate IDs, unknown parents and text that is not JSON', () => {
    const duplicate = doc();
    duplicate.clauses[1]!.id = 'intro';
    expect(() => parsePolicyDocument(JSON.stringify(duplicate))).toThrow(/duplicate clause id "intro"/);
    const orphan = doc();
    orphan.clauses[4]!.parent = 's99';
    expect(() => parsePolicyDocument(JSON.stringify(orphan))).toThrow(/parent "s99"/);
    expect(() => parsePolicyDocument('{ not json')).toThrow(/not valid JSON/);
  });
});
