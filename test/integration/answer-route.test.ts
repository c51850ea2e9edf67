import { describe, expect, it } from 'vitest';
import { allText, runtimeWithPeople } from '../support/converse';

const { fresh } = runtimeWithPeople('route');

/** Each question, asked by a new person, is answered from the plan with this clause first. */
async function expectFirstCited(table: readonly (readonly [string, string])[]): Promise<void> {
  for (const [text, clause] of table) {
    const r = await fresh().say(text);
    expect([text, r.answer, r.citations[0]]).toEqual([text, 'policy', clause]);
  }
}

describe('one answer decision for what people type', () => {
  it('puts the plan’s basis before the course questions when someone wants training the plan names', async () => {
    const r = await fresh().say('想学天麻种植，有没有培训');
    expect(r.intent).toBe('course.search');
    expect(r.answer).toBe('both');
    expect(r.citations).toEqual(['s1.4']);
    expect(r.replies[0]?.text).toMatch(/^依据：《实施方案》/);
    expect(r.replies[0]?.text).toContain('天麻');
    // …and the course search still goes on: it asks where and what.
    expect(allText(r)).toContain('县区');
  });

  it('answers "有。" from the plan whether there is training for a kind of work or person, offering the courses', async () => {
    for (const [text, clause] of [
      ['天麻种植有培训吗', 's1.4'],
      ['当兵回来莫得手艺，有培训没得', 's1.3'],
      ['母婴户理有培训吗', 's2.6'],
    ] as const) {
      const r = await fresh().say(text);
      expect(r.intent, text).toBe('policy.ask');
      expect(r.answer, text).toBe('policy');
      expect(r.citations[0], text).toBe(clause);
      expect(r.replies[0]?.text, text).toMatch(/^有。/);
      expect(r.replies[0]?.choices?.join(' '), text).toMatch(/课程|培训班|找课/);
    }
    // Asking for a class, or where a trade the plan never names is taught, stays a course search.
    for (const text of ['有没有电工培训', '镇雄有没有电商培训班']) {
      const r = await fresh().say(text);
      expect(r.intent, text).toBe('course.search');
    }
  });

  it('takes a bare 学X with a money question as the plan’s word on subsidies, with the list and the courses', async () => {
    for (const text of ['学电脑有补贴吗', '学电焊有补贴吗']) {
      const r = await fresh().say(text);
      // What was asked is the plan's word on money; the courses follow it.
      expect(r.intent, text).toBe('policy.ask');
      expect(r.answer, text).toBe('both');
      expect(r.citations, text).toEqual(['s2.5', 's6']);
    }
    // …but "学完了" is no wish to learn: a question about the subsidy it is.
    expect((await fresh().say('学完了补贴发给我本人吗')).intent).toBe('policy.ask');
  });

  it('keeps a wish to learn that mentions a loan or a login a course search, and a finished sign-up the person’s own', async () => {
    for (const text of ['家里有贷款要还，我想学电焊', '我想学电焊，登不上网站']) {
      expect((await fresh().say(text)).intent, text).toBe('course.search');
    }
    const mine = await fresh().say('我们在网上报名了，啥时候通知');
    expect(mine.citations).toEqual([]);
    expect(mine.intent).not.toBe('policy.ask');
  });

  it('answers whether one can sign up online from the plan’s online platform, not by starting a sign-up', async () => {
    for (const text of ['网上能报名不', 'Can I sign up online?', '有没有 online 报名？']) {
      const r = await fresh().say(text);
      expect(r.intent, text).toBe('policy.ask');
      expect(r.citations[0], text).toBe('s8');
    }
    // Wanting to sign up online for a class is still a sign-up.
    expect((await fresh().say('我想在网上报名电焊班')).intent).toBe('enrol.start');
  });

  it('answers an official question whose words 安排/本方案/offer say nothing of the subject', async () => {
    expect((await fresh().say('方案安排了哪些职业技能宣传活动？')).citations[0]).toBe('s15');
    expect((await fresh().say('Which service jobs does the plan offer training for?')).citations[0]).toBe(
      's2.6',
    );
  });

  it('reads "where does the money come from" with words between, answering from the funding clause', async () => {
    for (const text of ['培训的钱到底从哪来', '培训的钱是哪个出嘛']) {
      const r = await fresh().say(text);
      expect(r.answer, text).toBe('policy');
      expect(r.citations[0], text).toBe('s14');
    }
  });

  it('cites nothing for a plain wish for a course, which names no subject the plan could speak to', async () => {
    for (const text of ['我想找个培训课程', 'I want a training course']) {
      const r = await fresh().say(text);
      expect(r.answer).toBe('course');
      expect(r.citations).toEqual([]);
    }
  });

  it('reads 上班 as work (not a class) and 有莫得 as "is there", answering from the plan with "有。"', async () => {
    const cases: [string, string][] = [
      ['在公司上班的人有没有提升技能的培训', 's2'],
      ['有莫得种竹子的培训', 's1.4'],
    ];
    for (const [text, clause] of cases) {
      const r = await fresh().say(text);
      expect(r.intent, text).toBe('policy.ask');
      expect(r.citations[0], text).toBe(clause);
      expect(allText(r), text).toMatch(/^有。/);
    }
    const online = await fresh().say('is it possible to enrol in the courses online');
    expect(online.intent).toBe('policy.ask');
    expect(online.citations[0]).toBe('s8');
  });

  it('answers when the plan was issued from the document record, citing the preamble', async () => {
    const zh = await fresh().say('这份文件是什么时候印发的');
    expect(zh.answer).toBe('policy');
    expect(zh.citations).toEqual(['intro']);
    expect(allText(zh)).toContain('2019年12月20日印发');
    const en = await fresh().say('What year was this plan published?');
    expect(en.citations).toEqual(['intro']);
    expect(allText(en)).toContain('20 December 2019');
    // A date of something else is not the plan's date.
    expect(allText(await fresh().say('结业证书什么时候发'))).not.toContain('2019年12月20日');
  });

  it('takes a wish to learn and sign up the plan cannot answer surely as a course search, not "did you mean…?"', async () => {
    const r = await fresh().say('我是残疾人 想学门技术 克哪点报名嘛');
    expect(r.intent).toBe('course.search');
    expect(['course', 'both']).toContain(r.answer);
    expect(allText(r)).toContain('县区');
  });

  it('keeps a course wish for a trade the plan never names a plain course search, citing nothing', async () => {
    const r = await fresh().say('想学开挖掘机');
    expect(r.intent).toBe('course.search');
    expect(r.answer).toBe('course');
    expect(r.citations).toEqual([]);
  });

  it('answers from the plan a question the classifier could not place but the plan answers', async () => {
    const r = await fresh().say('学徒制补贴多少钱');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s2.2');
    expect(allText(r)).toContain('4000');
  });

  it('gives the clause that names a trade with the course search (月嫂 → the services clause)', async () => {
    const r = await fresh().say('月嫂培训班有没得');
    expect(r.answer).toBe('both');
    expect(r.citations).toEqual(['s2.6']);
    expect(allText(r)).toContain('县区');
  });

  it('tells where a question for another office goes, whatever the words made the classifier guess', async () => {
    const cases: [string, RegExp][] = [
      ['低保咋个申请', /民政/],
      ['驾照在哪里考', /车管所|交管/],
      ['老板拖欠工资咋办', /劳动保障监察|仲裁/],
      ['老板拖欠工资去哪告', /劳动保障监察|仲裁/],
      // About an apprentice, but the plan could only offer near clauses: social insurance is another office's.
      ['当学徒期间厂里给交五险一金不', /社保/],
      ['where can I renew my ID card', /police station/],
      ['孩子读初中的营养餐补助咋个领', /教育/],
      // Loans are referred even when they come with 创业: the plan says nothing of them.
      ['创业贷款能贷多少', /没有写贷款/],
      // Platform passwords, asked or just said: the platform's own help, and no password is needed here.
      ['网上报名平台密码忘了咋办', /找回密码/],
      ['I forgot my password for the sign-up site', /forgot password/],
    ];
    for (const [text, where] of cases) {
      const r = await fresh().say(text);
      expect(r.answer, text).toBe('abstain');
      expect(r.citations, text).toEqual([]);
      expect(allText(r), text).toMatch(where);
    }
    // A question about training for such a group is still the plan's to answer.
    const r = await fresh().say('低保户能免费参加技能培训吗');
    expect(r.answer).not.toBe('abstain');
  });

  it('does not answer "有" to a question about a subsidy the quoted clause does not mention', async () => {
    const r = await fresh().say('创业培训有补贴吗');
    expect(r.citations[0]).toBe('s4.1');
    expect(r.replies[0]?.text).toMatch(/^《实施方案》没有直接写明这一点/);
    const apprentice = await fresh().say('学徒制有补贴吗');
    expect(apprentice.replies[0]?.text).toMatch(/^有。/);
  });

  it('reads past homophone and spelling slips (下刚, 两後生, apprentiship)', async () => {
    const cases: [string, string][] = [
      ['下刚职工再就业培训', 's3.2'],
      ['兩後生有什么培训', 's1.2'],
      ['apprentiship subsidy how much', 's2.2'],
    ];
    for (const [text, clause] of cases) {
      const r = await fresh().say(text);
      expect(r.citations[0], text).toBe(clause);
    }
  });

  it('says plainly that the plan does not cover a question, where to ask, and offers a person', async () => {
    const r = await fresh().say('医保怎么交');
    expect(r.answer).toBe('abstain');
    expect(r.citations).toEqual([]);
    expect(allText(r)).toContain('没有找到能回答这个问题的内容');
    expect(allText(r)).toMatch(/医保局|12393/);
    expect(r.replies.at(-1)?.choices?.join(' ')).toMatch(/工作人员/);
  });

  it('says the same in English', async () => {
    const r = await fresh().say('How do I pay for medical insurance?');
    expect(r.answer).toBe('abstain');
    expect(r.citations).toEqual([]);
    expect(allText(r)).toMatch(/found nothing in the Implementation Plan/i);
  });

  it('reads a short follow-up in the light of the policy question just answered', async () => {
    const p = fresh();
    expect((await p.say('学徒制是什么')).citations[0]).toBe('s2.2');
    const r = await p.say('补多少钱');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s2.2');
    expect(allText(r)).toContain('4000元');
  });

  it('asks what a question is about when it names no subject and nothing came before', async () => {
    const r = await fresh().say('那要什么条件');
    expect(r.answer).toBe('clarify');
    expect(r.citations).toEqual([]);
    expect(allText(r)).toContain('哪方面');
    expect(r.replies.at(-1)?.choices?.length).toBeGreaterThanOrEqual(3);
  });

  it('reports a greeting as neither a policy nor a course answer', async () => {
    const r = await fresh().say('你好');
    expect(r.answer).toBe('other');
    expect(r.citations).toEqual([]);
  });

  it('answers "想学X，有补贴吗" with the plan on subsidised trades and goes on to the courses', async () => {
    for (const text of ['想学厨师，政府有没有补贴', 'I want to learn welding. Is it free?']) {
      const r = await fresh().say(text);
      expect(r.intent).toBe('course.search');
      expect(r.answer).toBe('both');
      // The plan's word that training subsidies are put into practice, then where the list of trades is …
      expect(r.citations).toEqual(['s2.5', 's6']);
      expect(r.replies[0]?.text).toMatch(/落实职业培训补贴政策|subsidy policies into practice/);
      // … and it does not pretend the plan names the trade's subsidy …
      expect(r.replies[0]?.text).toMatch(/没有写哪个工种补多少钱|not how much any one trade/);
      // … and the course search still asks where.
      expect(allText(r)).toMatch(/县区|county/);
    }
  });

  it('does not quote a clause as the answer to a figure the plan never gives', async () => {
    const r = await fresh().say('技能大赛拿一等奖奖金是多少');
    expect(r.answer).toBe('abstain');
    expect(r.citations).toEqual([]);
    expect(r.replies[0]?.text).toContain('没有写这个具体数字');
    // The clause on the subject is offered to read, and a person.
    const labels = r.replies[0]?.choices ?? [];
    expect(labels.some((l) => l.startsWith('看看：'))).toBe(true);
    // A figure the plan does give is still answered.
    const apprentice = await fresh().say('学徒制补贴多少钱');
    expect(apprentice.citations).toEqual(['s2.2']);
    expect(apprentice.replies[0]?.text).toContain('4000元');
  });

  it('answers a question about a named programme instead of showing the menu', async () => {
    const r = await fresh().say('展翅行动是干嘛的');
    expect(r.intent).toBe('policy.ask');
    expect(r.citations).toEqual(['s2.4']);
    // "how does it work" is still the menu.
    const help = await fresh().say('怎么使用啊');
    expect(help.intent).toBe('help');
  });

  it('answers a question about what a kind of training covers from the plan, without the course questions', async () => {
    const r = await fresh().say('创业培训都教些什么内容');
    expect(r.intent).toBe('policy.ask');
    expect(r.citations).toEqual(['s4.1']);
    expect(allText(r)).not.toContain('您在哪个县区');
  });

  it('answers a question the classifier took for a request when the plan answers it surely', async () => {
    // Read as "list my sign-ups" because of "my"; the plan's clause on enterprises cutting capacity answers it.
    const r = await fresh().say('My factory shut down last month. Is there retraining for the workers?');
    expect(r.intent).toBe('policy.ask');
    expect(r.citations).toEqual(['s3.1']);
    // "How can I apply for my subsidy" is the procedure, not the status of one's own claim.
    const apply = await fresh().say('How can I apply for my training subsidy?');
    expect(apply.intent).toBe('policy.ask');
    expect(apply.citations).toEqual(['s8']);
    // A real status question stays one.
    const status = await fresh().say('我爸的补贴发了没');
    expect(status.intent).toBe('subsidy.status');
  });

  it('reads everyday words for the plan’s terms: 公司, 活到老学到老, 认证, 铺子', async () => {
    const cases: [string, string][] = [
      ['公司出钱培训员工，这笔钱能在税前扣除吗', 's14'],
      ['活到老学到老，政府的培训是终身的吗', 'p1'],
      ['技能等级认证在哪里搞', 's10'],
      ['想开个铺子，有创业培训没得', 's4.1'],
    ];
    for (const [text, clause] of cases) {
      const r = await fresh().say(text);
      expect([text, r.citations[0]]).toEqual([text, clause]);
    }
  });

  it('keeps questions about one’s own class, a person and our courses out of the plan’s clauses', async () => {
    // A class question with no course in view is about the person's own sign-ups, never "Yes." and a clause.
    for (const text of ['Is this class full?', 'Does it include lunch?', '这个班满了没']) {
      const r = await fresh().say(text);
      expect([text, r.intent, r.citations]).toEqual([text, 'enrol.list', []]);
    }
    // "the staff" is a person; "staff education funds" is not.
    expect((await fresh().say('Can I talk to the staff?')).intent).toBe('handoff.human');
    expect((await fresh().say('tax deduction for staff education funds')).intent).toBe('policy.ask');
    // A parent asking what a child can learn gets the courses too, not only a clause.
    const parent = await fresh().say('我儿子初中毕业了，能学什么');
    expect(parent.intent).toBe('course.search');
    // A course fee is not "a figure the plan never gives, ask the bureau".
    expect(allText(await fresh().say('学电工学费多少'))).not.toContain('没有写这个具体数字');
  });

  it('answers a wage, a fee or a veteran’s payment only with a figure of that kind, never a subsidy’s amount', async () => {
    for (const text of [
      '当学徒一个月工资有多少',
      '退役军人的退役金能拿多少',
      'How much salary does an apprentice earn?',
    ]) {
      const r = await fresh().say(text);
      expect([text, r.answer, r.citations]).toEqual([text, 'abstain', []]);
      expect(allText(r)).not.toMatch(/4000|1次/);
    }
    // The subsidy itself is still answered with its figure, also when it is called a training-fee subsidy.
    for (const text of ['企业带学徒一年补贴好多', '学徒制培训费补贴多少钱']) {
      const subsidy = await fresh().say(text);
      expect([text, subsidy.citations[0]]).toEqual([text, 's2.2']);
      expect(allText(subsidy)).toContain('4000元');
    }
  });

  it('gives a request to sign up for a trade the basis of the trade, not of the sign-up platform', async () => {
    const welding = await fresh().say('想学挖掘机，去哪里报名');
    expect(welding.citations).not.toContain('s8');
    const carer = await fresh().say('我想学养老护理，到哪点报名嘛');
    expect(carer.citations[0]).toBe('s2.6');
    // How to sign up at all is the plan's word on its sign-up platform.
    const how = await fresh().say('怎么报名参加培训，要去哪里');
    expect(how.citations[0]).toBe('s8');
  });

  it('answers whether the programme trains a trade it names from that trade’s clause, even put vaguely', async () => {
    const r = await fresh().say('政府会不会组织种花椒的技术培训');
    // A question about what the government does: answered directly ("会。"), the courses offered under it.
    expect(r.answer).toBe('policy');
    expect(r.replies[0]?.text).toMatch(/^会。/);
    expect(r.citations[0]).toBe('s1.4');
  });

  it('refers a question about health insurance in English, even one about the training programme', async () => {
    const r = await fresh().say('Will the skills training programme cover my health insurance?');
    expect(r.replies[0]?.text).not.toMatch(/^Yes/);
    expect(r.citations).toEqual([]);
    // "during the course" is any course, not the person's own class.
    const lunch = await fresh().say('Is lunch provided during the course?');
    expect(lunch.intent).not.toBe('enrol.list');
  });

  it("reads past the words of an official question (关于, 方案有何规定) and a worker's words for the plan's terms", async () => {
    await expectFirstCited([
      ['关于技能人才的激励，方案有何规定？', 's11'],
      ['上岗前公司要给新工人培训些什么', 's2.1'],
      ['省外的技术大牛来昭通工作有什么待遇', 's9'],
      ['实训基地会建到哪些县', 's8'],
    ]);
  });

  it("reads everyday English for the plan's terms (capacity cuts, eastern cities, the skills upgrading campaign)", async () => {
    await expectFirstCited([
      ['My mine is closing because of capacity cuts. Is there retraining for me?', 's3.1'],
      ['Do any eastern cities help Zhaotong with training?', 's5'],
      ['What does the skills upgrading campaign cover?', 's2.5'],
      // Start-up training is its own clause, not the plan's general "everyone at least once".
      ['Who can join start-up training?', 's4.1'],
    ]);
  });

  it('takes "as a staff member, I want to know…" as a question, not a request for staff', async () => {
    const r = await fresh().say('作为镇上的工作人员，想了解方案对培训质量评估有什么要求');
    expect(r.intent).toBe('policy.ask');
    expect(r.citations[0]).toBe('s6');
    // Asking for staff is still asking for staff, whoever one says one is.
    for (const text of [
      '我要找工作人员',
      '我是残疾人想找工作人员问问',
      '作为贫困户我想联系工作人员',
      'excavator operator training',
    ]) {
      const r = await fresh().say(text);
      expect([text, r.intent === 'handoff.human']).toEqual([text, text !== 'excavator operator training']);
    }
  });

  it('does not answer a general question about signing up with "you have signed up for nothing"', async () => {
    const r = await fresh().say('今年培训报名到几号截止');
    expect(r.intent).not.toBe('enrol.list');
    expect(allText(r)).not.toContain('您还没有报名任何课程');
    // One's own sign-ups are still one's own.
    expect((await fresh().say('我报名成功了没')).intent).toBe('enrol.list');
  });

  it('does not answer an either-or question with a bare yes', async () => {
    const p = fresh();
    await p.say('what do apprentices get paid by the government');
    const r = await p.say('Is that paid to the company or to the worker?');
    expect(r.citations[0]).toBe('s2.2');
    expect(r.replies[0]?.text).not.toMatch(/^Yes\./);
  });

  it('reads "要交钱不" in the middle of a course search as about that training, and goes on with the search', async () => {
    const p = fresh();
    await p.say('我想学开挖掘机');
    const r = await p.say('要交钱不');
    // The money question is the plan's (it is reported so); the courses follow it.
    expect(r.intent).toBe('policy.ask');
    expect(r.answer).toBe('both');
    expect(r.citations[0]).toBe('s2.5');
    expect(allText(r)).toContain('县区');
    // With no course search before it, it is still "which part of the plan?".
    expect((await fresh().say('要交钱不')).answer).toBe('clarify');
  });

  it('answers from the clause the search put far ahead, not from its parent group or a clause sharing one word', async () => {
    await expectFirstCited([
      // s2.1 (new hires) far ahead of s2 (all employees), whose keyword 员工 the question has too.
      ['刚招进厂的员工培训一般教点啥', 's2.1'],
      // s13 (骗补 in the funding clause) far ahead of s5, whose keyword 培训机构 the question has too.
      ['培训机构拿假名单骗补贴，政府管不管', 's13'],
    ]);
  });

  it("reads a worker's everyday words for the plan's terms (腿脚, 找个工作, 老师傅, 比赛拿奖, 文凭, 年度目标)", async () => {
    await expectFirstCited([
      ['我腿脚不好，想找份工作，能参加培训不', 's1.3'],
      ['学校缺老师，能把厂里的老师傅请来讲课吗', 's7'],
      ['比赛得了奖但是文凭低，能不能破格升等级', 's11'],
      ['农村劳动力培训每年的目标是多少人次', 's1.1'],
    ]);
  });

  it("reads everyday English for the plan's terms (already have a job, vocational school, checks whether)", async () => {
    await expectFirstCited([
      ['Is there anything in the plan for workers who already have a job?', 's2'],
      ['Does teaching at a vocational school count toward performance pay?', 's7'],
      ['Who checks whether the county governments carry out this work?', 's12'],
    ]);
  });

  it('reads family words as no topic, 办到村里 as classes brought to the village, and 哪几个 as which', async () => {
    await expectFirstCited([
      ['我奶奶失业了，她参加培训找谁组织', 's3.2'],
      ['能不能把培训办到我们村里来', 's1.1'],
      ['这个方案是按照哪几个文件定的', 'intro'],
      ['What does the plan say about innovation and entrepreneurship training?', 's4'],
    ]);
  });

  it('refers unpaid wages put in everyday words (工钱拖着不给) to the labour office, citing no clause', async () => {
    const r = await fresh().say('包工头把工钱拖了半年不给，咋个办');
    expect(r.answer).toBe('abstain');
    expect(r.citations).toEqual([]);
    expect(r.replies[0]?.text).toMatch(/劳动保障监察|仲裁/);
  });

  it('answers "does the government run training for X?" from the trade’s clause with 有/会, offering the courses', async () => {
    const r = await fresh().say('政府有没有安排种天麻的技术培训');
    expect([r.intent, r.answer, r.citations[0]]).toEqual(['policy.ask', 'policy', 's1.4']);
    expect(r.replies[0]?.text).toMatch(/^(有|会)。/);
    expect(r.replies[0]?.text).toContain('天麻');
    expect(r.replies[0]?.choices?.length).toBeGreaterThan(0);
    // A class asked for is a course search still.
    const c = await fresh().say('政府有没有种天麻的培训班');
    expect(c.intent).toBe('course.search');
  });

  it('answers a question for a bureau phone number with the hotlines, not by handing over to staff', async () => {
    const zh = await fresh().say('县人社局的办公电话是多少');
    expect([zh.intent, zh.answer, zh.citations]).toEqual(['policy.ask', 'abstain', []]);
    expect(zh.replies[0]?.text).toContain('12333');
    expect(zh.replies[0]?.text).toContain('12345');
    const en = await fresh().say('Could you give me the contact number of the county labour bureau?');
    expect([en.intent, en.answer]).toEqual(['policy.ask', 'abstain']);
    expect(en.replies[0]?.text).toContain('12333');
    // Asking for a person, or complaining, still reaches staff.
    expect((await fresh().say('转人工，让工作人员打电话给我')).intent).toBe('handoff.human');
    expect((await fresh().say('我要投诉一个培训机构，电话多少')).replies[0]?.text).toMatch(/编号/);
    // …and so does asking for our own number, or someone's to complain to.
    for (const text of [
      '你们负责人的电话是多少',
      '我被培训学校骗了，找谁？电话多少',
      'what is your phone number?',
    ])
      expect([text, (await fresh().say(text)).intent]).toEqual([text, 'handoff.human']);
    // A phone number given while signing up is not a question for one.
    expect(
      (await fresh().say('Please sign me up for the welding class, my phone number is 13812345678')).answer,
    ).not.toBe('abstain');
  });

  it('reads a trade typed with a homophone slip (月扫 for 月嫂): its basis, and no "what do you want to learn?"', async () => {
    const r = await fresh().say('昭阳区有没有月扫培训班');
    expect([r.answer, r.citations[0]]).toEqual(['both', 's2.6']);
    expect(allText(r)).not.toContain('想学什么');
  });

  it('reads more everyday words: 县上, 谁来查, 套补贴, 一边上班一边…, zhanchi, perks, per person', async () => {
    await expectFirstCited([
      ['培训这块县上归哪个管', 's12'],
      ['钱拨下去了各县用没用对 谁来查', 's12'],
      ['有人套培训补贴，政府管不管', 's13'],
      ['学徒能不能一边上班一边在技校读书', 's2.2'],
      ['Is the zhanchi action for insured workers?', 's2.4'],
      ['Do technicians get the same perks as engineers?', 's11'],
    ]);
    // "per person" is an amount, not a request for a person.
    expect((await fresh().say('How much is the apprentice subsidy per person?')).intent).toBe('policy.ask');
  });

  it('refers severance pay and registering as employed to the offices that handle them', async () => {
    for (const text of ['矿关了，经济补偿金能拿多少', '送快递算就业吗，就业登记在哪办']) {
      const r = await fresh().say(text);
      expect([text, r.answer, r.citations]).toEqual([text, 'abstain', []]);
    }
  });

  it('keeps a tractor a tractor and a yearly count a figure question', async () => {
    const tractor = await fresh().say('学开拖拉机以后工资高不高');
    expect(allText(tractor)).not.toMatch(/劳动保障监察|仲裁/);
    const times = await fresh().say('建档立卡户一年能培训几次，免不免费');
    expect(times.citations[0]).toBe('s1.1');
    expect(allText(times)).toContain('不少于1');
  });

  it('answers "who runs it?" after a policy answer from that answer’s clause and its lead departments', async () => {
    const chat = fresh();
    await chat.say('养天麻的有没有技术培训');
    const who = await chat.say('这个谁负责组织');
    expect(who.citations[0]).toBe('s1.4');
    expect(allText(who)).toContain('市农业农村局');
  });
});
