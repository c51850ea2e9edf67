import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createPiiCipher, parseKey } from '../../src/core/people/pii-crypto';
import { collectPageErrors, screenshot } from '../support/browser';
import { invite, newUsername, signUpInBrowser } from '../support/console';
import { createCourse } from '../support/fixtures';
import { validIdNumber } from '../support/sample-runtime';
import { webSuite } from '../support/web-suite';

/**
 * Issue 18 item 7 in a real Chromium: the console on a 360-px phone (roster as cards, no sideways scrolling),
 * the audit log in words, the undelivered listed by name, and full-ID exports only for a subsidy officer.
 */
const suite = webSuite({}, { browser: true });
const db = () => suite.world.runtime.db;
const PHONE = { width: 360, height: 740 };

const TRAINEES = [
  { name: '欧阳娜', phone: '13912345678', id: validIdNumber(181) },
  { name: '李四', phone: '13800001111', id: validIdNumber(182) },
  { name: '王小五', phone: '13700002222', id: validIdNumber(183) },
];

/** A pastry class in its own county with three trainees (ID numbers on record, no chat), one on leave. */
async function classWithTrainees(county: string) {
  const config = suite.world.runtime.config;
  const cipher = createPiiCipher({
    encryptionKey: parseKey(config.PII_ENCRYPTION_KEY!),
    hashKey: parseKey(config.PII_HASH_KEY!),
  });
  const course = await createCourse(db(), { county, trade: 'chef' });
  await db().course.update({ where: { id: course.id }, data: { title: '中式面点班（手机测试）' } });
  const first = await db().classSession.findFirstOrThrow({
    where: { courseId: course.id },
    orderBy: { startsAt: 'asc' },
  });
  for (const [i, t] of TRAINEES.entries()) {
    const person = await db().person.create({
      data: {
        realName: t.name,
        phone: t.phone,
        idNumberEnc: cipher.encrypt(t.id),
        idNumberHash: cipher.hash(`${t.id}-${course.code}`),
        county,
      },
    });
    const enrolment = await db().enrolment.create({
      data: { personId: person.id, courseId: course.id, status: 'confirmed' },
    });
    if (i === 1)
      await db().leaveRequest.create({
        data: { enrolmentId: enrolment.id, sessionId: first.id, reason: '家里有事' },
      });
  }
  await db().course.update({ where: { id: course.id }, data: { seatsTaken: TRAINEES.length } });
  return course;
}

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function expectNoSidewaysScroll(page: Page) {
  // Evaluated in the page (a string: the test's TypeScript has no DOM types).
  const widths = (await page.evaluate(
    '({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth, viewport: window.innerWidth })',
  )) as { document: number; body: number; viewport: number };
  expect(widths.viewport).toBe(PHONE.width);
  expect(widths.document).toBeLessThanOrEqual(PHONE.width);
  expect(widths.body).toBeLessThanOrEqual(PHONE.width);
}

