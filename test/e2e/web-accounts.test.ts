import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { consoleClient, consoleHttp, invite, PASSWORD, signUpInBrowser } from '../support/console';
import { webSuite } from '../support/web-suite';

const suite = webSuite({ env: { WEB_IP_RATE_PER_MINUTE: '100000' } }, { browser: true });

const row = (page: Page, username: string) => page.locator(`tr[data-account="${username}"]`);

/** Clicks one of an account's action buttons on the accounts page. */
async function act(page: Page, username: string, label: string) {
  await row(page, username).locator(`button:text-is("${label}")`).click();
}

describe('an admin managing console accounts', () => {
  it('lists accounts, disables and enables one, resets its password and ends its sessions', {
    timeout: 120_000,
  }, async () => {
    const { world } = suite;
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const adminName = await signUpInBrowser(page, world.url, await invite(world.runtime, { role: 'admin' }));
    const coordinator = await consoleHttp(
      world.url,
      await invite(world.runtime, { counties: ['zhenxiong'] }),
    );
    const name = coordinator.username;

    await page.click('nav >> text=账号管理');
    expect(await page.locator('h1').textContent()).toBe('账号管理');
    const listed = row(page, name);
    expect(await listed.textContent()).toContain('培训联络员：镇雄县');
    expect(await listed.locator('[data-k="totp"]').textContent()).toBe('未开启');
    expect(await listed.locator('[data-k="sessions"]').textContent()).toBe('1');
    expect(await listed.locator('[data-k="status"]').textContent()).toBe('正常');
    expect(await row(page, adminName).locator('[data-k="totp"]').textContent()).toBe('已开启');
    await screenshot(page, 'console-accounts');

    // Disable: the open session stops working at once and the password no longer signs in.
    await act(page, name, '停用');
    expect(await page.locator('.notice').textContent()).toContain(`已停用账号 ${name}`);
    expect(await row(page, name).locator('[data-k="status"]').textContent()).toBe('已停用');
    expect(await row(page, name).locator('[data-k="sessions"]').textContent()).toBe('0');
    const dead = await coordinator.get('/console/courses');
    expect([dead.status, dead.headers.get('location')]).toEqual([302, '/console/login']);
    const refused = await consoleClient(world.url).signIn(name, PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('用户名、密码或邀请码不对');

    // Enable again: the same password signs in.
    await act(page, name, '重新启用');
    expect(await row(page, name).locator('[data-k="status"]').textContent()).toBe('正常');
    const back = consoleClient(world.url);
    expect((await back.signIn(name, PASSWORD)).status).toBe(303);
    expect((await back.get('/console/courses')).status).toBe(200);

    // End all sessions: that browser is signed out.
    await page.reload();
    expect(await row(page, name).locator('[data-k="sessions"]').textContent()).toBe('1');
    await act(page, name, '退出所有登录');
    expect((await back.get('/console/courses')).status).toBe(302);

    // Reset the password: a temporary one, shown once; the old password stops working; the temporary one
    // leads only to choosing a new password.
    await act(page, name, '重置密码');
    expect(await page.locator('h1').textContent()).toBe('临时密码');
    const temporary = (await page.locator('.temporary-password').textContent())!.trim();
    expect(temporary).toMatch(/^[A-Za-z2-9]{16}$/);
    await screenshot(page, 'console-accounts-reset');
    expect((await consoleClient(world.url).signIn(name, PASSWORD)).status).toBe(401);
    const owner = consoleClient(world.url);
    const signedIn = await owner.signIn(name, temporary);
    expect([signedIn.status, signedIn.headers.get('location')]).toEqual([303, '/console/account/password']);
    expect((await owner.get('/console/courses')).headers.get('location')).toBe('/console/account/password');
    const changed = await owner.submit('/console/account/password', '/console/account/password', {
      current: temporary,
      password: 'a new long password',
      repeat: 'a new long password',
    });
    expect(changed.headers.get('location')).toBe('/console/courses');
    expect((await owner.get('/console/courses')).status).toBe(200);
    expect((await consoleClient(world.url).signIn(name, 'a new long password')).status).toBe(303);

    // What the admin did is in the audit log, in words.
    await page.goto(`${world.url}/console/audit`);
    const audit = (await page.locator('table').textContent()) ?? '';
    for (const words of ['停用账号', '重新启用账号', '退出所有登录', '重置密码', '修改密码']) {
      expect(audit).toContain(words);
    }
    expect(audit).toContain(name);

    // A coordinator does not see the accounts page, nor can act on accounts.
    expect((await owner.get('/console/accounts')).status).toBe(404);
    const adminRow = await world.runtime.db.consoleAccount.findUniqueOrThrow({
      where: { username: adminName },
    });
    const attempt = await owner.submit('/console/courses', `/console/accounts/${adminRow.id}/disable`);
    expect(attempt.status).toBe(404);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a user and their own sessions', () => {
  it('sees where they are signed in and signs another browser out', { timeout: 60_000 }, async () => {
    const { world } = suite;
    const first = await suite.browser.newContext();
    const page = await first.newPage();
    const name = await signUpInBrowser(
      page,
      world.url,
      await invite(world.runtime, { counties: ['weixin'] }),
    );
    const other = consoleClient(world.url);
    expect((await other.signIn(name, PASSWORD)).status).toBe(303);

    await page.click('nav >> text=我的账号');
    const sessions = page.locator('table.sessions tbody tr');
    expect(await sessions.count()).toBe(2);
    expect(await page.locator('table.sessions').textContent()).toContain('当前这个');
    expect(await page.locator('table.sessions').textContent()).toContain('HeadlessChrome');
    await screenshot(page, 'console-my-account');
    await sessions.locator('button:text-is("退出这个设备")').click();
    expect(await page.locator('.notice').textContent()).toBe('已退出。');
    expect(await sessions.count()).toBe(1);
    expect((await other.get('/console/courses')).status).toBe(302);
    expect((await page.goto(`${world.url}/console/courses`))?.status()).toBe(200);
    await first.close();
  });
});
