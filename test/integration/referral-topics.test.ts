import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { allText, person, testRuntime } from '../support/converse';

/**
 * Questions the plan does not answer, about things a worker often asks the bureau (unemployment benefit, the
 * minimum wage, an injury at work, travel money, number plates): an honest "not in the plan" and where to go,
 * never a clause of the plan that merely shares a word. And "where do I sign up" is a sign-up question.
 */
let runtime: Runtime;
beforeAll(async () => {
  runtime = await testRuntime();
});
afterAll(async () => {
  await runtime.close();
});

const ask = (text: string) => person(runtime, 'referral').say(text);

describe('topics outside the plan are referred, not answered from a clause', () => {
  it.each([
    ['失业金每个月能领多少', '社保经办'],
    ['unemployment benefit how to apply', 'social insurance desk'],
    ['昭通的最低工资标准是多少', '劳动保障监察'],
    ['我在工地干活摔伤了找谁', '劳动保障监察'],
    ['出去打工的车费能报销吗', '公共就业服务机构'],
    ['摩托车上牌要带什么', '车管所'],
    ['我想开个小卖部，执照咋个办', '市场监督管理'],
    ['个体户营业执照在哪里办', '市场监督管理'],
    ['电工证弄丢了，能补一个不', '发证'],
    ['my welding certificate got lost, how do I get a new one', 'issued it'],
    ['个人交税的税率是好多', '12366'],
    ['安置房可以出租不', '住房和城乡建设局'],
    ['失业登记在哪里办', '公共就业服务机构'],
    ['灵活就业的人社保咋个交', '社保经办'],
    ['the factory hasnt paid us for two months', 'labour inspection'],
    ['电工证在四川也认吗', '人社'],
    ['评中级职称要什么条件', '职称'],
    ['鉴定没考过，还能再考一次不', '补考'],
    ['想开一家电脑培训学校，要办啥手续', '办学许可'],
    ['跑网约车要考哪些证', '交通运输'],
    ['去浙江进厂，老板管吃管住不', '公共就业服务机构'],
    ['企业带徒弟的补贴一般多久拨下来', '拨付'],
    ['when will the apprenticeship money be paid to the company', 'payment schedule'],
    ['今年全市焊工比赛在哪报名', '比赛通知'],
    ['焊工证到期了去哪换证', '发证'],
    ['做餐饮要办健康证吗', '卫生'],
    ['what licence do I need to open a small restaurant', 'market regulation'],
    ['工资都两个月没到账了咋办', '劳动保障监察'],
    ['残疾人找到工作以后低保还有没有', '民政'],
    ['The boss hasn’t paid me since October', 'labour inspection'],
    // The plan never speaks of medical insurance, even for trainees.
    ['参加技能培训那段时间，医保由哪个给交', '12393'],
    ['Does the skills training programme come with health insurance?', '12393'],
    // The plan sets targets; how far they were met is the bureau's to say.
    ['每年培训40万人次的任务完成了没有', '完成情况'],
    ['Did the city actually meet its training target last year?', 'how far they were met'],
    // The plan gives no end date: whether it still applies is the bureau's to say.
    ['这份文件现在还管用不', '没有写有效期'],
    ['Is this policy still in force?', 'does not say until when'],
    ['花椒苗子在哪点买得到', '农业农村局'],
    ['where can i buy piglets for my farm', 'agriculture'],
    ['读技校一学期学费要好多', '招生办'],
    ['How much is the tuition at a technical school?', 'admissions'],
    ['我是外省户口，能在昭通参加培训不', '户籍'],
    ['Can non-local people join the training here?', 'household registration'],
  ])('%s', async (question, where) => {
    const r = await ask(question);
    expect(r.answer).toBe('abstain');
    expect(r.citations).toEqual([]);
    expect(allText(r)).toContain(where);
  });

  it('"my subsidy" and "my certificate" are still the person\'s own records, not a referral', async () => {
    expect((await ask('我的补贴到账没有')).intent).toBe('subsidy.status');
    expect((await ask('我的证书怎么查')).intent).toBe('certificates.mine');
    expect((await ask('How can I check my certificate?')).intent).toBe('certificates.mine');
  });

  it('keeps in-plan questions that share words with the new topics out of them', async () => {
    for (const [text, notSaid] of [
      ['农村户口的可以参加免费培训吗', '户籍'],
      ['报名培训要带户口本吗', '户籍'],
      ['退役军人现在适用哪些培训政策', '有效期'],
      ['这个补贴对残疾人还适用吗', '有效期'],
      ['学徒培训任务完成了可以领补贴吗', '完成情况'],
      ['Is there training targeted at young people who have completed high school?', 'how far they were met'],
    ] as const) {
      expect([text, allText(await ask(text)).includes(notSaid)]).toEqual([text, false]);
    }
  });

  it('takes "is my certificate still valid" as about the certificate, not about the plan\'s end date', async () => {
    const r = await ask('我的电工证现在还有效吗');
    expect(allText(r)).not.toContain('有效期');
  });

  it('still answers what the plan says of skilled people brought in from elsewhere', async () => {
    const r = await ask('外地引进的技术人才来了有啥待遇');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s9');
  });

  it('does not refer a plain statement about oneself ("我有驾照") to an office', async () => {
    const r = await ask('我有摩托车驾照');
    expect(r.answer).not.toBe('abstain');
    expect(allText(r)).not.toContain('车管所');
  });

  it('still answers what the plan does say about training costs and tax', async () => {
    const r = await ask('企业职工教育经费税前扣除比例是多少');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s14');
    expect(allText(r)).toContain('8%');
  });

  it('still answers what the plan does say about unemployment insurance and skills', async () => {
    const r = await ask('失业保险支持技能提升是怎么回事');
    expect(r.answer).toBe('policy');
    expect(r.citations.length).toBeGreaterThan(0);
  });
});

describe('"where do I sign up"', () => {
  it('is a sign-up question, not "which courses have I signed up for"', async () => {
    for (const text of ['在哪报名', '去哪点报名？', '请问哪里可以报名']) {
      const r = await ask(text);
      expect(r.intent, text).toBe('enrol.start');
      expect(allText(r), text).not.toContain('您还没有报名任何课程');
    }
    expect((await ask('我报了哪些课')).intent).toBe('enrol.list');
  });

  it('"我不报名了" is withdrawing a sign-up, not "show my sign-ups"', async () => {
    for (const text of ['我不报名了', '不想报了'])
      expect((await ask(text)).intent, text).toBe('enrol.cancel');
  });
});
