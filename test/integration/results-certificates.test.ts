import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { consoleHttp, invite } from '../support/console';
import { allText, person } from '../support/converse';
import { createCourse } from '../support/fixtures';
import { type WebWorld, webWorld } from '../support/web-world';

/**
 * Issue 20, item 2, end to end: attendance rows → the console's completion page (preview, marks typed and from
 * a file, confirmation) → CourseResult rows → certificates by form and by file → "我的证书" in the chat.
 */
let world: WebWorld;
let http: Awaited<ReturnType<typeof consoleHttp>>;
const db = () => world.runtime.db;

beforeAll(async () => {
  world = await webWorld({ channels: false, workers: false });
  http = await consoleHttp(world.url, await invite(world.runtime, { counties: ['zhenxiong'] }));
});
afterAll(() => world.close());

/** Someone who chatted once, with a registered name, signed up (confirmed) for the course. */
async function trainee(runtime: Runtime, courseId: string, name: string, phone: string) {
  const p = person(runtime, `t-${phone.slice(-4)}`);
  await p.say('你好');
  const { personId } = await db().channelIdentity.findFirstOrThrow({ where: { externalId: p.id } });
  await db().person.update({ where: { id: personId }, data: { realName: name, phone } });
  const enrolment = await db().enrolment.create({ data: { personId, courseId, status: 'confirmed' } });
  return { chat: p, personId, enrolmentId: enrolment.id };
}

function upload(path: string, page: string, csv: string, name = 'file.csv') {
  return (async () => {
    const token = new RegExp(`action="${path}\\?_csrf=([^"]+)"`).exec(page)?.[1] ?? '';
    const form = new FormData();
    form.append('file', new Blob([csv]), name);
    return http.post(`${path}?_csrf=${token}`, form);
  })();
}

