import { describe, expect, it } from 'vitest';
import { allText, runtimeWithPeople } from '../support/converse';

const { fresh } = runtimeWithPeople('everyday');

/** What people say around their questions: their story, small talk, the plan as a whole, words that look alike. */
describe('answers to everyday messages', () => {
  it('answers training for a group the plan has a clause for, even when the person tells their story first', async () => {
    for (const [text, clause] of [
      [
        'I served in the army for eight years and came home last month. Is there job training for me?',
        's1.3',
      ],
      ['厂里把我裁了，在家闲了半年，失业的人能参加啥培训', 's3.2'],
      ['What does 两后生 actually mean?', 's1.2'],
    ] as const) {
      const r = await fresh().say(text);
      expect([text, r.answer, r.citations[0]]).toEqual([text, 'policy', clause]);
    }
    // …but not a sum of money the clause never gives.
    const money = await fresh().say('退伍军人参加培训一天补多少钱');
    expect(money.citations).toEqual([]);
  });

  it('answers what the plan as a whole is about from its goals, not with the menu or "not covered"', async () => {
    for (const text of ['这份文件主要讲的啥', 'What is this policy about?']) {
      const r = await fresh().say(text);
      expect([text, r.intent, r.citations[0]]).toEqual([text, 'policy.ask', 'p1']);
    }
    // A question about one part of the plan is not a question about all of it.
    expect((await fresh().say('方案讲了哪些补贴')).citations[0]).not.toBe('p1');
  });

  it('switches language only when asked to, not when a language is the subject', async () => {
    for (const text of ['How do I find work teaching English in Zhaotong?', '有没有英语培训班']) {
      const r = await fresh().say(text);
      expect(r.intent, text).not.toBe('language.switch');
      expect(
        r.events.some((e) => e.type === 'locale_changed'),
        text,
      ).toBe(false);
    }
    expect((await fresh().say('please answer in English')).intent).toBe('language.switch');
  });

  it('answers how the plan helps a group as a question, and still shows the menu to who asks what the bot can do', async () => {
    const r = await fresh().say('How can the plan help women in villages?');
    expect(r.intent).toBe('policy.ask');
    for (const text of ['你都会什么', 'what can this bot do'])
      expect((await fresh().say(text)).intent).toBe('help');
  });

  it('says honestly that it is a program, and answers small talk without "the plan does not cover this"', async () => {
    const bot = await fresh().say('你是不是机器人啊');
    expect(bot.intent).toBe('unknown');
    expect(allText(bot)).toMatch(/程序|不是真人/);
    expect(allText(bot)).not.toContain('没有找到');
    const en = await fresh().say('are you a real person?');
    expect(allText(en)).toMatch(/not a person/);
    const chat = await fresh().say('吃饭了没有');
    expect(allText(chat)).not.toContain('没有找到');
    expect(allText(chat)).toContain('培训');
  });

  it('leaves subsidies that are not for training to their office instead of showing the person’s training claims', async () => {
    const r = await fresh().say('退耕还林补贴什么时候发');
    expect(r.intent).not.toBe('subsidy.status');
    expect(allText(r)).toContain('农业');
  });

  it('gives no exam answers and says where to ask', async () => {
    const r = await fresh().say('焊工鉴定考试有没有题库发一份');
    expect(r.citations).toEqual([]);
    expect(r.answer).toBe('abstain');
    expect(allText(r)).toMatch(/题目|答案/);
    expect(allText(r)).toContain('培训机构');
  });

  it('shows the person’s own sign-ups when they ask whether the one they made went through', async () => {
    const r = await fresh().say('我前几天报的名，通过了没有');
    expect(r.intent).toBe('enrol.list');
  });

  it('answers "which department" after an answer from the clause just cited, in both languages', async () => {
    const en = fresh();
    await en.say('What is the apprenticeship subsidy?');
    const who = await en.say('which office is in charge of it?');
    expect(who.citations[0]).toBe('s2.2');
    const zh = fresh();
    await zh.say('我是残疾人，想学门手艺');
    const r = await zh.say('哪个部门管这一块');
    expect(r.citations[0]).toBe('s1.3');
    expect(r.replies[0]?.text).toMatch(/^牵头负责的是：.*残联/);
  });

  it('does not take 家政 out of 国家政策 or 护工 out of 保护工人', async () => {
    const policy = await fresh().say('国家政策对农民工学技术有没有补贴');
    expect(policy.intent).toBe('policy.ask');
    expect(policy.citations[0]).toBe('s1.1');
    expect(allText(policy)).not.toContain('家政');
    expect(allText(await fresh().say('保护工人权益的培训有没有'))).not.toContain('护工');
  });

  it('says "yes" when the plan names what was asked in its own word, and not to a judgement it never makes', async () => {
    const potato = await fresh().say('种土豆的有没有培训');
    expect(potato.citations[0]).toBe('s1.4');
    expect(potato.replies[0]?.text).toMatch(/^有。/);
    const hard = await fresh().say('考技师证难不难');
    expect(hard.replies[0]?.text).not.toMatch(/^(是的|有|可以)。/);
  });

  it('answers a request to explain a part of the plan, as officials write it', async () => {
    const r = await fresh().say('请介绍一下方案在创业创新培训方面的主要措施');
    expect(r.intent).toBe('policy.ask');
    expect(['s4', 's4.1']).toContain(r.citations[0]);
  });

  it('says the plan lists no sign-up documents and where the class’s own list is, without citing the online platform', async () => {
    const r = await fresh().say('报个培训班需要准备哪些证件');
    expect(r.citations).toEqual([]);
    expect(r.answer).toBe('abstain');
    expect(allText(r)).toContain('要带什么');
    // Someone who wants to sign up goes on signing up.
    expect((await fresh().say('我想报名学电焊，要准备什么资料')).intent).toBe('enrol.start');
  });

  it('reads 好几年 as "several years", not as a question about a figure', async () => {
    const r = await fresh().say('交了好几年失业保险，能拿来参加技能提升培训不');
    expect(r.citations[0]).toBe('s2.4');
    expect(allText(r)).not.toContain('没有写这个具体数字');
  });

  it('reads a question it cannot place alone with the answer just given, when that surely stays on its clause, and a new subject on its own', async () => {
    const p = fresh();
    await p.say('企业新型学徒制一个学徒补多少');
    const r = await p.say('啥样的企业才能拿到');
    expect(r.citations[0]).toBe('s2.2');
    expect(r.answer).toBe('policy');
    const q = fresh();
    await q.say('学徒制企业一年补多少');
    expect((await q.say('新型职业农民咋个培养')).citations[0]).toBe('s1.4');
  });

  it('understands highly skilled workers and losing one’s job in English', async () => {
    expect((await fresh().say('Are there rewards for highly skilled workers?')).citations[0]).toBe('s11');
    expect(
      (await fresh().say('What training is there for people who lose their jobs when a coal mine is shut?'))
        .citations[0],
    ).toBe('s3.1');
  });
});

