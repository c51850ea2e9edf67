import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser';
import { createCourse } from '../support/fixtures';
import { uniquePrefix } from '../support/test-env';
import { type WebWorld, webWorld } from '../support/web-world';

/**
 * Issue 18, items 5 and 6 on the web chat in a real Chromium: a pending step survives reopening the page, a
 * reload, the connection dropping, and a restart of the server; buttons carry the numbers the texts ask for.
 */
const prefix = uniquePrefix('resume');
let browser: Browser;
let world: WebWorld;
beforeAll(async () => {
  world = await webWorld({ env: { QUEUE_PREFIX: prefix } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

const bubbles = (page: Page) => page.locator('.msg.bot, .msg.notice');
const lastBot = (page: Page) => page.locator('.msg.bot .text').last();

async function waitForBotCount(page: Page, count: number) {
  await expect.poll(() => bubbles(page).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
}

async function ask(page: Page, text: string) {
  const before = await bubbles(page).count();
  await page.fill('#text', text);
  await page.click('#send');
  await waitForBotCount(page, before + 1);
}

async function tap(page: Page, label: string | RegExp) {
  const before = await bubbles(page).count();
  await page.locator('.choices button:not([disabled])', { hasText: label }).first().click();
  await waitForBotCount(page, before + 1);
}

/** A page of the context (one browser profile: the chat cookie is shared, each tab's transcript is not). */
async function open(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${url}/`);
  await waitForBotCount(page, 1);
  return { page, errors };
}

describe('a sign-up half done on the web chat', () => {
  it('survives reopening the page, a reload, a dropped connection and a server restart', async () => {
    const course = await createCourse(world.runtime.db, { realNameRequired: true });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const first = await open(context, world.url);
    await ask(first.page, `报名 ${course.code}`);
    await tap(first.page, '报名这个班');
    const question = (await lastBot(first.page).textContent()) ?? '';
    expect(question).toContain('真实姓名');
    await first.page.close();

    // Reopened (a new tab: no transcript kept, the login cookie is): the pending question is shown again.
    const second = await open(context, world.url);
    await expect.poll(() => second.page.locator('.msg.bot .text').allTextContents()).toContain(question);
    expect(await second.page.locator('.msg.bot .text').allTextContents()).toContainEqual(
      expect.stringContaining('上次有一步还没完成'),
    );
    await screenshot(second.page, 'web-chat-resume-reopened');
    await ask(second.page, '赵文静');
    expect(await lastBot(second.page).textContent()).toContain('手机号');

    // Reloaded: the transcript is kept and the answer goes on from the same step.
    await second.page.reload();
    await waitForBotCount(second.page, 1);
    expect(await lastBot(second.page).textContent()).toContain('手机号');

    // The connection drops and comes back (the event stream reconnects): still the same step.
    await context.setOffline(true);
    await second.page.waitForTimeout(500);
    await context.setOffline(false);
    await second.page.waitForTimeout(500);

    // The server restarts: a new process on the same database and Redis, behind another port.
    const databaseUrl = world.runtime.config.DATABASE_URL!;
    await world.close();
    world = await webWorld({ env: { QUEUE_PREFIX: prefix, DATABASE_URL: databaseUrl } });
    const third = await open(context, world.url);
    await expect
      .poll(() => third.page.locator('.msg.bot .text').allTextContents())
      .toContainEqual(expect.stringContaining('手机号'));
    await ask(third.page, '13912345678');
    expect(await lastBot(third.page).textContent()).toContain('身份证号');
    const person = await world.runtime.db.person.findFirstOrThrow({ where: { realName: '赵文静' } });
    expect(person.phone).toBe('13912345678');
    expect([...first.errors, ...second.errors, ...third.errors]).toEqual([]);
    await context.close();
  });
});

describe('buttons on the web chat', () => {
  it('carry the numbers the text asks for, and typing a number does what the button does', async () => {
    await createCourse(world.runtime.db, { county: 'yiliang', trade: 'tianma', realNameRequired: false });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const { page, errors } = await open(context, world.url);
    const menu = page.locator('.msg.bot').last().locator('.choices button');
    const labels = await menu.allTextContents();
    expect(labels.length).toBeGreaterThan(1);
    for (const [i, label] of labels.entries()) expect(label.startsWith(`${i + 1}. `)).toBe(true);
    expect(await lastBot(page).textContent()).toContain('回复数字');

    await ask(page, '我在彝良，想学天麻种植');
    const skip = page.locator('.choices button:not([disabled])', { hasText: /跳过/ });
    if (await skip.count()) await tap(page, /跳过/);
    expect(await lastBot(page).textContent()).toContain('回复数字');
    const courseButtons = await page.locator('.msg.bot').last().locator('.choices button').allTextContents();
    expect(courseButtons[0]).toMatch(/^1\. /);
    // "1" typed opens the course the first button names.
    await ask(page, '1');
    expect(await lastBot(page).textContent()).toContain(courseButtons[0]!.replace(/^1\. /, '').split(' ')[0]);
    await screenshot(page, 'web-chat-numbered-buttons');
    expect(errors).toEqual([]);
    await context.close();
  });
});
