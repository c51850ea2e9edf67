import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleHttp, invite } from '../support/console';
import { type WebWorld, webWorld } from '../support/web-world';

/**
 * Issue 20, items 3 and 7 (docs/surveys.md, "Raw answers in the console"): raw satisfaction and employment
 * answers are visible only within scope; bureau staff see masked names (and the read is audited), a training
 * provider's account sees its own courses only and anonymously, nothing of a course with fewer than 5 answers;
 * an erased person's answers never appear.
 */
let world: WebWorld;
const tag = randomBytes(2).toString('hex').toUpperCase();
const ZX = `SA-ZX-${tag}`;
const LD = `SA-LD-${tag}`;
const WX = `SA-WX-${tag}`;
const DAY = 86_400_000;

beforeAll(async () => {
  world = await webWorld({ channels: false, workers: false });
  const db = world.runtime.db;
  const answered = new Date(Date.now() - 2 * DAY);
  async function course(code: string, county: string, title: string) {
    const c = await db.course.create({
      data: {
        code,
        title,
        trade: 'ecommerce',
        trainingType: 'employment',
        county,
        venue: `${title}教室`,
        capacity: 30,
        completedAt: new Date(Date.now() - 10 * DAY),
      },
    });
    await db.classSession.create({
      data: {
        courseId: c.id,
        startsAt: new Date(Date.now() - 11 * DAY),
        endsAt: new Date(Date.now() - 11 * DAY + 3_600_000),
        venue: '301',
      },
    });
    return c;
  }
  async function trainee(
    courseId: string,
    name: string,
    rating: number,
    comment: string | null,
    options: { erased?: boolean; work?: { status: string; trade?: string; county?: string } } = {},
  ) {
    const person = await db.person.create({
      data: { realName: name, deletedAt: options.erased ? new Date() : null },
    });
    const e = await db.enrolment.create({ data: { personId: person.id, courseId, status: 'attended' } });
    await db.satisfactionSurvey.create({
      data: { enrolmentId: e.id, courseId, askedAt: answered, answeredAt: answered, rating, comment },
    });
    if (options.work)
      await db.employmentCheck.create({
        data: {
          enrolmentId: e.id,
          courseId,
          months: 3,
          dueAt: answered,
          askedAt: answered,
          answeredAt: answered,
          ...options.work,
        },
      });
  }
  const zx = await course(ZX, 'zhenxiong', '问卷电商班');
  await trainee(zx.id, '周问卷甲', 5, '老师讲得很好', {
    work: { status: 'employed', trade: 'electrician', county: 'zhaoyang' },
  });
  await trainee(zx.id, '周问卷乙', 4, null, { work: { status: 'self_employed', trade: '在王家村开小卖部' } });
  await trainee(zx.id, '周问卷丙', 5, '实操太少', { work: { status: 'looking' } });
  await trainee(zx.id, '周问卷丁', 3, null, { work: { status: 'employed' } });
  await trainee(zx.id, '周问卷戊', 4, null, { work: { status: 'not_looking' } });
  // Erased: never shown to anyone.
  await trainee(zx.id, '周已删除', 1, 'ERASED-COMMENT', { erased: true, work: { status: 'looking' } });
  const ld = await course(LD, 'ludian', '问卷鲁甸班');
  await trainee(ld.id, '鲁问卷一', 2, 'LD-SMALL-COMMENT');
  await trainee(ld.id, '鲁问卷二', 5, null);
  const wx = await course(WX, 'weixin', '问卷威信班');
  await trainee(wx.id, '威问卷一', 4, 'WX-OUTSIDE-COMMENT');
});
afterAll(() => world.close());

const json = (text: string) => JSON.parse(text) as { courses: Array<Record<string, unknown>> };

