import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Locale } from '../core/domain';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import { Prisma } from '../generated/prisma/client';
import { clientAddressBucket } from './console-client-address';
import {
  type Admission,
  type Attempt,
  createLockout,
  DEFAULT_LOCKOUT,
  type LockoutPolicy,
} from './console-lockout';
import type { CoordinatorService } from './coordinator-service';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_.-]{3,32}$/, 'username');
export const passwordSchema = z.string().min(10, 'password').max(200, 'password');

/**
 * What a login must do before it may use the console: type the second-factor code, replace a temporary
 * password, or (an admin) set up the second factor.
 */
export type SignInGate = 'second_factor' | 'change_password' | 'enrol_totp';

/** Who is signed in to the console, and what they may see (undefined access: no role, no access). */
export interface ConsoleUser {
  loginId: string;
  accountId: string;
  personId: string;
  username: string;
  access?: CoordinatorAccess;
  totpEnabled: boolean;
  gate?: SignInGate;
}

/** The browser and address a console login came from: what the list of signed-in browsers shows. */
export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

/** See ConsoleAccounts.guard. */
export interface CheckGuard {
  admit(): Promise<Admission>;
  failed(): Promise<boolean>;
}

export type SignInOutcome = { status: 'ok'; token: string; gate?: SignInGate } | { status: 'invalid' };
export type SignUpOutcome = SignInOutcome | { status: 'username_taken' };

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');
/** Who is trying, as the lockout counts them: the username and the client's address bucket (IPv6: its /64). */
export const attemptOf = (username: string, client: ClientInfo): Attempt => ({
  username,
  address: clientAddressBucket(client.ip),
});

/** A login waiting for its second-factor code lasts this long. */
const PENDING_MINUTES = 10;

/**
 * Console accounts and their logins (kept server side). An account is made by redeeming a coordinator invite
 * code in the console (the same codes `jineng coordinators invite` prints); its person gets the invite's role
 * and scope. The browser holds a random login token; the table keeps its hash. Failed sign-ins lock an account
 * for a while (console-lockout.ts); unknown names, wrong passwords, disabled and locked accounts answer alike.
 */
