import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from '../support/browser';
import { invite, signUpInBrowser } from '../support/console';
import { seedOutcomes } from '../support/outcome-fixtures';
import { webSuite } from '../support/web-suite';

const suite = webSuite({ channels: false, workers: false }, { browser: true });

describe('the outcome report in a browser', () => {
  it('draws the three charts from this origin and shows the figures per county', {
    timeout: 120_000,
  }, async () => {
    await seedOutcomes(suite.world.runtime.db);
    const page = await suite.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = collectPageErrors(page);
    await signUpInBrowser(page, suite.world.url, await invite(suite.world.runtime, { role: 'admin' }));
    await page.click('nav >> text=培训成效');
    await page.waitForURL(/\/console\/reports$/);
    // Chart.js drew on every canvas (the page's script runs under the console's content security policy).
    await page.waitForSelector('body[data-charts-drawn="3"]');
    const drawn = await page.$$eval('canvas', (canvases) =>
      canvases.map((c) => (c as unknown as { toDataURL(): string }).toDataURL().length > 2_000),
    );
    expect(drawn).toEqual([true, true, true]);
    const zhenxiong = page.locator('#by-county tr[data-county="zhenxiong"] td');
    expect(await zhenxiong.nth(1).textContent()).toBe('6');
    expect(await zhenxiong.nth(4).textContent()).toBe('66.7%');
    await screenshot(page, 'console-reports');

    // Filtering by a county narrows the table to it.
    await page.selectOption('select[name="county"]', 'ludian');
    await page.click('form.filters button[type="submit"]');
    await page.waitForSelector('body[data-charts-drawn="3"]');
    expect(await page.locator('#by-county tbody tr').count()).toBe(1);
    expect(await page.locator('#by-county tr[data-county="ludian"] td').nth(1).textContent()).toBe('2');

    // The admin sets 鲁甸县's own yearly target in the table at the foot of the page; the county's row follows it.
    const row = page.locator('#targets-table tr[data-county="ludian"]');
    await row.locator('input[name="sessions"]').fill('10');
    await row.locator('input[name="povertySessions"]').fill('2');
    await row.locator('button', { hasText: '保存目标' }).click();
    await page.waitForURL(/done=target/);
    expect(await page.locator('p.notice').textContent()).toBe('目标已保存。');
    const saved = page.locator('#targets-table tr[data-county="ludian"]');
    expect(await saved.locator('input[name="sessions"]').inputValue()).toBe('10');
    expect(await saved.locator('td').nth(3).textContent()).toBe('本县区自定');
    const ludian = page.locator('#by-county tr[data-county="ludian"] td');
    expect(await ludian.nth(9).getAttribute('title')).toBe('本县区自定目标');
    expect(errors).toEqual([]);
  });
});