describe('raw survey answers in the console', () => {
  it('shows an admin every course with masked names, never the erased, and audits the read', async () => {
    const admin = await consoleHttp(world.url, await invite(world.runtime, { role: 'admin' }));
    const page = await admin.get(`/console/survey-answers?course=${ZX}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('满意度评价和就业回访答复');
    expect(page.text).toContain('周**');
    expect(page.text).not.toContain('周问卷甲');
    expect(page.text).toContain('老师讲得很好');
    expect(page.text).toContain('在王家村开小卖部');
    expect(page.text).not.toContain('ERASED-COMMENT');
    expect(page.text).not.toContain('周已删除');
    expect(page.text).toContain('满意度评价（5 份）');

    const data = json((await admin.get(`/console/survey-answers.json?course=${ZX}`)).text);
    const [course] = data.courses as [{ named: boolean; satisfaction: { answers: { name: string }[] } }];
    expect(course.named).toBe(true);
    expect(course.satisfaction.answers.map((a) => a.name)).toEqual(Array(5).fill('周***'));

    const audit = await world.runtime.db.auditLog.findMany({
      where: { action: 'survey.answers_viewed', target: ZX },
    });
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit[0]!.detail).toMatchObject({ rows: 10, courses: 1 });
    // The audit log page names the action in words.
    expect((await admin.get('/console/audit')).text).toContain('查看带姓名的满意度和就业回访答复');
  });

  it('shows a county coordinator names for their county only, and nothing of other counties', async () => {
    const county = await consoleHttp(world.url, await invite(world.runtime, { counties: ['zhenxiong'] }));
    const page = await county.get('/console/survey-answers');
    expect(page.status).toBe(200);
    expect(page.text).toContain(ZX);
    expect(page.text).toContain('周**');
    for (const hidden of [LD, WX, 'LD-SMALL-COMMENT', 'WX-OUTSIDE-COMMENT', '问卷鲁甸班'])
      expect(page.text).not.toContain(hidden);
    const other = json((await county.get(`/console/survey-answers.json?course=${WX}`)).text);
    expect(other.courses).toEqual([]);
  });

  it('shows a provider’s account its courses anonymously, and nothing of a course with fewer than 5 answers', async () => {
    const provider = await consoleHttp(world.url, await invite(world.runtime, { courses: [ZX, LD] }));
    const page = await provider.get('/console/survey-answers');
    expect(page.status).toBe(200);
    expect(page.text).toContain(ZX);
    expect(page.text).toContain(LD);
    expect(page.text).not.toContain(WX);
    // No names, not even masked; comments of the larger course, in an order that says nothing of who.
    expect(page.text).not.toContain('周**');
    expect(page.text).not.toMatch(/周问卷|鲁问卷/);
    expect(page.text).toContain('老师讲得很好');
    expect(page.text).toContain('匿名');
    // A trade typed as free text could name someone: only recognised trades and counties.
    expect(page.text).not.toContain('王家村');
    expect(page.text).toContain('电工');
    // 鲁甸: two answers, so only the count.
    expect(page.text).toContain('只有 2 份答复，少于 5 份');
    expect(page.text).not.toContain('LD-SMALL-COMMENT');
    expect(page.text).not.toContain('ERASED-COMMENT');

    const data = json((await provider.get('/console/survey-answers.json')).text);
    const byCode = new Map(data.courses.map((c) => [c.code as string, c]));
    expect([...byCode.keys()].sort()).toEqual([LD, ZX].sort());
    const zx = byCode.get(ZX) as {
      named: boolean;
      satisfaction: { count: number; answers: Record<string, unknown>[] };
      employment: { months: number; count: number; answers: Record<string, unknown>[] }[];
    };
    expect(zx.named).toBe(false);
    expect(zx.satisfaction.count).toBe(5);
    expect(zx.satisfaction.answers.map((a) => a.rating)).toEqual([5, 5, 4, 4, 3]);
    for (const a of zx.satisfaction.answers) {
      expect(a).not.toHaveProperty('name');
      // The month only: no time that could be matched to a person's message.
      expect(a.answered_at).toMatch(/^\d{4}-\d{2}$/);
    }
    expect(zx.employment).toEqual([expect.objectContaining({ months: 3, count: 5 })]);
    expect(byCode.get(LD)).toMatchObject({ satisfaction: { count: 2, answers: null } });
    expect(JSON.stringify(data)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    // Their views hold no personal data: nothing audited in their name.
    const { personId } = await world.runtime.db.consoleAccount.findUniqueOrThrow({
      where: { username: provider.username },
    });
    expect(await world.runtime.db.auditLog.count({ where: { actorId: personId } })).toBeGreaterThan(0);
    expect(
      await world.runtime.db.auditLog.count({
        where: { actorId: personId, action: 'survey.answers_viewed' },
      }),
    ).toBe(0);
  });

  it('filters by county and period, and refuses a period that ends before it starts, politely', async () => {
    const admin = await consoleHttp(world.url, await invite(world.runtime, { role: 'admin' }));
    const ludian = json((await admin.get('/console/survey-answers.json?county=ludian')).text);
    expect(ludian.courses.map((c) => c.code)).toContain(LD);
    expect(ludian.courses.map((c) => c.code)).not.toContain(ZX);
    const later = json((await admin.get(`/console/survey-answers.json?course=${ZX}&from=2099-01-01`)).text);
    expect(later.courses).toEqual([]);
    const bad = await admin.get('/console/survey-answers?from=2026-05-01&to=2026-01-01');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('筛选条件不正确');
    expect((await admin.get('/console/survey-answers.json?county=atlantis')).status).toBe(400);
  });

  it('filters a provider’s anonymous view by whole months only, so two filters a day apart show the same', async () => {
    const provider = await consoleHttp(world.url, await invite(world.runtime, { courses: [ZX] }));
    // The day the answers were given, local time; two filters one day apart within its month.
    const d = DateTime.fromMillis(Date.now() - 2 * DAY, { zone: world.runtime.config.TIMEZONE });
    const iso = (x: DateTime) => x.toISODate() ?? '';
    const [a, b] =
      d.day > 1
        ? [`to=${iso(d)}`, `to=${iso(d.minus({ days: 1 }))}`]
        : [`from=${iso(d)}`, `from=${iso(d.plus({ days: 1 }))}`];
    const one = json((await provider.get(`/console/survey-answers.json?course=${ZX}&${a}`)).text);
    const other = json((await provider.get(`/console/survey-answers.json?course=${ZX}&${b}`)).text);
    expect(one.courses).toHaveLength(1);
    expect(one.courses[0]).toMatchObject({ named: false, satisfaction: { count: 5 } });
    expect(other.courses).toEqual(one.courses);
    expect(other).toMatchObject({
      anonymous_period: expect.objectContaining(d.day > 1 ? { to: iso(d.endOf('month')) } : { from: iso(d) }),
    });
    // The page says the period was taken as whole months.
    const page = await provider.get(`/console/survey-answers?course=${ZX}&${b}`);
    expect(page.text).toContain('只按整月筛选');
    expect(page.text).toContain('老师讲得很好');
    // Bureau staff keep the exact days (their view is named and audited).
    const admin = await consoleHttp(world.url, await invite(world.runtime, { role: 'admin' }));
    const before = json(
      (await admin.get(`/console/survey-answers.json?course=${ZX}&to=${iso(d.minus({ days: 1 }))}`)).text,
    );
    expect(before.courses).toEqual([]);
    expect((await admin.get(`/console/survey-answers?course=${ZX}`)).text).not.toContain('只按整月筛选');
  });
});
