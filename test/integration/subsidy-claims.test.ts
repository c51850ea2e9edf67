import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp } from '../../src/http/start-http';
import { consoleHttp, invite } from '../support/console';
import { allText } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';

/**
 * Issue 20, item 5, end to end: claims kept on the console's per-course page (bulk change, file import), each
 * change of status told to the trainee through the outbound queue (once per status), and "补贴发了没" in the chat.
 */
let world: OutreachWorld;
let app: FastifyInstance;
let http: Awaited<ReturnType<typeof consoleHttp>>;
const db = () => world.runtime.db;

beforeAll(async () => {
  world = await outreachWorld({
    // No quiet hours: the notices are asserted as they arrive (afterQuietHours has its unit test).
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      WEB_SESSION_SECRET: 'test-secret-for-web-cookies-0123456789abcdef',
      REMINDER_QUIET_HOURS: '',
    },
  });
  app = await startHttp(world.runtime);
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  http = await consoleHttp(base, await invite(world.runtime, { counties: ['zhenxiong'] }));
});
afterAll(async () => {
  await app.close();
  await world.close();
});

async function trainee(courseId: string, name: string, groups: string[]) {
  const chat = chatter(world.runtime);
  await chat.say('你好');
  const personId = await chat.personId();
  await db().person.update({ where: { id: personId }, data: { realName: name, groups } });
  const { id } = await db().enrolment.create({ data: { personId, courseId, status: 'confirmed' } });
  return { chat, personId, enrolmentId: id };
}

const sentTo = (chatId: string) => world.channel.sentTo(chatId).map((s) => s.text);

