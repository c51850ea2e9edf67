import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { Runtime } from '../../src/app/runtime';
import type { County } from '../../src/core/domain';

/** A one-time invite code, as `jineng coordinators invite` makes it. */
export async function invite(
  runtime: Runtime,
  options: { role?: 'admin' | 'coordinator'; counties?: County[]; courses?: string[] } = {},
): Promise<string> {
  const { code } = await runtime.outreach.coordinators.createInvite({
    role: options.role ?? 'coordinator',
    courseCodes: options.courses ?? [],
    counties: options.counties ?? [],
    expiresDays: 1,
    createdBy: 'test',
  });
  return code;
}

export const newUsername = (prefix = 'coord') => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Opens the console (sent to the sign-in page) and creates an account with the invite code. */
export async function signUpInBrowser(page: Page, base: string, code: string, username = newUsername()) {
  await page.goto(`${base}/console/courses`);
  const form = page.locator('form', { has: page.locator('input[name="mode"][value="invite"]') });
  await form.locator('input[name="code"]').fill(code);
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill('correct horse battery');
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(/\/console\/courses$/);
  return username;
}

/**
 * A console session for HTTP tests (no browser): signs up with an invite and returns a cookie jar that also
 * knows the CSRF token of the last page it read.
 */
export async function consoleHttp(base: string, code: string) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!, value.join('='));
    }
  };
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, {
      headers: { cookie: cookieHeader() },
      redirect: 'manual',
    });
    remember(response);
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const post = async (
    path: string,
    body: string | URLSearchParams | FormData,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { cookie: cookieHeader(), ...headers },
      body,
      redirect: 'manual',
    });
    remember(response);
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  const login = await get('/console/login');
  const signedUp = await post(
    '/console/login',
    new URLSearchParams({
      _csrf: tokenOf(login.text),
      mode: 'invite',
      code,
      username: newUsername('http'),
      password: 'correct horse battery',
    }),
  );
  if (signedUp.status !== 303)
    throw new Error(`sign-up failed: ${signedUp.status} ${signedUp.text.slice(0, 200)}`);
  return { jar, get, post, tokenOf };
}
