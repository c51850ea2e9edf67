import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebChannel } from '../../src/channels/web/web-channel';
import { collectPageErrors, screenshot } from '../support/browser';
import { createCourse } from '../support/fixtures';
import { webSuite } from '../support/web-suite';
import { webChatId, webClient } from '../support/web-world';

const suite = webSuite({ workers: false }, { browser: true });

const answers = (page: Page) => page.locator('.msg.bot, .msg.notice').count();

async function act(page: Page, step: () => Promise<void>) {
  const before = await answers(page);
  await step();
  await expect.poll(() => answers(page), { timeout: 15_000 }).toBeGreaterThan(before);
  return (await page.locator('.msg.bot .text').last().textContent()) ?? '';
}
const say = (page: Page, text: string) =>
  act(page, async () => {
    await page.fill('#text', text);
    await page.click('#send');
  });
const tap = (page: Page, label: string) =>
  act(page, () => page.locator('.choices button:not([disabled])', { hasText: label }).first().click());

/** The chat id behind the page's cookie: the web login the server keeps for this suite.browser. */
async function pageChatId(page: Page): Promise<string | undefined> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'jineng_chat');
  if (!cookie) return undefined;
  const token = decodeURIComponent(cookie.value).replace(/\.[^.]+$/, '');
  return webChatId(suite.world.runtime, token);
}

describe('deleting one’s data from the web chat', () => {
  it('removes the web login and its waiting messages, and the next visit starts fresh', async () => {
    const db = suite.world.runtime.db;
    const web = suite.world.runtime.channels.get('web') as WebChannel;
    const course = await createCourse(db, { realNameRequired: false });
    const page = await suite.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const errors = collectPageErrors(page);
    await page.goto(`${suite.world.url}/`);
    await expect.poll(() => answers(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);

    // Sign up by phone, and get a class notice that is kept in the login's inbox.
    await say(page, `报名 ${course.code}`);
    expect(await tap(page, '报名')).toContain('手机');
    expect(await say(page, '13712340555')).toContain('报名成功');
    const chatId = (await pageChatId(page))!;
    await web.send({ channel: 'web', chatId }, { text: '周六的课改到201教室。' });
    await expect.poll(() => page.locator('.msg.notice').count()).toBe(1);
    expect(await db.webInboxMessage.count({ where: { loginId: chatId } })).toBe(1);

    // Delete, then confirm.
    await say(page, '删除我的信息');
    expect(await tap(page, '确定删除')).toContain('您的个人信息已删除');
    await screenshot(page, 'web-chat-deleted');
    expect(await db.webLogin.count({ where: { id: chatId } })).toBe(0);
    expect(await db.webInboxMessage.count({ where: { loginId: chatId } })).toBe(0);
    expect(await db.channelIdentity.count({ where: { channel: 'web', chatId } })).toBe(0);
    expect(await db.enrolment.count({ where: { courseId: course.id, status: 'confirmed' } })).toBe(0);
    // A notice for the old login no longer goes anywhere.
    await expect(web.send({ channel: 'web', chatId }, { text: '还在吗？' })).rejects.toThrow(/expired/);

    // The next visit: a new login, an empty page with a first greeting, and nothing of the old sign-up.
    await page.reload();
    await expect.poll(() => answers(page), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('.msg.me, .msg.notice').count()).toBe(0);
    const next = await pageChatId(page);
    expect(next).toBeDefined();
    expect(next).not.toBe(chatId);
    expect(await tap(page, '我报名的课程')).toContain('您还没有报名任何课程');
    expect(await page.locator('.log').textContent()).not.toContain('周六的课改到201教室');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses the old login token of a tool once its person deleted their data', async () => {
    const client = await webClient(suite.world.url);
    await client.say({ text: '你好' });
    const chatId = await webChatId(suite.world.runtime, client.token);
    await client.say({ text: '删除我的信息' });
    const done = await client.say({ text: '确定删除', choice: 1 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ ended: true });
    expect(done.body.replies.map((r) => r.text).join('\n')).toContain('您的个人信息已删除');
    expect(await suite.world.runtime.db.webLogin.count({ where: { id: chatId } })).toBe(0);

    const after = await client.say({ text: '你好' });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: 'invalid_session' });
  });
});
