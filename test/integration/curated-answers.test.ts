import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curatedCsv, curatedXlsx, importCurated } from '../../src/services/curated-answers-table';
import { allText, runtimeWithPeople } from '../support/converse';
import { cliEnv } from '../support/test-env';

/**
 * Issue 17 item 3: questions the bot cannot answer are logged (no personal data) and grouped with counts; a
 * curated answer added with `jineng answers add` (another process, same database) answers a paraphrase
 * through the live dialog, first, with its basis; an expired one stops answering.
 */

const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;
const live = runtimeWithPeople('curated');
const fresh = live.fresh;

function jineng(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 110_000,
    env: cliEnv('answers'),
  });
  const lines = result.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  return { ...result, lines };
}

const groupOf = async (text: string) =>
  (await live.runtime.console.unanswered.groups('operator')).find((g) => g.examples.includes(text));

const FUND = '公积金怎么提取';
const FUND_AGAIN = '住房公积金要怎么提取出来';
const FUND_ANSWER = '住房公积金的提取请到昭通市住房公积金管理中心办理，也可以在它的网上服务大厅申请。';
const DOG = '培训的时候可以带宠物狗去教室吗';
const DOG_EN = 'Can I bring my pet dog to the training class?';
const STAFF_ANSWER = '教室里不能带宠物，导盲犬除外。请把宠物安顿好再来上课。';

describe('a question the plan does not cover', () => {
  it('is answered honestly, logged without personal data, and grouped with its paraphrases', async () => {
    // Other test files share this database and may have asked the same question: count from here.
    const before = await groupOf(FUND);
    const was = before?.count ?? 0;
    const wasAbstained = before?.answers.abstain ?? 0;
    const r = await fresh().say(FUND);
    expect(r.answer).toBe('abstain');
    expect(allText(r)).toContain('没有找到能回答这个问题的内容');
    await expect.poll(async () => (await groupOf(FUND))?.count, { timeout: 10_000 }).toBe(was + 1);

    expect((await fresh().say(FUND_AGAIN)).answer).toBe('abstain');
    expect((await fresh().say(`我的电话是13812345678，请问${FUND}`)).answer).toBe('abstain');
    expect((await fresh().say(`${FUND}？我身份证号530621199001011234`)).answer).toBe('abstain');
    await expect.poll(async () => (await groupOf(FUND))?.count, { timeout: 10_000 }).toBe(was + 4);
    const group = (await groupOf(FUND))!;
    expect(group.examples).toContain(FUND_AGAIN);
    expect(group.answers.abstain).toBe(wasAbstained + 4);
    const shown = group.examples.join(' ');
    expect(shown).not.toMatch(/13812345678|530621199001011234|5678|1234/);
    expect(shown).toContain('[phone]');
    expect(shown).toContain('[ID]');
    // Nothing of the person is kept with the question.
    const row = await live.runtime.db.unansweredQuestion.findFirstOrThrow({ where: { text: FUND_AGAIN } });
    expect(Object.keys(row).sort()).toEqual(
      [
        'answer',
        'askedAt',
        'channel',
        'clauseId',
        'closedAt',
        'confidence',
        'county',
        'curatedAnswerId',
        'id',
        'locale',
        'text',
      ].sort(),
    );
    expect(row).toMatchObject({ channel: 'converse', locale: 'zh-CN', answer: 'abstain' });
    expect(group.firstAskedAt.getTime()).toBeLessThanOrEqual(group.lastAskedAt.getTime());
    // The inbox lists the group as one open item.
    const items = await live.runtime.console.unanswered.inboxItems();
    expect(items.find((i) => i.id === group.id)).toMatchObject({
      kind: 'unanswered',
      user: '',
      channel: 'converse',
    });
  });
});

