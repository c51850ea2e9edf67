import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { invite, signUpInBrowser } from '../support/console';
import { webSuite } from '../support/web-suite';

/**
 * Issue 17, the console inbox: a web chat user from Zhenxiong asks for a person; a Zhenxiong coordinator with
 * the inbox open sees the request appear live (no reload), claims it and replies; the reply shows up in the
 * user's chat page through the outbound queue. A Weixin coordinator sees nothing: an empty list, no live
 * update, and a 404 for the item's address.
 */
// Staff are always in, so the promise the user is given does not depend on the day the test runs.
const suite = webSuite(
  { env: { OFFICE_HOURS: 'Mon-Sun 00:00-24:00', INBOX_REPLY_MINUTES: '15' } },
  { browser: true },
);

const REPLY = '您好，我是镇雄县就业服务中心的小李，请问想了解哪个培训班？';

async function openInbox(page: Page, url: string, code: string) {
  await signUpInBrowser(page, url, code);
  await page.click('nav >> text=人工服务');
  await page.waitForURL(/\/console\/inbox$/);
  // The page's script reports once its event stream stands: from then on no change is missed.
  await page.waitForSelector('body[data-live="on"]');
  await page.evaluate('window.loadedOnce = true');
}

async function say(chat: Page, text: string) {
  const before = await chat.locator('.msg.bot, .msg.notice').count();
  await chat.fill('#text', text);
  await chat.click('#send');
  await expect
    .poll(() => chat.locator('.msg.bot, .msg.notice').count(), { timeout: 15_000 })
    .toBeGreaterThan(before);
}

describe('the staff inbox in the console', () => {
  it('转人工 in the web chat → appears live for the coordinator in scope → claim and reply → the user reads it; others see nothing', {
    timeout: 180_000,
  }, async () => {
    const { url, runtime } = suite.world;
    const [staffContext, otherContext, userContext] = await Promise.all([
      suite.browser.newContext({ viewport: { width: 1200, height: 900 } }),
      suite.browser.newContext({ viewport: { width: 1200, height: 900 } }),
      suite.browser.newContext({ viewport: { width: 420, height: 800 } }),
    ]);
    const staff = await staffContext.newPage();
    const other = await otherContext.newPage();
    const chat = await userContext.newPage();
    const errors = [...[staff, other, chat].map(collectPageErrors)];

    await openInbox(staff, url, await invite(runtime, { counties: ['zhenxiong'] }));
    await openInbox(other, url, await invite(runtime, { counties: ['weixin'] }));
    expect(await staff.locator('p.empty').textContent()).toBe('现在没有人在等人工。');
    expect(await staff.locator('nav a[href="/console/inbox"]').textContent()).toBe('人工服务');

    // The user says hello, is registered in Zhenxiong (as a sign-up on file would have it), then asks.
    await chat.goto(`${url}/`);
    await say(chat, '你好');
    const { count } = await runtime.db.person.updateMany({
      where: { identities: { some: { channel: 'web' } } },
      data: { county: 'zhenxiong' },
    });
    expect(count).toBe(1);
    await say(chat, '转人工');
    // The greeting may still be arriving in pieces when the count first rises: wait for the answer itself.
    await expect
      .poll(() => chat.locator('.msg.bot .text').last().textContent(), { timeout: 15_000 })
      .toContain('工作人员会在这里回复您，通常在 15 分钟内');

    // Live: the row appears and the navigation counts it, on the page loaded before the request.
    const row = staff.locator('table.inbox tbody tr', { hasText: '转人工' });
    await row.waitFor({ timeout: 15_000 });
    expect(await staff.evaluate('window.loadedOnce')).toBe(true);
    expect(await row.locator('td').first().textContent()).toBe('转人工');
    expect(await row.locator('td.status').textContent()).toBe('等待中');
    expect(await row.textContent()).toContain('镇雄县');
    expect(await row.textContent()).toContain('网页');
    expect(await staff.locator('nav a[href="/console/inbox"]').textContent()).toBe('人工服务（1）');
    await screenshot(staff, 'console-inbox-list');

    // The item: its transcript, then claim and reply with the plain forms.
    await row.locator('a.button').click();
    await staff.waitForURL(/\/console\/inbox\/[0-9a-f-]{36}$/);
    const itemUrl = staff.url();
    expect(await staff.locator('ol.transcript li.user .said').first().textContent()).toBe('转人工');
    await staff.waitForSelector('body[data-live="on"]');
    await staff.click('button:text("接手")');
    await staff.waitForURL(/\?done=claimed$/);
    expect(await staff.locator('.notice').textContent()).toBe('已接手。');
    expect(await staff.locator('.facts .status').textContent()).toMatch(/^coord-[0-9a-f]{6} 处理中$/);
    await staff.fill('form.reply textarea[name="text"]', REPLY);
    await staff.click('form.reply button[type="submit"]');
    await staff.waitForURL(/\?done=replied$/);
    expect(await staff.locator('.notice').textContent()).toBe('回复已排队发送。');
    expect(await staff.locator('ol.transcript li.staff .said').last().textContent()).toBe(REPLY);
    await screenshot(staff, 'console-inbox-item');

    // The user's open chat page gets the reply through the outbound queue.
    const staffLine = chat.locator('.msg', { hasText: REPLY });
    await staffLine.waitFor({ timeout: 30_000 });
    expect(await staffLine.textContent()).toContain(`【工作人员】${REPLY}`);
    await screenshot(chat, 'web-chat-staff-reply');

    // What the user writes next reaches the item's transcript, live on the staff page.
    await chat.fill('#text', '我想报电工班');
    await chat.click('#send');
    await staff
      .locator('ol.transcript li.user .said', { hasText: '我想报电工班' })
      .waitFor({ timeout: 15_000 });

    // Out of scope: an empty list, no live refresh ever, and the item's address is a 404.
    await other.reload();
    expect(await other.locator('p.empty').textContent()).toBe('现在没有人在等人工。');
    expect(await other.locator('table.inbox').count()).toBe(0);
    expect(await other.evaluate('document.body.dataset.refreshed')).toBeUndefined();
    const refused = await other.goto(itemUrl);
    expect(refused?.status()).toBe(404);
    expect(await other.textContent('body')).not.toContain('转人工');
    const post = await other.evaluate(async (target) => {
      const response = await fetch(`${target}/claim`, { method: 'POST' });
      return response.status;
    }, itemUrl);
    expect(post).toBeGreaterThanOrEqual(400);

    // Closing it empties the list of the coordinator in scope.
    await staff.goto(itemUrl);
    await staff.fill('form.close input[name="outcome"]', '已说明报名材料');
    await staff.click('form.close button[type="submit"]');
    await staff.waitForURL(/\/console\/inbox\?done=closed(Rated)?$/);
    expect(await staff.locator('p.empty').textContent()).toBe('现在没有人在等人工。');
    const stored = await runtime.inbox.get(
      { role: 'admin', courseCodes: [], counties: [] },
      itemUrl.slice(itemUrl.lastIndexOf('/') + 1),
    );
    expect(stored).toMatchObject({ status: 'closed', outcome: '已说明报名材料' });

    expect(errors.flat()).toEqual([]);
    await Promise.all([staffContext.close(), otherContext.close(), userContext.close()]);
  });
});
