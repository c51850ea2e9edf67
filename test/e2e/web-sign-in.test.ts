import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/services/password';
import { consoleClient, consoleHttp, invite, PASSWORD, totpCode } from '../support/console';
import { webSuite } from '../support/web-suite';

// Three failures lock, so the test stays within the sign-in rate limit of one address (20 per 10 minutes).
const suite = webSuite(
  { env: { CONSOLE_LOCKOUT_ATTEMPTS: '3', WEB_IP_RATE_PER_MINUTE: '100000' } },
  { browser: false },
);

/** The sign-in page's alert, which must not tell an unknown name from a wrong password or a locked account. */
const alertOf = (page: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(page)?.[1];

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

describe('signing in to the console', () => {
  it('locks an account after repeated wrong passwords, answering exactly as for an unknown name', {
    timeout: 60_000,
  }, async () => {
    const { world } = suite;
    const owner = await consoleHttp(world.url, await invite(world.runtime, { counties: ['yiliang'] }));
    const guesser = consoleClient(world.url);

    const [unknown, unknownMs] = await timed(() => guesser.signIn('nobody-here', 'some-password'));
    expect(unknown.status).toBe(401);
    const refusal = alertOf(unknown.text);
    expect(refusal).toBe('用户名、密码或邀请码不对，请核对后再试。');

    // Nor does the invite form tell, without a live invite code, that a name is taken.
    const probe = await guesser.submit('/console/login', '/console/login', {
      mode: 'invite',
      code: 'NOTACODE',
      username: owner.username,
      password: 'long enough password',
    });
    expect(probe.status).toBe(401);
    expect(alertOf(probe.text)).toBe(refusal);

    const wrongMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [wrong, ms] = await timed(() => guesser.signIn(owner.username, `wrong-password-${i}`));
      expect(wrong.status).toBe(401);
      expect(alertOf(wrong.text)).toBe(refusal);
      wrongMs.push(ms);
    }
    // An unknown name still runs the password hash: it takes about as long as a wrong password.
    expect(unknownMs).toBeGreaterThan(Math.min(...wrongMs) * 0.5);

    // Locked: the right password is refused too, with the same words, and the owner's open session goes on.
    const locked = await guesser.signIn(owner.username, PASSWORD);
    expect(locked.status).toBe(401);
    expect(alertOf(locked.text)).toBe(refusal);
    expect((await owner.get('/console/courses')).status).toBe(200);
    const row = await world.runtime.db.consoleAccount.findUniqueOrThrow({
      where: { username: owner.username },
    });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);

    // An admin sees the lock on the accounts page and lifts it; the right password works again.
    const admin = await consoleHttp(world.url, await invite(world.runtime, { role: 'admin' }));
    const accounts = await admin.get('/console/accounts');
    expect(accounts.text).toMatch(new RegExp(`data-account="${owner.username}"[^]*?锁定到`));
    // Forms without the page's CSRF token are refused.
    const forged = await admin.post(`/console/accounts/${row.id}/unlock`, new URLSearchParams({}));
    expect(forged.status).toBe(403);
    expect((await admin.get('/console/accounts')).text).toMatch(
      new RegExp(`data-account="${owner.username}"[^]*?锁定到`),
    );
    const unlocked = await admin.submit('/console/accounts', `/console/accounts/${row.id}/unlock`);
    expect(unlocked.status).toBe(303);
    expect((await consoleClient(world.url).signIn(owner.username, PASSWORD)).status).toBe(303);
    const audit = await admin.get('/console/audit');
    expect(audit.text).toContain('账号被锁定（错误次数太多）');
    expect(audit.text).toContain('解锁账号');
  });

  it('makes an admin set up the second factor before anything else, then asks for a code at sign-in', {
    timeout: 60_000,
  }, async () => {
    const { world } = suite;
    const admin = await consoleHttp(world.url, await invite(world.runtime, { role: 'admin' }), {
      enrol: false,
    });
    expect(admin.landing).toBe('/console/account/totp');
    // Not set up yet: every page leads back to the set-up page, forms are refused, the queues stay shut.
    const courses = await admin.get('/console/courses');
    expect([courses.status, courses.headers.get('location')]).toEqual([302, '/console/account/totp']);
    expect((await admin.get('/console/accounts')).headers.get('location')).toBe('/console/account/totp');
    expect((await admin.get('/admin/queues')).status).toBe(302);
    const setUp = await admin.get('/console/account/totp');
    expect(setUp.text).toContain('<svg');
    const secret = /data-secret="([A-Z2-7]+)"/.exec(setUp.text)![1]!;
    expect(setUp.text).toContain(`otpauth://totp/`);
    expect(setUp.text).toContain(secret.slice(0, 4) + ' ' + secret.slice(4, 8));
    const refused = await admin.post(
      '/console/account/sessions/revoke-others',
      new URLSearchParams({ _csrf: admin.tokenOf(setUp.text) }),
    );
    expect(refused.status).toBe(403);
    const badSetUp = await admin.submit('/console/account/totp', '/console/account/totp', { code: '000000' });
    expect(badSetUp.status).toBe(400);
    const confirmed = await admin.submit('/console/account/totp', '/console/account/totp', {
      code: await totpCode(secret),
    });
    expect(confirmed.status).toBe(303);
    expect((await admin.get('/console/courses')).status).toBe(200);

    // Signing in again: the password opens only the code page; a wrong code is refused; the right one opens all.
    const browser = consoleClient(world.url);
    const password = await browser.signIn(admin.username, PASSWORD);
    expect([password.status, password.headers.get('location')]).toEqual([303, '/console/login/code']);
    expect((await browser.get('/console/courses')).headers.get('location')).toBe('/console/login/code');
    expect((await browser.get('/admin/queues')).status).toBe(302);
    const wrong = await browser.submit('/console/login/code', '/console/login/code', { code: '123456' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('验证码不对或已过期');
    // The set-up code was used in this 30-second step; the app's next code is accepted.
    const nextCode = await totpCode(secret, 30);
    const right = await browser.submit('/console/login/code', '/console/login/code', { code: nextCode });
    expect([right.status, right.headers.get('location')]).toEqual([303, '/console/courses']);
    expect((await browser.get('/console/courses')).status).toBe(200);
    expect((await browser.get('/admin/queues')).status).toBe(200);
    // The same code a second time (seen over a shoulder) is refused.
    const replay = consoleClient(world.url);
    await replay.signIn(admin.username, PASSWORD);
    const again = await replay.submit('/console/login/code', '/console/login/code', { code: nextCode });
    expect(again.status).toBe(401);
  });

  it('replaces a password hash made with older, weaker parameters when its owner signs in', async () => {
    const { world } = suite;
    const user = await consoleHttp(world.url, await invite(world.runtime, { counties: ['weixin'] }));
    const old = await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 });
    await world.runtime.db.consoleAccount.update({
      where: { username: user.username },
      data: { passwordHash: old },
    });
    expect((await consoleClient(world.url).signIn(user.username, PASSWORD)).status).toBe(303);
    const row = await world.runtime.db.consoleAccount.findUniqueOrThrow({
      where: { username: user.username },
    });
    expect(row.passwordHash).not.toBe(old);
    expect(row.passwordHash.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
  });
});
