import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/app/knowledge';
import { createHomophoneCorrector } from '../../src/core/nlu/homophone-corrector';
import { createSpellingCorrector } from '../../src/core/nlu/spelling-corrector';

const { tokenizer } = loadKnowledge();

describe('homophone slips of a pinyin keyboard', () => {
  const corrector = createHomophoneCorrector(tokenizer, [
    '下岗',
    '申领',
    '两后生',
    '建档立卡',
    '失业',
    '事业',
    '技能竞赛',
    '创业',
    '培训师',
    '我市',
  ]);

  it('puts back the known term a slip sounds like, fuzzy sounds (农明/农民, 失叶/失业) included', () => {
    expect(corrector.correct('下刚职工再就业')).toBe('下岗职工再就业');
    expect(corrector.correct('申零补贴')).toBe('申领补贴');
    expect(corrector.correct('兩後生培訓')).toContain('两后生');
    expect(corrector.correct('见档立卡户')).toBe('建档立卡户');
    expect(corrector.correct('失叶人员')).toBe('失业人员');
    expect(corrector.correct('技能竟赛')).toBe('技能竞赛');
  });

  it('leaves real words, function characters and words cut in two alone', () => {
    expect(corrector.correct('事业单位')).toBe('事业单位');
    expect(corrector.correct('培训是免费的不')).toBe('培训是免费的不');
    expect(corrector.correct('医保怎么交')).toBe('医保怎么交');
    expect(corrector.correct('I lost my job')).toBe('I lost my job');
  });

  it('reads a function character beside one character as the function word it looks like, not a slip', () => {
    // 是 after a word (培训是 ≠ 培训师) or after 我 (我是 ≠ 我市); 也 after one character (创也 ≠ 创业).
    expect(corrector.correct('这个培训是哪个办的')).toBe('这个培训是哪个办的');
    expect(corrector.correct('我是残疾人')).toBe('我是残疾人');
    expect(corrector.correct('返乡创也有啥扶持')).toBe('返乡创也有啥扶持');
  });

  it('leaves everyday sentences alone on the plan’s whole vocabulary (月少 is no 月嫂, 老是 no 老师)', () => {
    const { policy } = loadKnowledge();
    for (const text of [
      '上月少了五十块，找谁',
      '你帮我选吧',
      '我老是学不会怎么办',
      '能不能改个时间',
      '你们这边管你吃住吗',
      '这个课是免费的吗',
      '工资全不给',
      '报名不分男女',
      '他比你大',
      '这是人社局的吗',
      '我想上个培训班',
      '这土都不行',
    ])
      expect(policy.index.correctTypos(text)).toBe(text);
  });
});

describe('English spelling slips', () => {
  const corrector = createSpellingCorrector(['training', 'apprenticeship', 'entrepreneurship', 'veteran']);

  it('puts back a known word one or two letters off', () => {
    expect(corrector.correct('veteran traning')).toBe('veteran training');
    expect(corrector.correct('apprentiship subsidy')).toBe('apprenticeship subsidy');
    expect(corrector.correct('Entrepeneurship')).toBe('entrepreneurship');
  });

  it('leaves short words and words far from any known one', () => {
    expect(corrector.correct('is it free')).toBe('is it free');
    expect(corrector.correct('hospital bills')).toBe('hospital bills');
  });
});
