import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import type { Runtime } from '../../src/app/compose';
import type { County } from '../../src/core/domain';
import { screenshot } from './browser';

/** A one-time invite code, as `jineng coordinators invite` makes it. */
export async function invite(
  runtime: Runtime,
  options: { role?: 'admin' | 'coordinator'; counties?: County[]; courses?: string[] } = {},
): Promise<string> {
  const { code } = await runtime.coordinators.createInvite({
    role: options.role ?? 'coordinator',
    courseCodes: options.courses ?? [],
    counties: options.counties ?? [],
    expiresDays: 1,
    createdBy: 'test',
  });
  return code;
}

export const newUsername = (prefix = 'coord') => `${prefix}-${randomBytes(3).toString('hex')}`;

export const PASSWORD = 'correct horse battery';

/** The code an authenticator app shows for this secret, `offsetSeconds` from now (30: the next code). */
export const totpCode = (secret: string, offsetSeconds = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

/** On the set-up page: reads the secret as a person would type it, and confirms with the app's code. */
export async function enrolTotpInBrowser(page: Page): Promise<string> {
  const secret = (await page.locator('code.secret').textContent())!.replace(/\s+/g, '');
  await screenshot(page, 'console-totp-setup');
  await page.fill('input[name="code"]', await totpCode(secret));
  await page.click('form[action="/console/account/totp"] button[type="submit"]');
  await page.waitForURL(/\/console\/account\?done=totpOn$/);
  return secret;
}

/**
 * Opens the console (sent to the sign-in page) and creates an account with the invite code. An admin is then
 * made to set up the second factor; this does it and goes on to the courses.
 */
export async function signUpInBrowser(page: Page, base: string, code: string, username = newUsername()) {
  await page.goto(`${base}/console/courses`);
  const form = page.locator('form', { has: page.locator('input[name="mode"][value="invite"]') });
  await form.locator('input[name="code"]').fill(code);
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(PASSWORD);
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(/\/console\/(courses|account\/totp)$/);
  if (page.url().endsWith('/account/totp')) {
    await enrolTotpInBrowser(page);
    await page.goto(`${base}/console/courses`);
  }
  return username;
}

/**
 * A cookie jar talking to the console over HTTP (no browser); `tokenOf` finds a page's CSRF token. `headers` go
 * with every request (e.g. X-Forwarded-For, to come from another address behind a trusted proxy).
 */
export function consoleClient(base: string, headers: Record<string, string> = {}) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!, value.join('='));
    }
  };
  const send = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { ...headers, cookie: cookieHeader(), ...(init.headers as Record<string, string>) },
      redirect: 'manual',
    });
    remember(response);
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  const get = (path: string) => send(path);
  const post = (
    path: string,
    body: string | URLSearchParams | FormData,
    headers: Record<string, string> = {},
  ) => send(path, { method: 'POST', body, headers });
  const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  /** Posts a form found on `page` (its CSRF token included). */
  const submit = async (page: string, form: string, fields: Record<string, string> = {}) => {
    const { text } = await get(page);
    return post(form, new URLSearchParams({ _csrf: tokenOf(text), ...fields }));
  };
  /** The password step of signing in, as the sign-in form posts it. */
  const signIn = (username: string, password: string) =>
    submit('/console/login', '/console/login', { mode: 'password', username, password });
  return { jar, get, post, tokenOf, submit, signIn };
}

/**
 * A console session for HTTP tests (no browser): signs up with an invite and returns a cookie jar that also
 * knows the CSRF token of the last page it read. An admin also sets up the second factor unless `enrol` is false.
 */
export async function consoleHttp(base: string, code: string, { enrol = true }: { enrol?: boolean } = {}) {
  const client = consoleClient(base);
  const username = newUsername('http');
  const signedUp = await client.submit('/console/login', '/console/login', {
    mode: 'invite',
    code,
    username,
    password: PASSWORD,
  });
  if (signedUp.status !== 303)
    throw new Error(`sign-up failed: ${signedUp.status} ${signedUp.text.slice(0, 200)}`);
  let totpSecret: string | undefined;
  if (enrol && signedUp.headers.get('location') === '/console/account/totp') {
    const page = await client.get('/console/account/totp');
    totpSecret = /data-secret="([A-Z2-7]+)"/.exec(page.text)?.[1] ?? '';
    const confirmed = await client.post(
      '/console/account/totp',
      new URLSearchParams({ _csrf: client.tokenOf(page.text), code: await totpCode(totpSecret) }),
    );
    if (confirmed.status !== 303) throw new Error(`second factor set-up failed: ${confirmed.status}`);
  }
  return { ...client, username, totpSecret, landing: signedUp.headers.get('location') };
}

/** Uploads a course file through the console's import form, as staff do (CSRF token read from the page). */
export async function uploadCourseFile(
  session: Awaited<ReturnType<typeof consoleHttp>>,
  csv: string,
  name = 'courses.csv',
) {
  const page = await session.get('/console/import');
  const token = /action="\/console\/import\?_csrf=([^"]+)"/.exec(page.text)?.[1] ?? '';
  const form = new FormData();
  form.append('file', new Blob([csv]), name);
  return session.post(`/console/import?_csrf=${token}`, form);
}
