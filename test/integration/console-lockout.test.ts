import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/prisma-client';
import { createConsoleAccounts } from '../../src/services/console-accounts-service';
import { clientAddressBucket } from '../../src/services/console-client-address';
import { createOwnAccount } from '../../src/services/console-own-account-service';
import { createCoordinatorService } from '../../src/services/coordinator-service';
import { hashPassword } from '../../src/services/password';
import { testDb } from '../support/test-env';

const PASSWORD = 'correct horse battery';
const POLICY = { attempts: 3, windowMinutes: 15, lockMinutes: 15 };
let hashed: Promise<string> | undefined;

/** A console account (no role needed for signing in) with a fresh username. */
async function account(db: Db) {
  hashed ??= hashPassword(PASSWORD);
  const username = `lock-${randomBytes(4).toString('hex')}`;
  const person = await db.person.create({
    data: { locale: 'zh-CN', consoleAccount: { create: { username, passwordHash: await hashed } } },
    include: { consoleAccount: true },
  });
  return { username, accountId: person.consoleAccount!.id, personId: person.id };
}

/** The same database, writing down every statement the service sends (which model, which operation). */
function recorded(db: Db) {
  const log: string[] = [];
  const client = db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        log.push(`${model ?? ''}.${operation}`);
        return query(args);
      },
    },
  }) as unknown as Db;
  return { client, log };
}

function services(db: Db, sleep?: (ms: number) => Promise<void>) {
  const coordinators = createCoordinatorService(db, []);
  return {
    accounts: createConsoleAccounts(db, coordinators, 12, { lockout: POLICY, sleep }),
    own: createOwnAccount(db, coordinators),
  };
}

describe('client-address buckets', () => {
  it('are the IPv4 address, also IPv4-mapped, and the /64 of an IPv6 address', () => {
    expect(clientAddressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressBucket('::ffff:cb00:7107')).toBe('203.0.113.7');
    expect(clientAddressBucket('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressBucket('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(clientAddressBucket('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientAddressBucket('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('the console lockout', () => {
  it('runs the very same statements for an unknown name as for a known name with a wrong password', async () => {
    const db = testDb();
    const { username } = await account(db);
    const { client, log } = recorded(db);
    const { accounts } = services(client);
    const traces: string[][] = [];
    // Up to and past the lock: the statement that locks runs for both too.
    for (const name of [username, `nobody-${randomBytes(3).toString('hex')}`]) {
      log.length = 0;
      for (let i = 0; i < POLICY.attempts + 1; i++) {
        expect((await accounts.signIn(name, `wrong-${i}`, new Date(), { ip: '198.51.100.20' })).status).toBe(
          'invalid',
        );
      }
      traces.push([...log]);
    }
    expect(traces[0]!.length).toBeGreaterThan(0);
    expect(traces[1]).toEqual(traces[0]);
  }, 60_000);

  it('locks out the guessing address only: the owner elsewhere still signs in; IPv6 counts by /64', async () => {
    const db = testDb();
    const { username } = await account(db);
    const { accounts } = services(db);
    const attacker = (n: number) => ({ ip: `2001:db8:77:1::${n.toString(16)}` });
    for (let i = 1; i <= POLICY.attempts; i++) {
      expect((await accounts.signIn(username, `guess-${i}`, new Date(), attacker(i))).status).toBe('invalid');
    }
    // Another address of the same /64 is the same bucket: locked, even with the right password.
    expect((await accounts.signIn(username, PASSWORD, new Date(), attacker(999))).status).toBe('invalid');
    // The owner, from their own address (and from a neighbouring /64), is not locked out.
    expect((await accounts.signIn(username, PASSWORD, new Date(), { ip: '203.0.113.50' })).status).toBe('ok');
    expect((await accounts.signIn(username, PASSWORD, new Date(), { ip: '2001:db8:77:2::1' })).status).toBe(
      'ok',
    );
    // The Accounts page still shows that an address is locked out of the account.
    const row = await db.consoleAccount.findUniqueOrThrow({ where: { username } });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  }, 60_000);

  it('slows every address down once a name has many failures from many addresses', async () => {
    const db = testDb();
    const { username } = await account(db);
    const waits: number[] = [];
    const { accounts } = services(db, async (ms) => {
      waits.push(ms);
    });
    // attempts × 4 failures from four addresses (each of them then locked out).
    for (let a = 1; a <= 4; a++) {
      for (let i = 0; i < POLICY.attempts; i++) {
        await accounts.signIn(username, 'guess', new Date(), { ip: `198.51.100.${a}` });
      }
    }
    expect(waits).toEqual([]);
    // From a fifth address the right password still works, after a wait; the next check waits for its turn.
    const now = new Date();
    const [first, second] = await Promise.all([
      accounts.signIn(username, PASSWORD, now, { ip: '192.0.2.1' }),
      accounts.signIn(username, 'wrong', now, { ip: '192.0.2.2' }),
    ]);
    expect([first.status, second.status]).toEqual(['ok', 'invalid']);
    // One of the two went first; the other waited a second for its turn.
    expect(waits).toEqual([1000]);
  }, 60_000);

  it('counts wrong current passwords (a stolen session) like wrong sign-ins, and locking ends every session', async () => {
    const db = testDb();
    const { username } = await account(db);
    const { accounts, own } = services(db);
    const owner = await accounts.signIn(username, PASSWORD, new Date(), { ip: '203.0.113.60' });
    const thief = await accounts.signIn(username, PASSWORD, new Date(), { ip: '198.51.100.60' });
    if (owner.status !== 'ok' || thief.status !== 'ok') throw new Error('sign-in failed');
    const user = (await accounts.resolve(thief.token))!;
    const guard = () => accounts.guard(user, { ip: '198.51.100.60' }, 'current_password');
    const outcomes: string[] = [];
    for (let i = 0; i < POLICY.attempts; i++) {
      outcomes.push(await own.changePassword(user, `guess-${i}`, 'a brand new password', guard()));
    }
    expect(outcomes).toEqual(['wrong_password', 'wrong_password', 'locked']);
    expect(await accounts.resolve(thief.token)).toBeUndefined();
    expect(await accounts.resolve(owner.token)).toBeUndefined();
    // That address is locked out of the account now; the owner signs in again from theirs.
    expect((await accounts.signIn(username, PASSWORD, new Date(), { ip: '198.51.100.60' })).status).toBe(
      'invalid',
    );
    expect((await accounts.signIn(username, PASSWORD, new Date(), { ip: '203.0.113.60' })).status).toBe('ok');
  }, 60_000);
});
