import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/app/knowledge';
import type { WebChannel } from '../../src/channels/web/web-channel';
import { collectPageErrors, screenshot } from '../support/browser';
import { createCourse } from '../support/fixtures';
import { webSuite } from '../support/web-suite';
import { webClient } from '../support/web-world';

const suite = webSuite({}, { browser: true });

const botMessages = (page: Page) => page.locator('.msg.bot .text');
const lastBot = (page: Page) => botMessages(page).last();

async function waitForBotCount(page: Page, count: number) {
  await expect
    .poll(() => page.locator('.msg.bot, .msg.notice').count(), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(count);
}

async function ask(page: Page, text: string) {
  const before = await page.locator('.msg.bot, .msg.notice').count();
  await page.fill('#text', text);
  await page.click('#send');
  await waitForBotCount(page, before + 1);
}

async function tap(page: Page, label: string | RegExp) {
  const before = await page.locator('.msg.bot, .msg.notice').count();
  await page.locator('.choices button:not([disabled])', { hasText: label }).first().click();
  await waitForBotCount(page, before + 1);
}

describe('a worker on the web chat', () => {
  it('asks a policy question, finds a course and joins it by tapping buttons, then gets a notice pushed', async () => {
    const course = await createCourse(suite.world.runtime.db, {
      county: 'yiliang',
      trade: 'tianma',
      realNameRequired: false,
    });
    const page = await suite.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const errors = collectPageErrors(page);
    await page.goto(`${suite.world.url}/`);
    expect(await page.locator('h1').textContent()).toBe('技能培训助手');
    await waitForBotCount(page, 1);
    expect(await lastBot(page).textContent()).toContain('技能');

    await ask(page, '学徒制企业补贴多少');
    const answer = (await lastBot(page).textContent()) ?? '';
    expect(answer).toContain('依据');
    expect(answer).toContain('4000');

    await ask(page, '我在彝良，想学天麻种植');
    // The bot may ask one more question about age and groups first; skipping it goes straight to the list.
    const skip = page.locator('.choices button:not([disabled])', { hasText: /跳过/ });
    if (await skip.count()) await tap(page, /跳过/);
    await tap(page, course.code);
    expect(await page.locator('.msg.bot').last().textContent()).toContain(course.code);
    await tap(page, '报名这个班');
    expect(await lastBot(page).textContent()).toContain('手机');
    await ask(page, '13812345678');
    const done = (await page.locator('.msg.bot .text').allTextContents()).slice(-3).join('\n');
    expect(done).toContain('报名成功');

    const enrolment = await suite.world.runtime.db.enrolment.findFirstOrThrow({
      where: { course: { code: course.code } },
      include: { person: { include: { identities: true } } },
    });
    expect(enrolment.status).toBe('confirmed');
    expect(enrolment.person.phone).toBe('13812345678');
    expect(enrolment.person.identities[0]?.channel).toBe('web');

    // A coordinator's notice reaches the open page over SSE.
    const web = suite.world.runtime.channels.get('web') as WebChannel;
    await web.send(
      { channel: 'web', chatId: enrolment.person.identities[0]!.chatId },
      { text: '明天上午9点改到201教室' },
    );
    await page.waitForSelector('.msg.notice');
    expect(await page.locator('.msg.notice .text').last().textContent()).toBe('明天上午9点改到201教室');
    await screenshot(page, 'web-chat');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows scripts in messages as text and never runs them', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = collectPageErrors(page);
    await page.goto(`${suite.world.url}/`);
    await waitForBotCount(page, 1);
    const attack = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    await ask(page, attack);
    expect(await page.locator('.msg.me .text').last().textContent()).toBe(attack);
    expect(await page.locator('.msg img, .msg script').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();

    const web = suite.world.runtime.channels.get('web') as WebChannel;
    const login = await suite.world.runtime.db.webLogin.findFirstOrThrow({
      orderBy: { createdAt: 'desc' },
    });
    await web.send({ channel: 'web', chatId: login.id }, { text: attack });
    await page.waitForSelector('.msg.notice');
    expect(await page.locator('.msg.notice .text').last().textContent()).toBe(attack);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches to English: the page and the bot', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${suite.world.url}/`);
    await waitForBotCount(page, 1);
    const before = await page.locator('.msg.bot').count();
    await page.click('#lang');
    await waitForBotCount(page, before + 1);
    expect(await page.locator('h1').textContent()).toBe('Skills Training Assistant');
    expect(await lastBot(page).textContent()).toMatch(/English|reply/i);
    await ask(page, 'Is the training free?');
    expect(await lastBot(page).textContent()).toMatch(/[a-z]{4,}/);
    await screenshot(page, 'web-chat-en');
    await page.close();
  });
});

describe('a tool on the web chat API', () => {
  it('is told what each message was understood as, and which policy clause an answer relies on', async () => {
    const client = await webClient(suite.world.url);
    const hello = await client.say({ text: '你好' });
    expect(hello.status).toBe(200);
    expect(hello.body).toMatchObject({ intent: 'greeting', citations: [], answer: 'other' });

    const asked = await client.say({ text: '学徒制企业补贴多少' });
    expect(asked.body.intent).toBe('policy.ask');
    expect(asked.body.citations).toHaveLength(1);
    expect(asked.body.answer).toBe('policy');
    const clause = loadKnowledge().policy.doc.clauses.find((c) => c.id === asked.body.citations[0]);
    // The direct answer first, with the plan's figure quoted as written, then the clause it comes from.
    expect(asked.body.replies[0]?.text).toMatch(/^《实施方案》写的是：.*4000元/);
    expect(asked.body.replies[0]?.text).toContain(clause!.ref);

    const menu = await client.say({ text: '1' });
    expect(menu.body.intent).not.toBe('policy.ask');
  });
});
