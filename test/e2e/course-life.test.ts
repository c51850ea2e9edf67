import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { consoleHttp, invite, signUpInBrowser } from '../support/console';
import { createCourse } from '../support/fixtures';
import { validIdNumber } from '../support/sample-runtime';
import { cliEnv } from '../support/test-env';
import { webSuite } from '../support/web-suite';
import { webClient } from '../support/web-world';

/**
 * Issue 20, done when: one course's whole life through the paths people use — five trainees sign up by chat
 * (one in a real browser), check in by code and by the projected QR link, the coordinator completes the course
 * and records certificates in the console, trainees ask for their certificate, rate the course, answer the
 * 3-month employment check, ask about their subsidy — and the report's figures equal what they did.
 */
const suite = webSuite({ env: { REMINDER_QUIET_HOURS: '', SURVEY_JOB_MINUTES: '1440' } }, { browser: true });
const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;
const DAY = 86_400_000;

const botTexts = async (page: Page) =>
  (await page.locator('.msg.bot .text, .msg.notice .text').allTextContents()).join('\n');

async function type(page: Page, text: string) {
  const before = await page.locator('.msg.bot, .msg.notice').count();
  await page.fill('#text', text);
  await page.click('#send');
  await expect
    .poll(() => page.locator('.msg.bot, .msg.notice').count(), { timeout: 20_000 })
    .toBeGreaterThan(before);
}

const said = (r: { body: { replies: { text: string }[] } }) => r.body.replies.map((x) => x.text).join('\n');

