import { describe, expect, it } from 'vitest';
import { asksAboutCost, detectQuestionKind, yesNoForm } from '../../src/core/policy/question-kind';

describe('question kind', () => {
  it.each([
    ['学徒制补贴多少钱', 'amount'],
    ['当学徒一年补多少', 'amount'],
    ['好多钱一个月', 'amount'],
    ['见档立卡贫困劳动力一年培训几次', 'amount'],
    ['企业职工教育经费扣除比例是多少', 'amount'],
    ['How much is the apprentice subsidy?', 'amount'],
    ['how many people will be trained by 2020', 'amount'],
    ['屋头有几个娃想学厨师，一年能学几回', 'amount'],
    // 几个 in a statement before the question means "a few": the question asks yes or no.
    ['我会编竹篮 想收几个徒弟教 上头支持不', 'yesno'],
    // 哪几个 asks which, not how many.
    ['这个方案是按哪几个文件定的', 'what'],
    // 十几年 is "ten-odd years", no question.
    ['干了十几年的电工，能去考技师不', 'yesno'],
    ['学徒制谁能参加', 'who'],
    ['哪些人可以参加创业培训', 'who'],
    ['哪个可以报这个培训', 'who'],
    ['要什么条件才能参加', 'who'],
    ['Who can join the apprenticeship?', 'who'],
    ['Am I eligible for the subsidy?', 'who'],
    ['雨露计划怎么申请', 'how'],
    ['啷个报名', 'how'],
    ['咋个报名参加培训', 'how'],
    ['补贴如何申领', 'how'],
    ['How do I apply for the subsidy?', 'how'],
    // Whether one can, not how: 申请/报名 alone do not make a how question.
    ['网上能报名不', 'yesno'],
    ['可以申请补贴吗', 'yesno'],
    ['Can I sign up online?', 'yesno'],
    ['网上报名怎么弄', 'how'],
    ['在哪里报名', 'where_when'],
    ['培训在哪点上课', 'where_when'],
    ['什么时候开班', 'where_when'],
    ['培训要多久', 'where_when'],
    ['Where can I sign up?', 'where_when'],
    ['When does the training start?', 'where_when'],
    ['两后生是什么人', 'what'],
    ['送技下乡是啥子', 'what'],
    ['一人一技是啥意思', 'what'],
    ['退伍回来能参加什么培训', 'what'],
    ['建档立卡户有什么培训补贴', 'what'],
    ['What is the Spread Wings action?', 'what'],
    ['参加培训要钱吗', 'yesno'],
    ['要钱不', 'yesno'],
    ['收不收费', 'yesno'],
    ['残疾人能参加培训吗', 'yesno'],
    ['我这种情况得不得', 'yesno'],
    ['学徒志有补贴没得', 'yesno'],
    ['整得成不', 'yesno'],
    ['能不能去技工学校', 'yesno'],
    ['Is the training free?', 'yesno'],
    ['Can veterans get training?', 'yesno'],
    ['学徒制补贴', 'other'],
    ['', 'other'],
  ])('%s → %s', (q, kind) => {
    expect(detectQuestionKind(q)).toBe(kind);
  });

  it('tells cost questions apart', () => {
    for (const q of [
      '参加培训要钱吗',
      '要钱不',
      '收不收费',
      '是不是免费的',
      'Is the training free?',
      'Do I have to pay?',
    ]) {
      expect(asksAboutCost(q), q).toBe(true);
    }
    for (const q of ['学徒制补贴多少钱', '残疾人能参加培训吗', 'Who can join?']) {
      expect(asksAboutCost(q), q).toBe(false);
    }
  });

  it('echoes how a yes/no question is put', () => {
    expect(yesNoForm('学徒志有补贴没得')).toBe('have');
    expect(yesNoForm('村里会办培训班不')).toBe('will');
    expect(yesNoForm('要培训80万人次吗')).toBe('is');
    expect(yesNoForm('残疾人能参加培训吗')).toBe('can');
    expect(yesNoForm('两后生是不是指没考上的学生')).toBe('is');
  });
});