describe('completing a course and recording certificates', () => {
  it('previews attendance and pass/fail, takes marks from a file, records results and certificates, and answers 我的证书', async () => {
    // Two classes held (3 and 2 days ago), one held but cancelled, and one still to come: only the two count.
    const course = await createCourse(db(), { startsInHours: -72, realNameRequired: true });
    const [held1, held2] = await db().classSession.findMany({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    });
    const cancelled = await db().classSession.create({
      data: {
        courseId: course.id,
        startsAt: new Date(Date.now() - 30 * 3_600_000),
        endsAt: new Date(Date.now() - 26 * 3_600_000),
        venue: '201教室',
        cancelled: true,
      },
    });
    await db().classSession.create({
      data: {
        courseId: course.id,
        startsAt: new Date(Date.now() + 48 * 3_600_000),
        endsAt: new Date(Date.now() + 52 * 3_600_000),
        venue: '201教室',
      },
    });
    const good = await trainee(world.runtime, course.id, '李春花', '13900001111');
    const seldom = await trainee(world.runtime, course.id, '王大山', '13900002222');
    const weak = await trainee(world.runtime, course.id, '赵小兰', '13900003333');
    const mark = (enrolmentId: string, sessionId: string, status: string) =>
      db().attendance.create({ data: { enrolmentId, sessionId, status, method: 'code' } });
    await mark(good.enrolmentId, held1!.id, 'present');
    await mark(good.enrolmentId, held2!.id, 'late');
    await mark(good.enrolmentId, cancelled.id, 'present');
    await mark(seldom.enrolmentId, held1!.id, 'present');
    await mark(seldom.enrolmentId, held2!.id, 'absent');
    await mark(weak.enrolmentId, held1!.id, 'present');
    await mark(weak.enrolmentId, held2!.id, 'present');

    // Before completion the trainee hears the course is still running.
    const early = allText(await good.chat.say('我的证书'));
    expect(early).toContain('还没有登记在册的证书');
    expect(early).toContain(`${course.code}`);
    expect(early).toContain('尚未结课');

    const base = `/console/courses/${course.code}/complete`;
    const page = await http.get(base);
    expect(page.status).toBe(200);
    expect(page.text).toContain('李春花');
    expect(page.text).toMatch(/100% \(2\/2\)/);
    expect(page.text).toMatch(/50% \(1\/2\)/);

    // The course has an exam: pass mark 60, attendance at least 80 %.
    const rules = await http.submit(base, `${base}/rules`, { passAttendancePct: '80', passExamScore: '60' });
    expect(rules.status).toBe(303);
    expect(
      await db().course.findUniqueOrThrow({ where: { id: course.id }, select: { passExamScore: true } }),
    ).toEqual({ passExamScore: 60 });

    // Marks from a file fill the preview; a row naming nobody on the list is reported; nothing is recorded yet.
    const form = await http.get(base);
    const imported = await upload(
      `${base}/scores`,
      form.text,
      ['姓名,手机号,考试成绩', '李春花,,85', '王大山,13900002222,90', '赵小兰,,40', '张三,,70'].join('\n'),
    );
    expect(imported.status).toBe(200);
    expect(imported.text).toContain('本课程没有这位学员');
    expect(imported.text).toContain(
      `name="score.${good.enrolmentId}" type="number" min="0" max="100" value="85"`,
    );
    expect(imported.text).toContain('合格 1 人，不合格 2 人');
    expect(await db().courseResult.count({ where: { courseId: course.id } })).toBe(0);

    // A mark that is not 0–100 is refused politely, and nothing is recorded.
    const bad = await http.post(
      base,
      new URLSearchParams({ _csrf: http.tokenOf(imported.text), [`score.${good.enrolmentId}`]: '850' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('成绩应为 0 到 100');

    const done = await http.post(
      base,
      new URLSearchParams({
        _csrf: http.tokenOf(imported.text),
        [`score.${good.enrolmentId}`]: '85',
        [`score.${seldom.enrolmentId}`]: '90',
        [`score.${weak.enrolmentId}`]: '40',
      }),
    );
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toContain('passed=1&failed=2');
    const results = await db().courseResult.findMany({ where: { courseId: course.id } });
    const byEnrolment = Object.fromEntries(results.map((r) => [r.enrolmentId, r]));
    expect(byEnrolment[good.enrolmentId]).toMatchObject({
      outcome: 'passed',
      attendancePct: 100,
      examScore: 85,
    });
    expect(byEnrolment[seldom.enrolmentId]).toMatchObject({
      outcome: 'failed',
      attendancePct: 50,
      examScore: 90,
    });
    expect(byEnrolment[weak.enrolmentId]).toMatchObject({
      outcome: 'failed',
      attendancePct: 100,
      examScore: 40,
    });
    expect((await db().course.findUniqueOrThrow({ where: { id: course.id } })).completedAt).not.toBeNull();
    const after = await http.get(done.headers.get('location')!);
    expect(after.text).toContain('已结课：合格 1 人，不合格 2 人');
    expect(await db().auditLog.count({ where: { action: 'course.completed', target: course.code } })).toBe(1);

    // A certificate by the form; the same number again is refused.
    const certs = `/console/courses/${course.code}/certificates`;
    const fields = {
      enrolmentId: good.enrolmentId,
      type: 'training',
      number: 'ZX2026-001',
      issuedOn: '2026-12-05',
    };
    const recorded = await http.submit(certs, certs, fields);
    expect(recorded.status).toBe(303);
    const again = await http.submit(certs, certs, fields);
    expect(again.status).toBe(409);
    expect(again.text).toContain('这个证书编号已经登记过');
    const empty = await http.submit(certs, certs, { ...fields, number: '' });
    expect(empty.status).toBe(400);

    // And by a file: a good row and a row with a type nobody knows.
    const certPage = await http.get(certs);
    const report = await upload(
      `${certs}/import`,
      certPage.text,
      [
        '姓名,证书类型,证书编号,发证日期',
        '李春花,职业技能等级证书,S-5306-0001,2026/12/5',
        '王大山,驾驶证,D-1,2026-12-05',
      ].join('\n'),
    );
    expect(report.status).toBe(200);
    expect(report.text).toContain('共 2 行：登记 1 张证书，1 处问题');
    expect(report.text).toContain('证书类型应为');
    expect(await db().certificate.count({ where: { personId: good.personId } })).toBe(2);
    expect(
      await db().auditLog.count({ where: { action: 'certificate.recorded', target: course.code } }),
    ).toBe(1);
    expect(
      await db().auditLog.count({ where: { action: 'certificate.imported', target: course.code } }),
    ).toBe(1);

    // The holder sees both, numbers in full, with the course and the date.
    const mine = await good.chat.say('我的证书');
    expect(mine.intent).toBe('certificates.mine');
    const text = allText(mine);
    expect(text).toContain('培训合格证，编号 ZX2026-001，发证日期 2026-12-05');
    expect(text).toContain('职业技能等级证书，编号 S-5306-0001，发证日期 2026-12-05');
    expect(text).toContain(course.code);

    // No certificate: said honestly, with the course result.
    const none = allText(await seldom.chat.say('证书查询'));
    expect(none).toContain('还没有登记在册的证书');
    expect(none).toContain('结果未合格');
    expect(allText(await weak.chat.say('我的证书发了没'))).toContain('结果未合格');
  });

  it('answers for the family members one manages, and in English; a general question about certificates stays with the plan', async () => {
    const course = await createCourse(db(), { startsInHours: -72 });
    const proxy = person(world.runtime, 'proxy');
    await proxy.say('你好');
    const { personId: proxyId } = await db().channelIdentity.findFirstOrThrow({
      where: { externalId: proxy.id },
    });
    const member = await db().person.create({ data: { realName: '陈小雨' } });
    await db().familyLink.create({ data: { proxyId, memberId: member.id, relation: 'daughter' } });
    const enrolment = await db().enrolment.create({
      data: { personId: member.id, courseId: course.id, status: 'confirmed' },
    });
    await db().certificate.create({
      data: {
        personId: member.id,
        enrolmentId: enrolment.id,
        courseId: course.id,
        type: 'special_ability',
        number: 'ZA-7788',
        issuedOn: new Date('2026-11-30T00:00:00Z'),
      },
    });
    const text = allText(await proxy.say('查一下我女儿的证书'));
    expect(text).toContain('您目前还没有登记在册的证书');
    expect(text).toContain('陈小雨的证书');
    expect(text).toContain('专项职业能力证书，编号 ZA-7788，发证日期 2026-11-30');

    const stranger = person(world.runtime, 'stranger');
    await stranger.say('hello');
    const english = await stranger.say('my certificates');
    expect(english.intent).toBe('certificates.mine');
    expect(allText(english)).toContain('You have no certificate on record yet.');
    expect(allText(english)).toContain('no course in progress or completed');

    const general = await stranger.say('技能等级证书有什么用');
    expect(general.intent).not.toBe('certificates.mine');
  });

  it('keeps other counties out, and a plain coordinator cannot reach a course outside scope', async () => {
    const course = await createCourse(db(), { county: 'weixin', startsInHours: -72 });
    expect((await http.get(`/console/courses/${course.code}/complete`)).status).toBe(404);
    expect((await http.get(`/console/courses/${course.code}/certificates`)).status).toBe(404);
    const page = await http.get('/console/courses');
    const posted = await http.post(
      `/console/courses/${course.code}/complete`,
      new URLSearchParams({ _csrf: http.tokenOf(page.text) }),
    );
    expect(posted.status).toBe(404);
    expect(await db().courseResult.count({ where: { courseId: course.id } })).toBe(0);
  });
});
