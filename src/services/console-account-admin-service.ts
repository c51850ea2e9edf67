import type { Db } from '../db/prisma-client';
import type { ConsoleUser } from './console-accounts-service';
import { createLockout, DEFAULT_LOCKOUT } from './console-lockout';
import type { CoordinatorService } from './coordinator-service';
import { hashPassword, temporaryPassword } from './password';

export interface AccountRow {
  id: string;
  username: string;
  role: 'admin' | 'coordinator' | null;
  courseCodes: string[];
  counties: string[];
  createdAt: Date;
  lastSignInAt: Date | null;
  disabled: boolean;
  lockedUntil: Date | null;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  activeLogins: number;
  /** May export rosters with full ID numbers (subsidy claims). */
  subsidyOfficer: boolean;
}

export const ACCOUNT_ACTIONS = [
  'disable',
  'enable',
  'reset-password',
  'reset-totp',
  'revoke-sessions',
  'unlock',
  'grant-subsidy',
  'revoke-subsidy',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export type ActionOutcome =
  | { status: 'ok'; username: string; temporaryPassword?: string }
  | { status: 'not_found' }
  | { status: 'self' };

/**
 * The audit action each admin action writes. Audit actions and their details (`{ sessions: n }`: the logins
 * ended) are stored history, so they keep the wording they were written with.
 */
const AUDIT: Record<AccountAction, string> = {
  disable: 'console.account_disabled',
  enable: 'console.account_enabled',
  'reset-password': 'console.password_reset',
  'reset-totp': 'console.totp_reset',
  'revoke-sessions': 'console.sessions_revoked',
  unlock: 'console.account_unlocked',
  'grant-subsidy': 'console.subsidy_officer_granted',
  'revoke-subsidy': 'console.subsidy_officer_revoked',
};

/**
 * What an admin does to other people's console accounts. Every action is written to the audit log with the
 * admin as actor and the account's username as target. An admin acts on their own account from its own page.
 */
export function createAccountAdmin(db: Db, coordinators: CoordinatorService) {
  // Only its clear() is used here, which does not depend on the policy.
  const lockout = createLockout(db, DEFAULT_LOCKOUT);
  const endLogins = async (accountId: string) =>
    (await db.consoleLogin.deleteMany({ where: { accountId } })).count;

  return {
    async list(now = new Date()): Promise<AccountRow[]> {
      const rows = await db.consoleAccount.findMany({
        include: {
          person: { include: { coordinator: true } },
          _count: { select: { logins: { where: { expiresAt: { gt: now }, secondFactorPending: false } } } },
        },
        orderBy: { username: 'asc' },
      });
      return rows.map((a) => {
        const c = a.person.coordinator;
        return {
          id: a.id,
          username: a.username,
          role: c ? (c.role === 'admin' ? 'admin' : 'coordinator') : null,
          courseCodes: c?.courseScope ?? [],
          counties: c?.countyScope ?? [],
          createdAt: a.createdAt,
          lastSignInAt: a.lastSignInAt,
          disabled: a.disabledAt !== null,
          lockedUntil: a.lockedUntil && a.lockedUntil > now ? a.lockedUntil : null,
          totpEnabled: a.totpEnabledAt !== null,
          mustChangePassword: a.mustChangePassword,
          activeLogins: a._count.logins,
          subsidyOfficer: c?.subsidyOfficer ?? false,
        };
      });
    },

    async act(
      admin: ConsoleUser,
      accountId: string,
      action: AccountAction,
      now = new Date(),
    ): Promise<ActionOutcome> {
      if (!/^[0-9a-f-]{36}$/i.test(accountId)) return { status: 'not_found' };
      const account = await db.consoleAccount.findUnique({ where: { id: accountId } });
      if (!account) return { status: 'not_found' };
      if (account.id === admin.accountId) return { status: 'self' };
      const where = { id: account.id };
      let detail: Record<string, unknown> = {};
      let temporary: string | undefined;
      switch (action) {
        case 'disable':
          await db.consoleAccount.update({ where, data: { disabledAt: now } });
          detail = { sessions: await endLogins(account.id) };
          break;
        case 'enable':
          await db.consoleAccount.update({ where, data: { disabledAt: null } });
          await lockout.clear(account.username);
          break;
        case 'unlock':
          await lockout.clear(account.username);
          break;
        case 'reset-password':
          temporary = temporaryPassword();
          await db.consoleAccount.update({
            where,
            data: {
              passwordHash: await hashPassword(temporary),
              mustChangePassword: true,
            },
          });
          await lockout.clear(account.username);
          detail = { sessions: await endLogins(account.id) };
          break;
        case 'reset-totp':
          await db.consoleAccount.update({
            where,
            data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null },
          });
          detail = { sessions: await endLogins(account.id) };
          break;
        case 'revoke-sessions':
          detail = { sessions: await endLogins(account.id) };
          break;
        // Full ID numbers in roster exports, for subsidy claims: another admin grants it (never oneself).
        case 'grant-subsidy':
        case 'revoke-subsidy': {
          const changed = await db.coordinator.updateMany({
            where: { personId: account.personId },
            data: { subsidyOfficer: action === 'grant-subsidy' },
          });
          if (!changed.count) return { status: 'not_found' };
          break;
        }
      }
      await coordinators.audit(admin.personId, AUDIT[action], account.username, detail);
      return { status: 'ok', username: account.username, temporaryPassword: temporary };
    },
  };
}

export type AccountAdmin = ReturnType<typeof createAccountAdmin>;