export function createConsoleAccounts(
  db: Db,
  coordinators: CoordinatorService,
  loginHours: number,
  options: { lockout?: LockoutPolicy; sleep?: (ms: number) => Promise<void> } = {},
) {
  const lockout = createLockout(db, options.lockout ?? DEFAULT_LOCKOUT, { sleep: options.sleep });

  async function openLogin(
    accountId: string,
    now: Date,
    client: ClientInfo,
    pending = false,
  ): Promise<string> {
    const token = newToken();
    const minutes = pending ? PENDING_MINUTES : loginHours * 60;
    await db.consoleLogin.create({
      data: {
        tokenHash: hashToken(token),
        accountId,
        expiresAt: new Date(now.getTime() + minutes * 60_000),
        secondFactorPending: pending,
        userAgent: client.userAgent?.slice(0, 300),
        ipAddress: client.ip?.slice(0, 64),
      },
    });
    if (!pending) await db.consoleAccount.update({ where: { id: accountId }, data: { lastSignInAt: now } });
    return token;
  }

  return {
    async signUpWithInvite(
      input: { code: string; username: string; password: string; locale: Locale },
      now = new Date(),
      client: ClientInfo = {},
    ): Promise<SignUpOutcome> {
      // Only someone holding a live invite learns that a username is taken: without one, every name is "invalid".
      const live = await db.coordinatorInvite.count({
        where: { code: input.code.trim().toUpperCase(), usedAt: null, expiresAt: { gt: now } },
      });
      if (!live) {
        await coordinators.audit(null, 'invite.rejected', input.code.trim().slice(0, 16));
        return { status: 'invalid' };
      }
      if (await db.consoleAccount.findUnique({ where: { username: input.username } })) {
        return { status: 'username_taken' };
      }
      let accountId: string;
      let personId: string;
      try {
        const person = await db.person.create({
          data: {
            locale: input.locale,
            consoleAccount: {
              create: { username: input.username, passwordHash: await hashPassword(input.password) },
            },
          },
          include: { consoleAccount: true },
        });
        personId = person.id;
        accountId = person.consoleAccount!.id;
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          return { status: 'username_taken' };
        }
        throw error;
      }
      const redeemed = await coordinators.redeemInvite(personId, input.code.trim(), now);
      if (redeemed.status !== 'ok') {
        await db.person.delete({ where: { id: personId } });
        return { status: 'invalid' };
      }
      await coordinators.audit(personId, 'console.account_created', input.username);
      const token = await openLogin(accountId, now, client);
      return { status: 'ok', token, gate: redeemed.access.role === 'admin' ? 'enrol_totp' : undefined };
    },

    async signIn(
      username: string,
      password: string,
      now = new Date(),
      client: ClientInfo = {},
    ): Promise<SignInOutcome> {
      // Every path below runs the same statements for a known and an unknown name (console-lockout.ts).
      const attempt = attemptOf(username, client);
      const account = await db.consoleAccount.findUnique({ where: { username } });
      const admission = await lockout.admit(attempt, now);
      const stored = account?.passwordHash ?? (await dummyHash());
      const matches = await verifyPassword(password, stored);
      // A wrong password against an old, cheaper hash would answer faster than an unknown name: even it out.
      if (account && !matches && needsRehash(stored)) await verifyPassword(password, await dummyHash());
      const reason = !account
        ? 'unknown'
        : account.disabledAt
          ? 'disabled'
          : admission !== 'open'
            ? admission
            : matches
              ? undefined
              : 'password';
      if (!account || reason) {
        // A refusal before any check (address locked out, queue too long) is not one more guess to count.
        const locked = admission === 'open' && (await lockout.failed(attempt, now));
        await coordinators.audit(account?.personId ?? null, 'console.sign_in_failed', username.slice(0, 32), {
          reason,
        });
        if (locked) {
          await coordinators.audit(
            account?.personId ?? null,
            'console.account_locked',
            username.slice(0, 32),
            {
              address: attempt.address,
            },
          );
        }
        return { status: 'invalid' };
      }
      await lockout.succeeded(attempt);
      if (needsRehash(account.passwordHash)) {
        await db.consoleAccount.update({
          where: { id: account.id },
          data: { passwordHash: await hashPassword(password) },
        });
      }
      const pending = account.totpEnabledAt !== null;
      await coordinators.audit(
        account.personId,
        pending ? 'console.password_accepted' : 'console.signed_in',
        username,
      );
      const token = await openLogin(account.id, now, client, pending);
      const gate = pending ? 'second_factor' : account.mustChangePassword ? 'change_password' : undefined;
      return { status: 'ok', token, gate };
    },

    /** The second factor was right: the pending login becomes a full one, under a new token. */
    async completeSecondFactor(
      user: ConsoleUser,
      now = new Date(),
      client: ClientInfo = {},
    ): Promise<string> {
      const token = newToken();
      await db.consoleLogin.update({
        where: { id: user.loginId },
        data: {
          tokenHash: hashToken(token),
          secondFactorPending: false,
          expiresAt: new Date(now.getTime() + loginHours * 3_600_000),
        },
      });
      await db.consoleAccount.update({ where: { id: user.accountId }, data: { lastSignInAt: now } });
      await lockout.succeeded(attemptOf(user.username, client));
      await coordinators.audit(user.personId, 'console.signed_in', user.username, { secondFactor: true });
      return token;
    },

    /**
     * The lockout around a second-factor code or a current password typed by a signed-in user: `admit` before
     * the check (this address may be locked out, or have to wait its turn); `failed` after a wrong one, which
     * counts like a wrong password at sign-in (nothing when `admit` refused). When that locks, the logins
     * whoever is guessing may hold end, and it returns true.
     */
    guard(user: ConsoleUser, client: ClientInfo, kind: 'second_factor' | 'current_password'): CheckGuard {
      const attempt = attemptOf(user.username, client);
      let admitted: Admission | undefined;
      return {
        admit: async () => {
          admitted = await lockout.admit(attempt);
          return admitted;
        },
        async failed() {
          // Refused before the check (locked out, queue too long): no guess was made, nothing to count.
          if (admitted !== 'open') return false;
          const now = new Date();
          const locked = await lockout.failed(attempt, now);
          await coordinators.audit(user.personId, `console.${kind}_failed`, user.username);
          if (!locked) return false;
          // A wrong code comes from a half-signed-in login: those end. A wrong current password comes from a
          // full login, maybe a stolen cookie: every login ends, and the owner signs in again from home.
          const { count } = await db.consoleLogin.deleteMany({
            where: {
              accountId: user.accountId,
              ...(kind === 'second_factor' ? { secondFactorPending: true } : {}),
            },
          });
          await coordinators.audit(user.personId, 'console.account_locked', user.username, {
            address: attempt.address,
            sessions: count,
          });
          return true;
        },
      };
    },

    /** An admin's unlock: every address may sign in to this username again. */
    unlock: (username: string) => lockout.clear(username),

    async resolve(token: string, now = new Date()): Promise<ConsoleUser | undefined> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const login = await db.consoleLogin.findUnique({
        where: { tokenHash: hashToken(token) },
        include: { account: { include: { person: { include: { coordinator: true } } } } },
      });
      if (!login || login.expiresAt <= now || login.account.disabledAt) return undefined;
      if (now.getTime() - login.lastSeenAt.getTime() > 60_000) {
        await db.consoleLogin.updateMany({ where: { id: login.id }, data: { lastSeenAt: now } });
      }
      const { account } = login;
      const coordinator = account.person.coordinator;
      const role = coordinator?.role === 'admin' ? 'admin' : 'coordinator';
      const totpEnabled = account.totpEnabledAt !== null;
      return {
        loginId: login.id,
        accountId: login.accountId,
        personId: account.personId,
        username: account.username,
        totpEnabled,
        gate: login.secondFactorPending
          ? 'second_factor'
          : account.mustChangePassword
            ? 'change_password'
            : coordinator && role === 'admin' && !totpEnabled
              ? 'enrol_totp'
              : undefined,
        access: coordinator
          ? {
              role,
              courseCodes: coordinator.courseScope,
              counties: coordinator.countyScope,
              subsidyOfficer: coordinator.subsidyOfficer,
            }
          : undefined,
      };
    },

    async signOut(user: ConsoleUser): Promise<void> {
      await db.consoleLogin.deleteMany({ where: { id: user.loginId } });
      await coordinators.audit(user.personId, 'console.signed_out', user.username);
    },
  };
}

export type ConsoleAccounts = ReturnType<typeof createConsoleAccounts>;
