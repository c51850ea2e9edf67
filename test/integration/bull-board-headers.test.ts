import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { consoleHttp, invite } from '../support/console';
import { type WebWorld, webWorld } from '../support/web-world';

let world: WebWorld;
let admin: Awaited<ReturnType<typeof consoleHttp>>;

beforeAll(async () => {
  world = await webWorld({ channels: false, workers: false });
  admin = await consoleHttp(world.url, await invite(world.runtime, { role: 'admin' }));
});
afterAll(() => world.close());

/** The headers every console page carries (src/http/security-headers.ts). */
async function consoleHeaders() {
  const { headers } = await admin.get('/console/courses');
  return ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy'].map(
    (name) => [name, headers.get(name)] as const,
  );
}

describe('Bull Board', () => {
  it("serves its page, its files and its API with the console's security headers", async () => {
    const expected = await consoleHeaders();
    expect(expected.every(([, value]) => value)).toBe(true);
    const page = await admin.get('/admin/queues');
    expect(page.status).toBe(200);
    const script = /src="(static\/js\/main[^"]+)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await admin.get(`/admin/queues/${script}`);
    const api = await admin.get('/admin/queues/api/queues');
    for (const response of [page, asset, api]) {
      expect(response.status).toBe(200);
      for (const [name, value] of expected) {
        // The one difference: Bull Board's page needs its <base href> (this origin only, still).
        const wanted = value?.replace("base-uri 'none'", "base-uri 'self'");
        expect(response.headers.get(name)).toBe(wanted);
      }
    }
  });

  it('still works in a browser under that policy (its scripts and styles are its own files)', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const { hostname } = new URL(world.url);
      await context.addCookies(
        [...admin.jar].map(([name, value]) => ({ name, value, domain: hostname, path: '/' })),
      );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const response = await page.goto(`${world.url}/admin/queues`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.waitForSelector('text=outbound-web', { timeout: 15_000 });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("refuses in the console's language: Chinese by default, English with its language cookie", async () => {
    const message = async (init: RequestInit = {}) => {
      // An action (retry the failed jobs of a queue) for PUT; the queue list for GET.
      const path = init.method === 'PUT' ? 'api/queues/outbound-web/retry/failed' : 'api/queues';
      const response = await fetch(`${world.url}/admin/queues/${path}`, init);
      return [response.status, ((await response.json()) as { message: string }).message] as const;
    };
    expect(await message({ method: 'PUT' })).toEqual([401, '请先以管理员身份登录管理后台。']);
    expect(await message({ method: 'PUT', headers: { cookie: 'jineng_lang=en' } })).toEqual([
      401,
      'Sign in to the console as an admin.',
    ]);
    const coordinator = await consoleHttp(world.url, await invite(world.runtime, { counties: ['yiliang'] }));
    const cookie = [...coordinator.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    expect(await message({ headers: { cookie } })).toEqual([403, '只有管理员可以查看任务队列。']);
    expect(await message({ headers: { cookie: `${cookie}; jineng_lang=en` } })).toEqual([
      403,
      'Only admins may see the queues.',
    ]);
    const adminCookie = [...admin.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const crossSite = { method: 'PUT', headers: { cookie: adminCookie, 'sec-fetch-site': 'cross-site' } };
    expect(await message(crossSite)).toEqual([403, '已拒绝来自其他网站的请求。']);
  });
});
