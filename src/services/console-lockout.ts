import type { Db } from '../db/prisma-client';

/** After `attempts` failed sign-ins within `windowMinutes`, the account refuses every sign-in for `lockMinutes`. */
export interface LockoutPolicy {
  attempts: number;
  windowMinutes: number;
  lockMinutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { attempts: 5, windowMinutes: 15, lockMinutes: 15 };

export const isLocked = (account: { lockedUntil: Date | null }, now: Date) =>
  account.lockedUntil !== null && account.lockedUntil > now;

/**
 * Counts one failed attempt (a wrong password or a wrong second-factor code) and locks the account when the
 * count reaches the limit. Counting is atomic in the database, so parallel guesses cannot slip past the limit.
 * Returns true when this failure locked the account.
 */
export async function recordFailure(
  db: Db,
  accountId: string,
  policy: LockoutPolicy,
  now: Date,
): Promise<boolean> {
  const windowStart = new Date(now.getTime() - policy.windowMinutes * 60_000);
  const restarted = await db.consoleAccount.updateMany({
    where: { id: accountId, OR: [{ failedSinceAt: null }, { failedSinceAt: { lt: windowStart } }] },
    data: { failedSignIns: 1, failedSinceAt: now },
  });
  const count = restarted.count
    ? 1
    : (
        await db.consoleAccount.update({
          where: { id: accountId },
          data: { failedSignIns: { increment: 1 } },
          select: { failedSignIns: true },
        })
      ).failedSignIns;
  if (count < policy.attempts) return false;
  await db.consoleAccount.update({
    where: { id: accountId },
    data: {
      lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000),
      failedSignIns: 0,
      failedSinceAt: null,
    },
  });
  return true;
}

/** What a successful sign-in (or an admin's unlock) writes: no failures counted, no lock. */
export const clearedFailures = { failedSignIns: 0, failedSinceAt: null, lockedUntil: null } as const;