const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`;

describe('the console on a 360-px phone', () => {
  it('shows the roster as cards, the notice report with who was missed, and the audit log in words', {
    timeout: 120_000,
  }, async () => {
    const course = await classWithTrainees('ludian');
    const context = await suite.browser.newContext({ viewport: PHONE, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const username = await signUpInBrowser(
      page,
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['ludian'] }),
      newUsername('phone'),
    );
    await expectNoSidewaysScroll(page);

    // The roster: one card per trainee, labelled fields, the ID number masked, the leave request on its card.
    await page.goto(`${suite.world.url}/console/courses/${course.code}/roster`);
    await expectNoSidewaysScroll(page);
    const cards = page.locator('table.roster tbody tr');
    expect(await cards.count()).toBe(3);
    for (let i = 0; i < 3; i++) await expect.poll(() => cards.nth(i).isVisible()).toBe(true);
    const card = (await page.evaluate(`(() => {
      const tr = document.querySelector('table.roster tbody tr');
      const phone = tr.querySelector('td[data-label]');
      return {
        display: getComputedStyle(tr).display,
        width: tr.getBoundingClientRect().width,
        label: getComputedStyle(phone, '::before').content,
      };
    })()`)) as { display: string; width: number; label: string };
    expect(card.display).toBe('block');
    expect(card.width).toBeLessThanOrEqual(PHONE.width);
    expect(card.label).toBe('"手机号："');
    // The column heads are left to screen readers: the cards carry their own labels.
    expect((await page.locator('table.roster thead').boundingBox())!.height).toBeLessThanOrEqual(1);
    const roster = (await page.locator('table.roster').textContent()) ?? '';
    for (const t of TRAINEES) {
      expect(roster).toContain(t.name);
      expect(roster).toContain(masked(t.id));
      expect(roster).not.toContain(t.id);
    }
    expect(await cards.nth(1).textContent()).toContain('请假');
    expect(await cards.nth(1).textContent()).toContain('家里有事');
    // Not a subsidy officer: no full-ID export on offer.
    expect(await page.locator('a.full-ids').count()).toBe(0);
    await screenshot(page, 'console-phone-roster');

    // A notice from the phone; nobody has a chat the bot can reach, so the report names all three.
    await page.goto(`${suite.world.url}/console/broadcasts/new?course=${course.code}`);
    await expectNoSidewaysScroll(page);
    await page.fill('textarea[name=text]', '明天上午９点到２０１教室，请带身份证！');
    await page.click('form.form button[type=submit]');
    await page.click('form.inline button:has-text("发送")');
    await page.waitForURL(/\/console\/broadcasts\/[0-9a-f-]{36}/);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('table.undelivered tbody tr').count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(3);
    const missed = (await page.locator('table.undelivered').textContent()) ?? '';
    expect(missed).toContain('欧**');
    expect(missed).toContain('李*');
    expect(missed).toContain('139****5678');
    expect(missed).toContain('没有机器人能联系到的聊天');
    expect(missed).not.toContain('欧阳娜');
    expect(missed).not.toContain('13912345678');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'console-phone-report');

    // The audit log reads in words, with no raw action codes.
    await page.goto(`${suite.world.url}/console/audit`);
    await expectNoSidewaysScroll(page);
    const audit = (await page.locator('table.audit').textContent()) ?? '';
    expect(audit).toContain(`${username} 向 ${course.code} 发送了通知（3 人）`);
    expect(audit).toContain(`${username} 查看了 ${course.code} 的学员名单（3 人）`);
    expect(audit).toContain(`${username} 开通了管理后台账号 ${username}`);
    expect(audit).not.toMatch(/broadcast\.confirmed|roster\.viewed|console\.account_created/);
    await screenshot(page, 'console-phone-audit');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('roster exports', () => {
  it('carry full ID numbers only for a subsidy officer an admin allowed, audited per export; leave in a column', {
    timeout: 120_000,
  }, async () => {
    const course = await classWithTrainees('yiliang');
    const coordinatorContext = await suite.browser.newContext();
    const page = await coordinatorContext.newPage();
    const coordinator = await signUpInBrowser(
      page,
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['yiliang'] }),
      newUsername('subsidy'),
    );
    const base = `${suite.world.url}/console/courses/${course.code}/roster`;

    // Not allowed yet: asking for the full file gets the masked one, audited as a masked export.
    const refused = await (await page.request.get(`${base}.csv?ids=full`)).text();
    for (const t of TRAINEES) {
      expect(refused).toContain(masked(t.id));
      expect(refused).not.toContain(t.id);
    }
    expect(refused.split('\r\n')[0]).toContain('请假');
    expect(refused).toContain('家里有事');

    // An admin allows it on the accounts page.
    const adminContext = await suite.browser.newContext();
    const admin = await adminContext.newPage();
    const adminName = await signUpInBrowser(
      admin,
      suite.world.url,
      await invite(suite.world.runtime, { role: 'admin' }),
      newUsername('admin'),
    );
    await admin.goto(`${suite.world.url}/console/accounts`);
    await admin.click(`tr[data-account="${coordinator}"] button:has-text("允许导出完整身份证号")`);
    await admin.waitForURL(/done=grant-subsidy/);
    expect(
      await admin.locator(`tr[data-account="${coordinator}"] td[data-k="scope"]`).textContent(),
    ).toContain('可导出完整身份证号');

    await page.goto(base);
    expect(await page.locator('a.full-ids').count()).toBe(2);
    expect(await page.locator('p.hint').first().textContent()).toContain('每次导出都会记入操作记录');
    const xlsx = await page.request.get(`${base}.xlsx?ids=full`);
    expect(xlsx.headers()['content-disposition']).toContain(`roster-${course.code}-full.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.body()) as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0]!.getSheetValues().slice(1) as (string | undefined)[][];
    const header = rows[0]!;
    const idColumn = header.indexOf('身份证号');
    const leaveColumn = header.indexOf('请假');
    expect(idColumn).toBeGreaterThan(0);
    expect(leaveColumn).toBeGreaterThan(0);
    expect(
      rows
        .slice(1)
        .map((r) => r[idColumn])
        .sort(),
    ).toEqual(TRAINEES.map((t) => t.id).sort());
    expect(rows.slice(1).some((r) => String(r[leaveColumn] ?? '').includes('家里有事'))).toBe(true);
    // The page itself never shows them.
    expect(await page.locator('table.roster').textContent()).not.toContain(TRAINEES[0]!.id);

    const coordinatorPerson = await db().consoleAccount.findUniqueOrThrow({
      where: { username: coordinator },
    });
    const exports = await db().auditLog.findMany({
      where: { actorId: coordinatorPerson.personId, action: { startsWith: 'roster.exported' } },
      orderBy: { id: 'asc' },
    });
    expect(exports.map((e) => [e.action, e.target, (e.detail as { rows: number }).rows])).toEqual([
      ['roster.exported', course.code, 3],
      ['roster.exported_full', course.code, 3],
    ]);
    expect(JSON.stringify(exports.map((e) => [e.target, e.detail]))).not.toContain(TRAINEES[0]!.id);

    // The admin reads who exported what, in words.
    await admin.goto(`${suite.world.url}/console/audit`);
    const audit = (await admin.locator('table.audit').textContent()) ?? '';
    expect(audit).toContain(
      `${coordinator} 导出了 ${course.code} 含完整身份证号的学员名单（3 人，用于补贴申领）`,
    );
    expect(audit).toContain(`${adminName} 允许 ${coordinator} 导出含完整身份证号的名单（补贴申领）`);

    // Withdrawn: masked again.
    await admin.goto(`${suite.world.url}/console/accounts`);
    await admin.click(`tr[data-account="${coordinator}"] button:has-text("取消导出完整身份证号")`);
    await admin.waitForURL(/done=revoke-subsidy/);
    const after = await (await page.request.get(`${base}.csv?ids=full`)).text();
    expect(after).not.toContain(TRAINEES[0]!.id);
    await adminContext.close();
    await coordinatorContext.close();
  });
});
