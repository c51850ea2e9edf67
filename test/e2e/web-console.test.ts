import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { invite, signUpInBrowser } from '../support/console';
import { courseCode, createCourse } from '../support/fixtures';
import { validIdNumber } from '../support/sample-runtime';
import { webSuite } from '../support/web-suite';
import { webClient } from '../support/web-world';

const suite = webSuite({}, { browser: true });

/** What Excel on a Chinese Windows writes for "Save as CSV": GBK, Chinese headers, a broken row. */
function gbkCourseFile(code: string, badCode: string): Buffer {
  const lines = [
    '课程编号,课程名称,工种,县区,地点,名额,实名制,开始时间,结束时间,课次,间隔天数',
    `${code},镇雄电商直播实操班,电子商务,镇雄县,镇雄县职业技术学校 301教室,30,否,2030-03-02 09:00,2030-03-02 17:00,3,7`,
    `${badCode},不在范围的课,电子商务,火星县,某地,30,否,,,,`,
    `ZX-BAD-07,"引号没有关上,电子商务,镇雄县,某地,30,否,,,,`,
  ];
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk');
}

async function reportCell(page: Page, key: string): Promise<number> {
  return Number(await page.locator(`td[data-k="${key}"]`).first().textContent());
}

describe('a coordinator in the console', () => {
  it('signs in with an invite, imports a GBK CSV, enrols someone, broadcasts and reads the delivery report', {
    timeout: 120_000,
  }, async () => {
    const code = `ZX-${courseCode().slice(3, 7)}-01`.replace(/[^A-Z0-9-]/g, 'Q');
    const badCode = 'ZX-BD-02';
    const page = await suite.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = collectPageErrors(page);

    // Not signed in: sent to the sign-in page.
    await page.goto(`${suite.world.url}/console/courses`);
    expect(page.url()).toMatch(/\/console\/login$/);
    await screenshot(page, 'console-login');
    await signUpInBrowser(
      page,
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['zhenxiong'] }),
    );
    await screenshot(page, 'console-courses');

    // Import.
    await page.click('nav >> text=导入课程');
    await screenshot(page, 'console-import');
    await page.setInputFiles('input[type=file]', {
      name: '课程.csv',
      mimeType: 'text/csv',
      buffer: gbkCourseFile(code, badCode),
    });
    await page.click('form.form button[type=submit]');
    await page.waitForSelector('.notice');
    const summary = (await page.locator('.notice').textContent()) ?? '';
    expect(summary).toContain('新建 1 门');
    expect(await page.locator('.hint').first().textContent()).toContain('GB18030');
    const problems = await page.locator('table.problems tbody tr').allTextContents();
    expect(
      problems.some((p) => p.includes(badCode) && p.includes('县区') && p.includes('不是可选的值')),
    ).toBe(true);
    expect(problems.some((p) => p.includes('格式坏了'))).toBe(true);
    await screenshot(page, 'console-import-report');
    const imported = await suite.world.runtime.db.course.findUniqueOrThrow({
      where: { code },
      include: { sessions: true },
    });
    expect(imported.title).toBe('镇雄电商直播实操班');
    expect(imported.county).toBe('zhenxiong');
    expect(imported.realNameRequired).toBe(false);
    expect(imported.sessions).toHaveLength(3);

    // Course pages.
    await page.click(`a:text("${code}")`);
    await screenshot(page, 'console-course');
    await page.click('a.button:text("上课安排")');
    expect(await page.locator('table tbody tr').count()).toBe(3);
    await screenshot(page, 'console-sessions');
    await page.goto(`${suite.world.url}/console/courses/${code}/edit`);
    await screenshot(page, 'console-course-edit');

    // A worker asks the coordinator to sign them up; their ID number shows masked in the roster.
    const id = validIdNumber(77);
    await page.goto(`${suite.world.url}/console/courses/${code}/enrol`);
    await page.fill('input[name=realName]', '李四');
    await page.fill('input[name=phone]', '13912345678');
    await page.fill('input[name=idNumber]', id);
    await page.check('input[name=givenBy][value=family]');
    await page.fill('input[name=relation]', '儿子');
    await page.check('input[name=method][value=phone]');
    await page.check('input[name=consent]');
    await screenshot(page, 'console-enrol');
    await page.click('form.form button[type=submit]');
    expect(await page.locator('.notice').textContent()).toContain('报名成功');
    await page.click('a.button:text("学员名单")');
    const roster = (await page.locator('table').textContent()) ?? '';
    expect(roster).toContain('李四');
    expect(roster).toContain(`${id.slice(0, 4)}**********${id.slice(-4)}`);
    expect(roster).not.toContain(id);
    await screenshot(page, 'console-roster');
    const csv = await page.request.get(`${suite.world.url}/console/courses/${code}/roster.csv`);
    const csvText = await csv.text();
    expect(csvText).toContain(`${id.slice(0, 4)}**********${id.slice(-4)}`);
    expect(csvText).not.toContain(id);
    const xlsx = await page.request.get(`${suite.world.url}/console/courses/${code}/roster.xlsx`);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');

    // A worker on the web chat signs up for the imported course and keeps the page open.
    const worker = await webClient(suite.world.url);
    await worker.say({ text: `报名 ${code}` });
    const asked = await worker.say({ text: '报名这个班', choice: 1 });
    expect(asked.body.replies.map((r) => r.text).join('\n')).toContain('手机');
    const joined = await worker.say({ text: '13712345678' });
    expect(joined.body.replies.map((r) => r.text).join('\n')).toContain('报名成功');
    const stream = await worker.events();

    // Broadcast with preview and recipient count, then the delivery report.
    await page.goto(`${suite.world.url}/console/broadcasts/new?course=${code}`);
    await page.fill('textarea[name=text]', '周六的课改到201教室，请带身份证。');
    await screenshot(page, 'console-broadcast-compose');
    await page.click('form.form button[type=submit]');
    expect(await page.locator('main > p').first().textContent()).toContain('2 人');
    await screenshot(page, 'console-broadcast-preview');
    await page.click('form.inline button:has-text("发送（2 人）")');
    await page.waitForURL(/\/console\/broadcasts\/[0-9a-f-]{36}$/);
    await stream.waitFor((e) => e.some((x) => x.event === 'message'));
    expect(JSON.stringify(stream.events)).toContain('周六的课改到201教室');
    await stream.close();
    for (let i = 0; i < 30 && (await reportCell(page, 'pending')) > 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    expect(await reportCell(page, 'recipients')).toBe(2);
    expect(await reportCell(page, 'sent')).toBe(1);
    expect(await page.locator('table.report').textContent()).toContain('没有机器人能联系到的聊天');
    await screenshot(page, 'console-broadcast-report');
    await page.click('nav >> text=通知');
    expect(await page.locator('table').textContent()).toContain(code);
    await screenshot(page, 'console-broadcasts');

    // Everything above is in the audit log, in words (the codes stay on the rows' data-action).
    await page.click('nav >> text=操作记录');
    const audit = (await page.locator('table').textContent()) ?? '';
    for (const words of [
      '导入了课程',
      `新建了课程 ${code}`,
      `代一位学员报名了 ${code}`,
      `导出了 ${code} 的学员名单`,
      `向 ${code} 发送了通知（2 人）`,
    ]) {
      expect(audit).toContain(words);
    }
    for (const action of ['course.imported', 'enrolment.on_behalf', 'roster.exported', 'broadcast.confirmed'])
      expect(await page.locator(`tr[data-action="${action}"]`).count()).toBeGreaterThan(0);
    await screenshot(page, 'console-audit');

    // In English.
    await page.click('header >> text=English');
    expect(await page.locator('h1').textContent()).toBe('Audit log');
    await page.goto(`${suite.world.url}/console/courses?lang=zh-CN`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a coordinator only the courses in their scope, and the queues only to admins', async () => {
    const mine = await createCourse(suite.world.runtime.db, { county: 'weixin' });
    const other = await createCourse(suite.world.runtime.db, { county: 'ludian' });
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await signUpInBrowser(page, suite.world.url, await invite(suite.world.runtime, { counties: ['weixin'] }));
    const list = (await page.locator('main').textContent()) ?? '';
    expect(list).toContain(mine.code);
    expect(list).not.toContain(other.code);
    expect((await page.goto(`${suite.world.url}/console/courses/${other.code}`))?.status()).toBe(404);
    expect((await page.goto(`${suite.world.url}/console/courses/${other.code}/roster.csv`))?.status()).toBe(
      404,
    );
    expect((await page.goto(`${suite.world.url}/admin/queues`))?.status()).toBe(403);
    await context.close();

    const adminContext = await suite.browser.newContext();
    const admin = await adminContext.newPage();
    await signUpInBrowser(
      admin,
      suite.world.url,
      await invite(suite.world.runtime, { role: 'admin' }),
      'admin-e2e',
    );
    expect(await admin.locator('main').textContent()).toContain(other.code);
    const queues = await admin.goto(`${suite.world.url}/admin/queues`);
    expect(queues?.status()).toBe(200);
    await admin.waitForSelector('text=outbound-web', { timeout: 15_000 });
    await screenshot(admin, 'admin-queues');
    await adminContext.close();
  });
});

