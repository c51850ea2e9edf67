import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { invite, signUpInBrowser } from '../support/console';
import { webSuite } from '../support/web-suite';
import { webClient } from '../support/web-world';

/**
 * Issue 17: web chat users ask something the plan does not cover; an admin in a real browser sees the
 * questions grouped with a count, writes a curated answer from the group, and the next user who asks it in
 * other words gets the staff answer in the web chat.
 */
const suite = webSuite({ workers: false }, { browser: true });

const ANSWER = '住房公积金的提取请到昭通市住房公积金管理中心办理，也可以在它的网上服务大厅申请。';

describe('staff answering unanswered questions in the console', () => {
  it('write a curated answer from a group, and a paraphrase gets it in the web chat', {
    timeout: 120_000,
  }, async () => {
    const { url, runtime } = suite.world;
    for (const text of ['公积金怎么提取', '住房公积金要怎么提取出来']) {
      const chat = await webClient(url);
      const { body } = await chat.say({ text });
      expect(body.answer).toBe('abstain');
    }

    const page = await suite.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = collectPageErrors(page);
    await signUpInBrowser(page, url, await invite(runtime, { role: 'admin' }));
    await page.click('nav >> text=未答问题');
    const row = page.locator('table.groups tbody tr', { hasText: '公积金怎么提取' });
    // The questions are logged in the background: the page shows them once they are written.
    await expect
      .poll(
        async () => {
          await page.reload();
          return (await row.count()) ? await row.locator('td.count').textContent() : null;
        },
        { timeout: 15_000 },
      )
      .toBe('2');
    expect(await row.textContent()).toContain('住房公积金要怎么提取出来');
    expect(await row.textContent()).toContain('方案未涉及');
    await screenshot(page, 'console-unanswered');

    await row.locator('a.button', { hasText: '写解答' }).click();
    await page.waitForURL(/\/console\/answers\/new\?group=u\d+$/);
    const questions = await page.locator('textarea[name="questions"]').inputValue();
    expect(questions.split('\n').sort()).toEqual(['住房公积金要怎么提取出来', '公积金怎么提取']);
    await page.fill('textarea[name="answer"]', ANSWER);
    await screenshot(page, 'console-curated-new');
    await page.click('form.form button[type="submit"]');
    await page.waitForURL(/\/console\/answers\?done=saved$/);
    expect(await page.locator('.notice').textContent()).toContain('已保存');
    expect(await page.locator('table.answers').textContent()).toContain(ANSWER);
    // The group is answered: no longer waiting.
    expect(await page.locator('table.groups tbody tr', { hasText: '公积金怎么提取' }).count()).toBe(0);
    await screenshot(page, 'console-curated-list');

    const chat = await webClient(url);
    await expect
      .poll(async () => (await chat.say({ text: '公积金要怎么提取' })).body.answer, { timeout: 15_000 })
      .toBe('curated');
    const { body } = await chat.say({ text: '住房公积金怎么提取' });
    expect(body.answer).toBe('curated');
    const reply = body.replies.map((r) => r.text).join('\n');
    expect(reply).toContain(ANSWER);
    expect(reply).toMatch(/工作人员解答，\d{4}-\d{2}-\d{2} 更新/);

    // An edit is a new version; the old one stays on the answer's page.
    await page.click('table.answers a.button:text("修改")');
    await page.fill('input[name="validUntil"]', '2099-12-31');
    await page.click('form.form button[type="submit"]');
    await page.waitForURL(/\/console\/answers\?done=saved$/);
    expect(await page.locator('table.answers').textContent()).toContain('v2');
    await page.click('table.answers a.button:text("修改")');
    expect(await page.locator('table.versions tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^v2.*2099-12-31$/),
      expect.stringMatching(/^v1/),
    ]);

    const audit = await runtime.db.auditLog.findMany({ where: { action: 'curated.created' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorId).not.toBeNull();
    expect(errors).toEqual([]);
  });
});
