import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { webSuite } from '../support/web-suite';
import { webClient } from '../support/web-world';

const suite = webSuite({ workers: false }, { browser: true });

const botCount = (page: Page) => page.locator('.msg.bot, .msg.notice').count();

async function openChat(lang?: 'en') {
  const page = await suite.browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors = collectPageErrors(page);
  await page.goto(`${suite.world.url}/${lang ? `?lang=${lang}` : ''}`);
  await expect.poll(() => botCount(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  return { page, errors };
}

/** What a paste does: text inserted at the caret, as the browser's own input (so maxlength would apply). */
async function paste(page: Page, text: string) {
  await page.focus('#text');
  await page.keyboard.insertText(text);
}

describe('a long paste on the web chat page', () => {
  it('is sent whole, and the bot says in Chinese that it read only the beginning', async () => {
    const { page, errors } = await openChat();
    const text = `我想报名电商培训。${'我家住在镇雄县，今年三十五岁，以前在工地打工。'.repeat(120)}`;
    expect(text.length).toBeGreaterThan(2000);
    await paste(page, text);
    expect(await page.inputValue('#text')).toBe(text);
    const before = await botCount(page);
    await page.click('#send');
    await expect.poll(() => botCount(page), { timeout: 15_000 }).toBeGreaterThan(before);
    expect(await page.locator('.msg.me .text').last().textContent()).toBe(text);
    expect(await page.locator('.msg.bot .text').allTextContents()).toContainEqual(
      expect.stringContaining('只看了前面的部分'),
    );
    expect(await page.locator('#status').isVisible()).toBe(false);
    await screenshot(page, 'web-chat-long-paste');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('too long to send is kept in the box with a note in English, and nothing is sent', async () => {
    const { page, errors } = await openChat('en');
    const text = 'Please sign me up for the e-commerce class in Zhenxiong. '.repeat(320);
    await paste(page, text);
    await expect.poll(() => page.locator('#status').textContent()).toContain('too long');
    const mine = await page.locator('.msg.me').count();
    await page.click('#send');
    await page.waitForTimeout(300);
    expect(await page.locator('.msg.me').count()).toBe(mine);
    expect(await page.inputValue('#text')).toBe(text);
    expect(await page.locator('#status').textContent()).toBe(
      'That message is too long. Please send it in parts.',
    );
    await screenshot(page, 'web-chat-too-long');

    // Cut down to a size the server takes: the note goes and the message is answered.
    await page.fill('#text', text.slice(0, 5000));
    await expect.poll(() => page.locator('#status').isVisible()).toBe(false);
    const before = await botCount(page);
    await page.click('#send');
    await expect.poll(() => botCount(page), { timeout: 15_000 }).toBeGreaterThan(before);
    expect(await page.locator('.msg.bot .text').allTextContents()).toContainEqual(
      expect.stringContaining('only read the first part'),
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a long message on the web chat API', () => {
  it('is answered by the dialog in the sender’s language up to the body limit, not refused', async () => {
    const zh = await webClient(suite.world.url);
    const chinese = await zh.say({ text: '培训要不要钱？'.repeat(700) });
    expect(chinese.status).toBe(200);
    expect(chinese.body.replies.map((r) => r.text).join('\n')).toContain('只看了前面的部分');

    const en = await webClient(suite.world.url);
    const english = await en.say({ text: 'Is the training free for migrant workers? '.repeat(200) });
    expect(english.status).toBe(200);
    expect(english.body.replies.map((r) => r.text).join('\n')).toContain('only read the first part');
  });
});