describe('course pages', () => {
  it('create, edit, add and cancel a class session, and close sign-ups', { timeout: 60_000 }, async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signUpInBrowser(page, suite.world.url, await invite(suite.world.runtime, { counties: ['daguan'] }));
    await page.click('a.button:text("新建课程")');
    await page.fill('input[name=code]', 'dg-cs-07');
    await page.fill('input[name=title]', '<b>大关</b> 厨师班');
    await page.selectOption('select[name=trade]', 'chef');
    await page.selectOption('select[name=county]', 'zhenxiong');
    await page.fill('input[name=venue]', '大关县人社局');
    await page.fill('input[name=capacity]', '20');
    await page.fill('input[name=startsAt]', '2030-05-06T09:00');
    await page.fill('input[name=endsAt]', '2030-05-06T17:00');
    await page.click('form.form button[type=submit]');
    // Zhenxiong is not this coordinator's county: the form says so and keeps what was typed.
    expect(await page.locator('.field-error').first().textContent()).toContain('不在您负责的范围内');
    expect(await page.inputValue('input[name=title]')).toBe('<b>大关</b> 厨师班');
    await page.selectOption('select[name=county]', 'daguan');
    await page.click('form.form button[type=submit]');
    await page.waitForURL(/\/console\/courses\/DG-CS-07$/);
    expect(await page.locator('h1').textContent()).toBe('DG-CS-07 <b>大关</b> 厨师班');
    expect(await page.locator('h1 b').count()).toBe(0);

    await page.click('a.button:text("修改课程")');
    await page.fill('input[name=capacity]', '0');
    await page.click('form.form button[type=submit]');
    expect(await page.locator('.field-error').first().textContent()).toContain('数字超出范围');
    await page.fill('input[name=capacity]', '25');
    await page.click('form.form button[type=submit]');
    await page.waitForURL(/\/console\/courses\/DG-CS-07$/);
    expect(await page.locator('dl.facts').textContent()).toContain('0 / 25');

    await page.click('a.button:text("上课安排")');
    await page.fill('input[name=startsAt]', '2030-05-13T09:00');
    await page.fill('input[name=endsAt]', '2030-05-13T08:00');
    await page.click('form.form button[type=submit]');
    expect(await page.locator('.field-error').first().textContent()).toContain('结束时间要晚于开始时间');
    await page.fill('input[name=endsAt]', '2030-05-13T17:00');
    await page.click('form.form button[type=submit]');
    expect(await page.locator('table tbody tr').count()).toBe(2);
    await page.locator('table tbody tr').first().locator('button').click();
    // Cancelling a class shows who will be told first (issue 19); nothing changes until it is confirmed.
    expect(await page.locator('[data-k="notify"]').textContent()).toBeTruthy();
    await page.click('form.form button[type=submit]');
    await page.waitForURL(/\/sessions/);
    expect(await page.locator('table tbody tr.muted').count()).toBe(1);

    await page.goto(`${suite.world.url}/console/courses/DG-CS-07`);
    await page.click('button:text("截止报名")');
    expect(await page.locator('dl.facts').textContent()).toContain('已截止');
    const course = await suite.world.runtime.db.course.findUniqueOrThrow({
      where: { code: 'DG-CS-07' },
      include: { sessions: true },
    });
    expect(course).toMatchObject({
      status: 'closed',
      capacity: 25,
      county: 'daguan',
      realNameRequired: true,
    });
    expect(course.sessions.filter((s) => s.cancelled)).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
