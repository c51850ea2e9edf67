import { describe, expect, it } from 'vitest';
import { consoleClient, consoleHttp, invite, PASSWORD } from '../support/console';
import { webSuite } from '../support/web-suite';

// The test talks through a "proxy" on loopback, so X-Forwarded-For chooses the client address.
const suite = webSuite(
  {
    env: { CONSOLE_LOCKOUT_ATTEMPTS: '3', TRUST_PROXY: '127.0.0.1', WEB_IP_RATE_PER_MINUTE: '100000' },
  },
  { browser: false },
);

const from = (address: string) => ({ 'x-forwarded-for': address });

/** A second browser holding the first one's cookies (a stolen session), from another address. */
function thief(owner: { jar: Map<string, string> }, address: string) {
  const client = consoleClient(suite.world.url, from(address));
  for (const [name, value] of owner.jar) client.jar.set(name, value);
  return client;
}

describe('console password and code checks under attack', () => {
  it('does not let a guesser elsewhere lock the owner out', { timeout: 60_000 }, async () => {
    const { world } = suite;
    const owner = await consoleHttp(world.url, await invite(world.runtime, { counties: ['yiliang'] }));
    const guesser = consoleClient(world.url, from('198.51.100.31'));
    for (let i = 0; i < 3; i++) expect((await guesser.signIn(owner.username, `nope-${i}`)).status).toBe(401);
    expect((await guesser.signIn(owner.username, PASSWORD)).status).toBe(401);
    const home = consoleClient(world.url, from('203.0.113.31'));
    expect((await home.signIn(owner.username, PASSWORD)).status).toBe(303);
  });

  it('counts wrong current passwords from a stolen session, and the lock ends the sessions', {
    timeout: 60_000,
  }, async () => {
    const { world } = suite;
    const owner = await consoleHttp(world.url, await invite(world.runtime, { counties: ['weixin'] }));
    const stolen = thief(owner, '198.51.100.32');
    const statuses: (number | string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await stolen.submit('/console/account', '/console/account/password', {
        current: `guess-${i}`,
        password: 'a brand new password',
        repeat: 'a brand new password',
      });
      statuses.push(answer.status === 303 ? answer.headers.get('location') : answer.status);
    }
    expect(statuses).toEqual([400, 400, '/console/login']);
    expect((await stolen.get('/console/courses')).headers.get('location')).toBe('/console/login');
    expect((await owner.get('/console/courses')).headers.get('location')).toBe('/console/login');
    // The thief's address cannot sign in with the password now; the owner can, from theirs.
    expect(
      (await consoleClient(world.url, from('198.51.100.32')).signIn(owner.username, PASSWORD)).status,
    ).toBe(401);
    expect((await consoleClient(world.url).signIn(owner.username, PASSWORD)).status).toBe(303);
  });

  it('puts password changes and turning the second factor off behind the sign-in limit', {
    timeout: 60_000,
  }, async () => {
    const { world } = suite;
    const owner = await consoleHttp(world.url, await invite(world.runtime, { counties: ['zhenxiong'] }));
    const stolen = thief(owner, '198.51.100.33');
    // Twenty tries of anything on the sign-in form (here: cheap, malformed ones) use up the address's budget.
    const login = consoleClient(world.url, from('198.51.100.33'));
    for (let i = 0; i < 20; i++) {
      const r = await login.submit('/console/login', '/console/login', { mode: 'password', username: 'x' });
      expect(r.status).toBe(400);
    }
    const change = await stolen.submit('/console/account', '/console/account/password', {
      current: 'guess',
      password: 'a brand new password',
      repeat: 'a brand new password',
    });
    expect(change.status).toBe(429);
    const off = await stolen.submit('/console/account/totp', '/console/account/totp/off', {
      password: 'guess',
    });
    expect(off.status).toBe(429);
  });

  it('counts an IPv6 client by its /64, however many of its addresses it uses', {
    timeout: 60_000,
  }, async () => {
    const { world } = suite;
    const statuses: number[] = [];
    for (let i = 1; i <= 21; i++) {
      const client = consoleClient(world.url, from(`2001:db8:42:7::${i.toString(16)}`));
      const r = await client.submit('/console/login', '/console/login', { mode: 'password', username: 'x' });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Another /64 has its own budget.
    const other = consoleClient(world.url, from('2001:db8:42:8::1'));
    expect((await other.submit('/console/login', '/console/login', { mode: 'password' })).status).toBe(400);
  });
});
