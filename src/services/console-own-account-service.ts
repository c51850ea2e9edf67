import type { Db } from '../db/prisma-client';
import type { CheckGuard, ConsoleUser } from './console-accounts-service';
import type { CoordinatorService } from './coordinator-service';
import { hashPassword, verifyPassword } from './password';

/** One signed-in browser of the user, as their account page lists it. */
export interface LoginRow {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
  current: boolean;
}

/** 'locked': too many wrong current passwords from this address; every login of the account has ended. */
export type PasswordChange = 'ok' | 'wrong_password' | 'same_password' | 'locked';

/** What every console user may do to their own account: see and end their logins, change their password. */
export function createOwnAccount(db: Db, coordinators: CoordinatorService) {
  return {
    async logins(user: ConsoleUser, now = new Date()): Promise<LoginRow[]> {
      const rows = await db.consoleLogin.findMany({
        where: { accountId: user.accountId, expiresAt: { gt: now }, secondFactorPending: false },
        orderBy: { lastSeenAt: 'desc' },
      });
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.createdAt,
        lastSeenAt: r.lastSeenAt,
        expiresAt: r.expiresAt,
        userAgent: r.userAgent,
        ipAddress: r.ipAddress,
        current: r.id === user.loginId,
      }));
    },

    /** Ends one of the user's own logins (never someone else's: the account is part of the condition). */
    async revokeLogin(user: ConsoleUser, loginId: string): Promise<boolean> {
      const { count } = await db.consoleLogin.deleteMany({
        where: { id: loginId, accountId: user.accountId },
      });
      if (count) await coordinators.audit(user.personId, 'console.session_revoked', user.username);
      return count === 1;
    },

    async revokeOtherLogins(user: ConsoleUser): Promise<number> {
      const { count } = await db.consoleLogin.deleteMany({
        where: { accountId: user.accountId, id: { not: user.loginId } },
      });
      await coordinators.audit(user.personId, 'console.sessions_revoked', user.username, { sessions: count });
      return count;
    },

    /**
     * A new password ends every other login (someone who knew the old one is signed out). The current password
     * is guessed under the sign-in lockout (`guard`): a stolen login cookie buys no free guesses.
     */
    async changePassword(
      user: ConsoleUser,
      current: string,
      next: string,
      guard: CheckGuard,
    ): Promise<PasswordChange> {
      const account = await db.consoleAccount.findUniqueOrThrow({ where: { id: user.accountId } });
      // Locked out (or too many waiting): refused without spending a password check.
      if ((await guard.admit()) !== 'open') return 'wrong_password';
      if (!(await verifyPassword(current, account.passwordHash))) {
        return (await guard.failed()) ? 'locked' : 'wrong_password';
      }
      if (current === next) return 'same_password';
      await db.consoleAccount.update({
        where: { id: account.id },
        data: { passwordHash: await hashPassword(next), mustChangePassword: false },
      });
      await db.consoleLogin.deleteMany({ where: { accountId: account.id, id: { not: user.loginId } } });
      await coordinators.audit(user.personId, 'console.password_changed', user.username);
      return 'ok';
    },
  };
}

export type OwnAccount = ReturnType<typeof createOwnAccount>;