async function until<T>(check: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('subsidy claims', () => {
  it('staff change claims in bulk and by file; trainees (and the family member who signed one up) are told once per status and can ask', async () => {
    const course = await createCourse(db(), { realNameRequired: true, startsInHours: -72 });
    const poor = await trainee(course.id, '杨春梅', ['poverty_registered']);
    const other = await trainee(course.id, '马国强', ['rural_worker']);
    // A daughter signed up by her father, with no chat of her own.
    const father = chatter(world.runtime);
    await father.say('你好');
    const fatherId = await father.personId();
    const daughter = await db().person.create({ data: { realName: '杨小燕', groups: ['two_after'] } });
    await db().familyLink.create({
      data: { proxyId: fatherId, memberId: daughter.id, relation: 'daughter' },
    });
    const daughterSignUp = await db().enrolment.create({
      data: { personId: daughter.id, courseId: course.id, status: 'confirmed' },
    });

    // Before staff did anything: 未申请, with the documents the group needs and the plan's clauses.
    const first = await poor.chat.say('补贴发了没');
    expect(first.intent).toBe('subsidy.status');
    expect(allText(first)).toContain(`${course.code}`);
    expect(allText(first)).toContain('未申请');
    expect(allText(first)).toContain('建档立卡贫困户证明');
    expect(first.citations).toEqual(expect.arrayContaining(['s1.1', 's8']));

    const page = `/console/courses/${course.code}/subsidies`;
    const list = await http.get(page);
    expect(list.status).toBe(200);
    expect(list.text).toContain('杨春梅');
    expect(list.text).toContain('建档立卡户');
    expect(list.text).toContain('两后生');

    // Bulk: two claims to 材料待补, naming the bank card and a document typed by hand.
    const body = new URLSearchParams({
      _csrf: http.tokenOf(list.text),
      status: 'documents_missing',
      setDocs: 'yes',
    });
    body.append('enrolment', poor.enrolmentId);
    body.append('enrolment', daughterSignUp.id);
    body.append('doc', 'bank_card');
    body.append('otherDocs', '户口本原件');
    const changed = await http.post(page, body);
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toContain('count=2');
    const claim = await db().subsidyClaim.findUniqueOrThrow({ where: { enrolmentId: poor.enrolmentId } });
    expect(claim).toMatchObject({
      status: 'documents_missing',
      groupCode: 'poverty_registered',
      missingDocs: ['bank_card', '户口本原件'],
    });

    // Told through the outbound queue: the trainee on her chat, the daughter's news to her father.
    const toPoor = await until(() => sentTo(poor.chat.id).find((t) => t.includes('材料待补')));
    expect(toPoor).toContain('本人银行卡（社保卡）复印件、户口本原件');
    const toFather = await until(() => sentTo(father.id).find((t) => t.includes('杨小燕')));
    expect(toFather).toContain('材料待补');
    const delivery = await db().delivery.findUniqueOrThrow({
      where: { key: `subsidy:${claim.id}:documents_missing` },
    });
    expect(delivery).toMatchObject({ kind: 'subsidy', personId: poor.personId, channel: 'test' });
    expect(await db().auditLog.count({ where: { action: 'subsidy.changed', target: course.code } })).toBe(2);

    // The same change again changes nothing and tells nobody twice.
    const repeat = new URLSearchParams({ _csrf: http.tokenOf(list.text), status: 'documents_missing' });
    repeat.append('enrolment', poor.enrolmentId);
    expect((await http.post(page, repeat)).headers.get('location')).toContain('count=0');

    const status = allText(await poor.chat.say('我的补贴'));
    expect(status).toContain('材料待补');
    expect(status).toContain('还需要补交：本人银行卡（社保卡）复印件、户口本原件');
    const fatherView = allText(await father.say('补贴到账了吗'));
    expect(fatherView).toContain('杨小燕的培训补贴');
    expect(fatherView).toContain('材料待补');

    // A file: one claim paid with its amount, one row with a status nobody knows.
    const imported = await (async () => {
      const current = await http.get(page);
      const token = new RegExp(`action="${page}/import\\?_csrf=([^"]+)"`).exec(current.text)?.[1] ?? '';
      const form = new FormData();
      form.append(
        'file',
        new Blob([['姓名,补贴状态,补贴金额', '杨春梅,已发放,600', '马国强,快好了,'].join('\n')]),
        'claims.csv',
      );
      return http.post(`${page}/import?_csrf=${token}`, form);
    })();
    expect(imported.status).toBe(200);
    expect(imported.text).toContain('共 2 行：修改 1 条，1 处问题');
    expect(imported.text).toContain('状态应为 未申请、材料待补、已提交、已审核 或 已发放');
    const paid = await until(() => sentTo(poor.chat.id).find((t) => t.includes('已发放')));
    expect(paid).toContain('发放金额：600 元');
    expect(await db().delivery.count({ where: { key: `subsidy:${claim.id}:paid` } })).toBe(1);
    expect(await db().subsidyClaim.findUnique({ where: { enrolmentId: other.enrolmentId } })).toBeNull();

    const money = await poor.chat.say('补贴到账了吗');
    expect(money.intent).toBe('subsidy.status');
    expect(allText(money)).toContain('已发放');
    expect(allText(money)).toContain('600 元');
    // Exactly one message per status reached her.
    expect(sentTo(poor.chat.id).filter((t) => t.includes('培训补贴有新进展'))).toHaveLength(2);

    // The filter shows one status only.
    const filtered = await http.get(`${page}?status=paid`);
    expect(filtered.text).toContain('杨春梅');
    expect(filtered.text).not.toContain('马国强');
  });

  it('keeps "能拿多少补贴" a question about the plan, and says so honestly when there is no claim', async () => {
    const someone = chatter(world.runtime);
    await someone.say('你好');
    for (const question of ['能拿多少补贴', '有什么补贴', '补助多久到账', '职业培训补贴政策落实了没有']) {
      const r = await someone.say(question);
      expect(r.intent, question).not.toBe('subsidy.status');
    }
    const none = await someone.say('我的补贴');
    expect(none.intent).toBe('subsidy.status');
    expect(allText(none)).toContain('没有培训补贴的申请记录');
    const visitor = chatter(world.runtime);
    await visitor.say('hello');
    const english = await visitor.say('has my subsidy been paid?');
    expect(english.intent).toBe('subsidy.status');
    expect(allText(english)).toContain('no training subsidy claim on record');
  });

  it('refuses a course outside the coordinator’s scope and a form without anyone ticked', async () => {
    const far = await createCourse(db(), { county: 'weixin', realNameRequired: true });
    const page = await http.get('/console/courses');
    expect((await http.get(`/console/courses/${far.code}/subsidies`)).status).toBe(404);
    const body = new URLSearchParams({
      _csrf: http.tokenOf(page.text),
      status: 'paid',
      enrolment: crypto.randomUUID(),
    });
    expect((await http.post(`/console/courses/${far.code}/subsidies`, body)).status).toBe(404);

    const near = await createCourse(db(), { realNameRequired: true });
    const empty = await http.post(
      `/console/courses/${near.code}/subsidies`,
      new URLSearchParams({ _csrf: http.tokenOf(page.text), status: 'paid' }),
    );
    expect(empty.headers.get('location')).toContain('notice=invalid');
    const shown = await http.get(empty.headers.get('location')!);
    expect(shown.text).toContain('请至少勾选一位学员');
  });
});
