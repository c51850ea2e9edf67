import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Locale } from '../core/domain';
import type { CoordinatorAccess } from '../core/outreach.ports';
import type { Db } from '../db/prisma-client';
import { Prisma } from '../generated/prisma/client';
import type { CoordinatorService } from './coordinator.service';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_.-]{3,32}$/, 'username');
export const passwordSchema = z.string().min(10, 'password').max(200, 'password');

/** Who is signed in to the console, and what they may see (undefined access: no role, no access). */
export interface ConsoleUser {
  sessionId: string;
  accountId: string;
  personId: string;
  username: string;
  access?: CoordinatorAccess;
}

export type SignInOutcome = { status: 'ok'; token: string } | { status: 'invalid' };
export type SignUpOutcome = SignInOutcome | { status: 'username_taken' };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Console accounts and server-side sessions. An account is made by redeeming a coordinator invite code in the
 * console (the same codes `jineng coordinators invite` prints); its person gets the invite's role and scope.
 * The browser holds a random session token; the table keeps its hash.
 */
export function createConsoleAccounts(db: Db, coordinators: CoordinatorService, sessionHours: number) {
  async function openSession(accountId: string, now: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await db.consoleSession.create({
      data: {
        tokenHash: hashToken(token),
        accountId,
        expiresAt: new Date(now.getTime() + sessionHours * 3_600_000),
      },
    });
    await db.consoleAccount.update({ where: { id: accountId }, data: { lastSignInAt: now } });
    return token;
  }

  return {
    async signUpWithInvite(
      input: { code: string; username: string; password: string; locale: Locale },
      now = new Date(),
    ): Promise<SignUpOutcome> {
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
      return { status: 'ok', token: await openSession(accountId, now) };
    },

    async signIn(username: string, password: string, now = new Date()): Promise<SignInOutcome> {
      const account = await db.consoleAccount.findUnique({ where: { username } });
      const matches = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
      if (!account || !matches || account.disabledAt) {
        await coordinators.audit(account?.personId ?? null, 'console.sign_in_failed', username.slice(0, 32));
        return { status: 'invalid' };
      }
      await coordinators.audit(account.personId, 'console.signed_in', username);
      return { status: 'ok', token: await openSession(account.id, now) };
    },

    async resolve(token: string, now = new Date()): Promise<ConsoleUser | undefined> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const session = await db.consoleSession.findUnique({
        where: { tokenHash: hashToken(token) },
        include: { account: { include: { person: { include: { coordinator: true } } } } },
      });
      if (!session || session.expiresAt <= now || session.account.disabledAt) return undefined;
      const coordinator = session.account.person.coordinator;
      return {
        sessionId: session.id,
        accountId: session.accountId,
        personId: session.account.personId,
        username: session.account.username,
        access: coordinator
          ? {
              role: coordinator.role === 'admin' ? 'admin' : 'coordinator',
              courseCodes: coordinator.courseScope,
              counties: coordinator.countyScope,
            }
          : undefined,
      };
    },

    async signOut(user: ConsoleUser): Promise<void> {
      await db.consoleSession.deleteMany({ where: { id: user.sessionId } });
      await coordinators.audit(user.personId, 'console.signed_out', user.username);
    },
  };
}

export type ConsoleAccounts = ReturnType<typeof createConsoleAccounts>;
