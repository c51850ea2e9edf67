import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { consoleHttp, invite } from '../support/console';
import { createCourse } from '../support/fixtures';
import { webSuite } from '../support/web-suite';

const suite = webSuite({ workers: false }, { browser: true });

const botTexts = (page: Page) => page.locator('.msg.bot .text').allTextContents();

describe('checking in by scanning the QR code', () => {
  it('the projected QR link opens the web chat in Chromium and checks the trainee in, once', async () => {
    const { db } = suite.world.runtime;
    // Check-in for the first session opened 20 minutes ago (it starts in 10).
    const course = await createCourse(db, { startsInHours: 10 / 60, county: 'zhenxiong' });

    // The trainee has used the web chat on this phone before (that is how they are known to the bot)…
    const context = await suite.browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${suite.world.url}/`);
    await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const identity = await db.channelIdentity.findFirstOrThrow({
      where: { channel: 'web' },
      orderBy: { createdAt: 'desc' },
    });
    // …and signed up for the class.
    const enrolment = await db.enrolment.create({
      data: { personId: identity.personId, courseId: course.id, status: 'confirmed' },
    });

    // The coordinator projects the check-in page; it is a real page, big code and QR code included.
    const http = await consoleHttp(
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['zhenxiong'] }),
    );
    const projector = await http.get(`/console/courses/${course.code}/attendance/1/code`);
    expect(projector.status).toBe(200);
    const link = /class="checkin-link" href="([^"]+)"/.exec(projector.text)?.[1] ?? '';
    expect(link).toContain('/chat?checkin=');
    const projectorPage = await context.newPage();
    await context.addCookies(
      [...http.jar].map(([name, value]) => ({ name, value, url: `${suite.world.url}/console` })),
    );
    await projectorPage.setViewportSize({ width: 1280, height: 800 });
    await projectorPage.goto(`${suite.world.url}/console/courses/${course.code}/attendance/1/code`);
    const codeBox = await projectorPage.locator('.checkin-code').boundingBox();
    // Readable from the back of a classroom: the digits are far taller than body text.
    expect(codeBox?.height ?? 0).toBeGreaterThan(80);
    expect(await projectorPage.locator('.checkin-qr svg').count()).toBe(1);
    await screenshot(projectorPage, 'attendance-projector');

    // Scanning the QR code opens its link in the phone's browser.
    await page.goto(link);
    await expect
      .poll(async () => (await botTexts(page)).join('\n'), { timeout: 15_000 })
      .toContain('签到成功');
    // The token is taken out of the address, so a reload does not send it again.
    expect(page.url()).not.toContain('checkin=');
    await page.reload();
    await page.waitForTimeout(1_000);
    await screenshot(page, 'attendance-qr-checked-in');

    const rows = await db.attendance.findMany({ where: { enrolmentId: enrolment.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ method: 'qr', status: 'present' });

    // Scanning again (a second photo of the screen) checks nobody in twice.
    await page.goto(link);
    await expect
      .poll(async () => (await botTexts(page)).join('\n'), { timeout: 15_000 })
      .toContain('已经签到过了');
    expect(await db.attendance.count({ where: { enrolmentId: enrolment.id } })).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