describe('answers to what people add around their question', () => {
  it('reads a story of where, when and how old as the story, not as the question', async () => {
    const r = await fresh().say('我在彝良挖了二十年煤，去年矿上关了，五十一岁了，我这种的政府给不给培训');
    expect(r.citations[0]).toBe('s3.1');
    const teen = await fresh().say('两后生 training 都教些啥 content 是什么');
    expect(teen.citations[0]).toBe('s1.2');
  });

  it('answers whether one can sign up by phone from the online platform, and what new staff are taught', async () => {
    const phone = await fresh().say('在手机上能报名吗');
    expect(phone.citations[0]).toBe('s8');
    expect(allText(phone)).toContain('网上报名');
    const staff = await fresh().say('What training do newly hired workers get?');
    expect(staff.intent).toBe('policy.ask');
    expect(staff.citations[0]).toBe('s2.1');
  });

  it('shows the menu to "what can you do for me" and says it only knows training to small talk', async () => {
    expect((await fresh().say('你可以帮我做啥')).intent).toBe('help');
    const chat = await fresh().say('中午吃什么好');
    expect(chat.intent).toBe('unknown');
    expect(allText(chat)).not.toContain('没有找到');
  });

  it('hands over to a person who says the machine cannot understand them', async () => {
    const r = await fresh().say('和机器人讲不清 叫个人来');
    expect(r.intent).toBe('handoff.human');
  });

  it('gives the hotlines for a college’s phone, and reads 技师学院 as a school, not a trade', async () => {
    const r = await fresh().say('昭通技师学院的电话多少');
    expect(r.citations).toEqual([]);
    expect(allText(r)).toContain('12345');
    expect(r.intent).not.toBe('course.search');
  });

  it('does not show the person’s own claims when asked about a friend’s subsidy', async () => {
    const r = await fresh().say('我同学的补贴到账了没有');
    expect(r.intent).not.toBe('subsidy.status');
    expect(allText(r)).not.toContain('申请记录');
  });

  it('refers whether a certificate can be used elsewhere, and signs up, not lists, who says "帮我报一个"', async () => {
    const cert = await fresh().say('在昭通考的育婴师证可以去外省用不');
    expect(cert.citations).toEqual([]);
    expect(allText(cert)).toContain('证书');
    const wish = await fresh().say('有电商培训的话帮我报一个');
    expect(wish.intent).not.toBe('enrol.list');
    expect(allText(wish)).not.toContain('还没有报名');
  });
});

describe('what the review of these rules found', () => {
  it('keeps the language when a language is only the subject, and understands which one is wanted', async () => {
    for (const text of ['有用英语教的班吗', '我要考英语四级，有培训吗', 'Is the training in Chinese only?']) {
      expect((await fresh().say(text)).intent, text).not.toBe('language.switch');
    }
    const zh = await fresh().say('不要英文');
    expect(zh.intent).toBe('language.switch');
    expect(allText(zh)).toContain('中文');
  });

  it('hands over when asked to even if the person also asks whether it is a robot', async () => {
    expect((await fresh().say('你是不是机器人？我要转人工')).intent).toBe('handoff.human');
  });

  it('does not take questions about robots, meals, dates or courses for small talk or the menu', async () => {
    expect((await fresh().say('能学工业机器人吗')).intent).not.toBe('unknown');
    expect(allText(await fresh().say('参加培训管吃饭没有'))).not.toContain('谢谢关心');
    expect((await fresh().say('这个可以什么时候报名')).intent).not.toBe('help');
    expect((await fresh().say('What can you do for veterans?')).intent).toBe('policy.ask');
  });

  it('lists one’s sign-ups when someone else signed the person up, and reads "答案" as an answer, not an exam', async () => {
    expect((await fresh().say('帮我报名了吗')).intent).toBe('enrol.list');
    expect(allText(await fresh().say('你刚才那个答案有没有依据'))).not.toContain('考试的题目');
  });

  it('answers "what is this policy about" right after an answer from that answer’s clause', async () => {
    const p = fresh();
    await p.say('学徒制补贴多少钱');
    expect((await p.say('这个政策主要内容是什么')).citations[0]).toBe('s2.2');
  });

  it('never says yes to whether something is worth it, and keeps 家政 in 家政务工', async () => {
    const r = await fresh().say('学徒制靠不靠谱');
    expect(r.replies[0]?.text).not.toMatch(/^(是的|有|可以)。/);
    expect((await fresh().say('我想做家政务工，有培训吗')).citations).toContain('s2.6');
  });
});