describe('a course from sign-up to the report', () => {
  it('signs up, checks in, completes, certifies, surveys, follows up, pays and reports the same figures', {
    timeout: 600_000,
  }, async () => {
    const { world, browser } = suite;
    const { db } = world.runtime;
    // One class, starting in 10 minutes: check-in is open.
    const course = await createCourse(db, { startsInHours: 10 / 60, realNameRequired: true, capacity: 10 });
    const [, second] = await db.classSession.findMany({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    });
    await db.classSession.delete({ where: { id: second!.id } });

    // --- Sign-up: four people through the web chat API, one in Chromium, all by typing. ---
    const signUp = async (say: (text: string) => Promise<unknown>, n: number, name: string) => {
      await say(`报名 ${course.code}`);
      await say('1');
      await say(name);
      await say(`1390000${String(n).padStart(4, '0')}`);
      await say('同意');
      await say(validIdNumber(900 + n));
    };
    const clients = await Promise.all([1, 2, 3, 4].map(() => webClient(world.url)));
    const names = ['张春花', '李大山', '王小兰', '赵明'];
    for (const [i, client] of clients.entries())
      await signUp((text) => client.say({ text }), i + 1, names[i]!);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const phone = await context.newPage();
    const errors = collectPageErrors(phone);
    await phone.goto(`${world.url}/`);
    await expect.poll(() => phone.locator('.msg.bot').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await signUp((text) => type(phone, text), 5, '孙丽');
    expect(await botTexts(phone)).toContain(course.code);

    const enrolments = await db.enrolment.findMany({
      where: { courseId: course.id },
      include: { person: { select: { realName: true } } },
    });
    expect(enrolments.map((e) => [e.person.realName, e.status]).sort()).toEqual(
      [...names, '孙丽'].map((n) => [n, 'confirmed']).sort(),
    );
    const enrolmentOf = (name: string) => enrolments.find((e) => e.person.realName === name)!;

    // --- Check-in: the coordinator projects the code; three send it, the phone scans the QR; 赵明 is absent. ---
    const coordinator = await consoleHttp(
      world.url,
      await invite(world.runtime, { counties: ['zhenxiong'] }),
    );
    const projector = await coordinator.get(`/console/courses/${course.code}/attendance/1/code`);
    const code = /class="checkin-code" data-code="(\d{6})"/.exec(projector.text)?.[1];
    const link = /class="checkin-link" href="([^"]+)"/.exec(projector.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    for (const client of clients.slice(0, 3))
      expect(said(await client.say({ text: `签到 ${code}` }))).toContain('签到成功');
    await phone.goto(link!);
    await expect.poll(() => botTexts(phone), { timeout: 20_000 }).toContain('签到成功');
    // A second try is not a second check-in.
    expect(said(await clients[0]!.say({ text: `签到 ${code}` }))).toContain('已经签到过了');
    expect(await db.attendance.count({ where: { enrolment: { courseId: course.id } } })).toBe(4);

    // The class ends (moved into the past: the day is over).
    await db.classSession.updateMany({
      where: { courseId: course.id },
      data: { startsAt: new Date(Date.now() - DAY), endsAt: new Date(Date.now() - DAY + 8 * 3_600_000) },
    });

    // --- Completion in the console: attendance 80% needed, no exam; 赵明 fails. ---
    const completed = await coordinator.submit(
      `/console/courses/${course.code}/complete`,
      `/console/courses/${course.code}/complete`,
      { passAttendancePct: '80', passExamScore: '' },
    );
    expect(completed.status).toBe(303);
    expect(completed.headers.get('location')).toContain('passed=4&failed=1');

    // --- Certificates for those who passed; a trainee asks for theirs. ---
    for (const [i, name] of ['张春花', '李大山', '王小兰', '孙丽'].entries()) {
      const saved = await coordinator.submit(
        `/console/courses/${course.code}/certificates`,
        `/console/courses/${course.code}/certificates`,
        {
          enrolmentId: enrolmentOf(name).id,
          type: 'training',
          number: `ZT2026-${course.code}-${i + 1}`,
          issuedOn: new Date().toISOString().slice(0, 10),
        },
      );
      expect(saved.status).toBeLessThan(400);
    }
    expect(said(await clients[1]!.say({ text: '我的证书' }))).toContain(`ZT2026-${course.code}-2`);
    await type(phone, '我的证书');
    expect(await botTexts(phone)).toContain(`ZT2026-${course.code}-4`);

    // --- Satisfaction: the survey job asks everyone on their chat; they answer 5, 5, 3, 2, and 4 by tapping. ---
    const now = new Date();
    await world.runtime.runSurveys(now);
    await expect
      .poll(() => db.satisfactionSurvey.count({ where: { courseId: course.id, askedAt: { not: null } } }), {
        timeout: 60_000,
      })
      .toBe(5);
    await expect.poll(() => botTexts(phone), { timeout: 60_000 }).toContain('打个分');
    for (const [i, rating] of ['5', '5', '3', '2'].entries()) {
      expect(said(await clients[i]!.say({ text: rating }))).toContain(`${rating} 分`);
      await clients[i]!.say({ text: '跳过' });
    }
    const before = await phone.locator('.msg.bot').count();
    await phone.locator('.choices button:not([disabled])', { hasText: '4 满意' }).last().click();
    await expect.poll(() => phone.locator('.msg.bot').count(), { timeout: 20_000 }).toBeGreaterThan(before);
    expect(await botTexts(phone)).toContain('4 分');

    // --- Three months later: employed, employed, business, still looking, not looking. ---
    await world.runtime.runSurveys(new Date(now.getTime() + 93 * DAY));
    await expect
      .poll(
        () => db.employmentCheck.count({ where: { courseId: course.id, months: 3, askedAt: { not: null } } }),
        { timeout: 60_000 },
      )
      .toBe(5);
    const answers = ['已经上班了', '自己开了个店', '还在找工作', '暂时不找工作'];
    for (const [i, answer] of answers.entries()) {
      await clients[i]!.say({ text: answer });
      if (i < 3) await clients[i]!.say({ text: '跳过' });
    }
    await expect.poll(() => botTexts(phone), { timeout: 60_000 }).toContain('个月了');
    await type(phone, '我已经上班了');
    await type(phone, '跳过');
    const checks = await db.employmentCheck.findMany({ where: { courseId: course.id, months: 3 } });
    expect(checks.map((c) => c.status).sort()).toEqual([
      'employed',
      'employed',
      'looking',
      'not_looking',
      'self_employed',
    ]);

    // --- Subsidies: three paid 1,500 yuan, one waiting for a document; she asks and is told what is missing. ---
    const claims = await coordinator.get(`/console/courses/${course.code}/subsidies`);
    const token = coordinator.tokenOf(claims.text);
    const change = (ids: string[], fields: Record<string, string>, docs: string[] = []) => {
      const body = new URLSearchParams({ _csrf: token, ...fields });
      for (const id of ids) body.append('enrolment', id);
      for (const d of docs) body.append('doc', d);
      return coordinator.post(`/console/courses/${course.code}/subsidies`, body);
    };
    const paid = await change(
      ['张春花', '李大山', '孙丽'].map((n) => enrolmentOf(n).id),
      { status: 'paid', amountYuan: '1500' },
    );
    expect(paid.status).toBe(303);
    const missingDoc = /name="doc" value="([^"]+)"/.exec(claims.text)?.[1];
    expect(missingDoc).toBeTruthy();
    await change([enrolmentOf('王小兰').id], { status: 'documents_missing', setDocs: 'yes' }, [missingDoc!]);
    const status = said(await clients[2]!.say({ text: '补贴发了没' }));
    expect(status).toContain('材料待补');
    expect(said(await clients[0]!.say({ text: '我的补贴到账了吗' }))).toContain('已发放');

    // --- The report: what the people above did, nothing more. ---
    const cli = spawnSync(process.execPath, [BIN, 'report', '--json', '--course', course.code], {
      encoding: 'utf8',
      timeout: 110_000,
      env: cliEnv('life', { DATABASE_URL: world.runtime.databaseUrl }),
    });
    expect(cli.status, cli.stderr).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.total).toMatchObject({
      trained: 5,
      attendance_rate: 0.8,
      pass_rate: 0.8,
      results: 5,
      satisfaction: 3.8,
      satisfaction_responses: 5,
      employment_rate_3m: 0.6,
      employment_answers_3m: 5,
      subsidies: { paid: { count: 3, yuan: 4500 }, documents_missing: { count: 1, yuan: 0 } },
    });

    // --- And the dashboard shows the same row, in a browser. ---
    const desk = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const deskErrors = collectPageErrors(desk);
    await signUpInBrowser(desk, world.url, await invite(world.runtime, { counties: ['zhenxiong'] }));
    await desk.goto(`${world.url}/console/reports?course=${course.code}`);
    await desk.waitForSelector('body[data-charts-drawn="3"]');
    const row = (await desk.locator('#by-course tbody tr').first().locator('td').allTextContents()).map((s) =>
      s.trim(),
    );
    expect(row.slice(0, 8)).toEqual([
      `${course.code} ${course.title}`,
      '5',
      '0',
      '80%',
      '80%',
      '60%',
      '—',
      '3.8',
    ]);
    await screenshot(desk, 'course-life-report');
    expect(errors).toEqual([]);
    expect(deskErrors).toEqual([]);
    await context.close();
  });
});