describe('jineng answers add', () => {
  it('makes the running bot answer a paraphrase of an unanswered question with the staff answer', async () => {
    const added = jineng(['answers', 'add', '--question', FUND, '--answer', FUND_ANSWER, '--json']);
    expect(added.status, added.stderr).toBe(0);
    await expect
      .poll(async () => (await fresh().say('公积金要怎么提取')).answer, { timeout: 15_000 })
      .toBe('curated');
    const r = await fresh().say('住房公积金怎么提取');
    expect(r.answer).toBe('curated');
    expect(allText(r)).toContain(FUND_ANSWER);
    expect(allText(r)).toMatch(/工作人员解答，\d{4}-\d{2}-\d{2} 更新/);
    expect(r.citations).toEqual([]);
    // Close in words, another question: the plan's honest answer, not the staff one.
    const other = await fresh().say('公积金怎么交');
    expect(other.answer).toBe('abstain');
    expect(allText(other)).not.toContain(FUND_ANSWER);
  });

  it('shows the cited clause as the basis, in either language; an unrelated question gets none of it', async () => {
    const added = jineng([
      'answers',
      'add',
      '--question',
      DOG,
      '--question',
      DOG_EN,
      '--answer',
      STAFF_ANSWER,
      '--clause',
      's6',
      '--json',
    ]);
    expect(added.status, added.stderr).toBe(0);
    expect(added.lines[0]).toMatchObject({ version: 1, clauses: ['s6'], questions: [DOG, DOG_EN] });

    const listed = jineng(['answers', 'list', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.lines.map((l) => l.id)).toContain(added.lines[0].id);

    // The bot (this process) notices within seconds.
    await expect
      .poll(async () => (await fresh().say('培训时可以带宠物狗去教室吗')).answer, { timeout: 15_000 })
      .toBe('curated');
    const r = await fresh().say('培训时可以带宠物狗去教室吗');
    expect(r.citations).toEqual(['s6']);
    expect(allText(r)).toContain(STAFF_ANSWER);
    expect(allText(r)).toMatch(/依据：《.+》/);
    expect(allText(r)).toMatch(/工作人员解答，\d{4}-\d{2}-\d{2} 更新/);

    const en = await fresh().say('can I bring my pet dog to training class');
    expect(en.answer).toBe('curated');
    expect(allText(en)).toContain('Basis:');

    const other = await fresh().say('培训的时候可以带孩子去教室吗');
    expect(other.answer).not.toBe('curated');
    expect(allText(other)).not.toContain(STAFF_ANSWER);
    const plan = await fresh().say('学徒制补贴多少钱');
    expect(plan.answer).toBe('policy');
    expect(plan.citations[0]).toBe('s2.2');
  });

  it('refuses a clause the plan does not have, saying which', () => {
    const r = jineng(['answers', 'add', '--question', '教室有空调吗', '--answer', '有。', '--clause', 's99']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('clause:s99');
  });
});

describe('a curated answer past its valid-until date', () => {
  it('stops answering, and answers again once staff extend it (a new version)', async () => {
    const service = live.runtime.console.curatedAnswers;
    const actor = { cli: 'test' };
    const question = '培训教室里有没有免费无线网络';
    const saved = await service.add(actor, {
      questions: [question],
      answer: '教室有免费无线网络，密码贴在讲台上。',
      validUntil: '2020-01-31',
    });
    expect(saved.status).toBe('saved');
    if (saved.status !== 'saved') return;
    // Give the bot time to reload: an answer it would give shows up within seconds; this one never does.
    const control = await service.add(actor, {
      questions: ['培训教室里能不能给手机充电'],
      answer: '每张桌子下面都有插座。',
    });
    expect(control.status).toBe('saved');
    await expect
      .poll(async () => (await fresh().say('培训教室里能不能给手机充电')).answer, { timeout: 15_000 })
      .toBe('curated');
    const expired = await fresh().say(question);
    expect(expired.answer).not.toBe('curated');
    expect(allText(expired)).not.toContain('密码贴在讲台上');

    const extended = await service.update(actor, saved.answer.id, {
      questions: [question],
      answer: '教室有免费无线网络，密码贴在讲台上。',
      validUntil: '2099-12-31',
    });
    expect(extended).toMatchObject({ status: 'saved', answer: { version: 2 } });
    await expect.poll(async () => (await fresh().say(question)).answer, { timeout: 15_000 }).toBe('curated');
    const history = await service.get(actor, saved.answer.id);
    expect(history?.versions.map((v) => [v.version, v.validUntil])).toEqual([
      [2, '2099-12-31'],
      [1, '2020-01-31'],
    ]);
    const audit = await live.runtime.db.auditLog.findMany({
      where: { target: saved.answer.id },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['curated.created', 'curated.updated']);
  });
});

describe('a curated answer for one county', () => {
  it('answers people of that county and people whose county is not known, not people of another', async () => {
    const question = '培训结束以后可以申请创业担保贷款吗';
    const saved = await live.runtime.console.curatedAnswers.add(
      { cli: 'test' },
      { questions: [question], answer: '彝良县：请到县人社局创业贷款窗口申请。', county: 'yiliang' },
    );
    expect(saved.status).toBe('saved');
    await expect.poll(async () => (await fresh().say(question)).answer, { timeout: 15_000 }).toBe('curated');

    const countyOf = async (county: 'yiliang' | 'zhenxiong') => {
      const p = fresh();
      await p.say('你好');
      const identity = await live.runtime.db.channelIdentity.findUniqueOrThrow({
        where: { channel_externalId: { channel: 'converse', externalId: p.id } },
      });
      await live.runtime.db.person.update({ where: { id: identity.personId }, data: { county } });
      return p;
    };
    const there = await (await countyOf('yiliang')).say(question);
    expect(there.answer).toBe('curated');
    expect(allText(there)).toContain('彝良县');
    const elsewhere = await (await countyOf('zhenxiong')).say(question);
    expect(elsewhere.answer).not.toBe('curated');
    expect(allText(elsewhere)).not.toContain('创业贷款窗口');
  });
});

describe('exporting and importing curated answers', () => {
  it('round-trips through CSV and Excel, and an edited row becomes a new version', async () => {
    const service = live.runtime.console.curatedAnswers;
    const actor = { cli: 'test' };
    const answers = await service.list(actor);
    expect(answers.length).toBeGreaterThan(0);
    const countyOf = (cell: string) => cell;

    const csv = curatedCsv(answers);
    expect(await importCurated(service, actor, csv, countyOf)).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: answers.length,
      problems: [],
    });
    const xlsx = await curatedXlsx(answers);
    expect(await importCurated(service, actor, xlsx, countyOf)).toMatchObject({
      unchanged: answers.length,
      problems: [],
    });

    const target = answers.find((a) => a.answer === STAFF_ANSWER)!;
    const edited = Buffer.from(
      csv.toString('utf8').replace(STAFF_ANSWER, '教室里不能带宠物（导盲犬除外）。'),
      'utf8',
    );
    const report = await importCurated(service, actor, edited, countyOf);
    expect(report).toMatchObject({ created: 0, updated: 1, problems: [] });
    const after = await service.get(actor, target.id);
    expect(after?.answer).toBe('教室里不能带宠物（导盲犬除外）。');
    expect(after?.version).toBe(target.version + 1);
    expect(after?.questions).toEqual(target.questions);
  });
});
