import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { invite, signUpInBrowser } from '../support/console';
import { createCourse } from '../support/fixtures';
import { enrolledPeople } from '../support/outreach-runtime';
import { webSuite } from '../support/web-suite';

const suite = webSuite({}, { browser: true });

describe('a coordinator moves a class in the console (issue 19)', () => {
  it('edits the time and place, sees the preview of who is told, confirms, and is told how many were reached', {
    timeout: 120_000,
  }, async () => {
    const { runtime, url } = suite.world;
    const course = await createCourse(runtime.db);
    // One person signed up with no chat the bot can reach: counted, to be phoned.
    await enrolledPeople(runtime.db, course.id, 1, { withIdentity: false });
    const session = (await runtime.db.classSession.findFirstOrThrow({
      where: { courseId: course.id },
      orderBy: { startsAt: 'asc' },
    }))!;
    const page = await suite.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = collectPageErrors(page);
    await signUpInBrowser(page, url, await invite(runtime, { counties: ['zhenxiong'] }));

    await page.goto(`${url}/console/courses/${course.code}/sessions`);
    await page.click(`a[href$="/sessions/${session.id}/edit"]`);
    const next = DateTime.fromJSDate(session.startsAt, { zone: 'Asia/Shanghai' })
      .plus({ days: 1 })
      .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    await page.fill('input[name="startsAt"]', next.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.fill('input[name="endsAt"]', next.plus({ hours: 8 }).toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.fill('input[name="venue"]', '实训楼 302');
    await page.click('form.form button[type="submit"]');
    await page.waitForSelector('p[data-k="notify"]');
    await screenshot(page, 'console-session-change-preview');
    expect(await page.textContent('p[data-k="notify"]')).toContain('将通知已报名的 1 人');
    expect(await page.textContent('p[data-k="sample"]')).toContain('实训楼 302');
    // Not changed before the confirmation.
    expect((await runtime.db.classSession.findUniqueOrThrow({ where: { id: session.id } })).venue).toBe(
      '201教室',
    );

    await page.click('text=确认修改并通知');
    await page.waitForSelector('p[data-k="changed"]');
    await screenshot(page, 'console-session-changed');
    const flash = await page.textContent('p[data-k="changed"]');
    expect(flash).toContain('已保存，已通知 0 人');
    expect(flash).toContain('1 人没有可联系的渠道，请电话通知');
    expect(await page.textContent('table')).toContain('实训楼 302');
    const stored = await runtime.db.classSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(stored.startsAt).toEqual(next.toJSDate());
    expect(errors).toEqual([]);
    await page.close();
  });
});
