import { createHash } from 'node:crypto';
import type { Db } from '../db/prisma-client';

/**
 * After `attempts` failures from one client address (IPv6: its /64) within `windowMinutes`, that address may not
 * sign in to that username for `lockMinutes`. Other addresses are not locked; they are slowed down instead once
 * the username has `attempts × SLOWDOWN_FACTOR` failures from everywhere (see docs/console-accounts.md).
 */
export interface LockoutPolicy {
  attempts: number;
  windowMinutes: number;
  lockMinutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { attempts: 5, windowMinutes: 15, lockMinutes: 15 };

/** The account-wide slowdown starts at this many times the per-address limit. */
export const SLOWDOWN_FACTOR = 4;
/** Slowed down, each check waits 1 s, 2 s, 4 s… (one more doubling per further failure), at most this long. */
const MAX_SPACING_SECONDS = 8;
/** A check that would have to wait longer than this for its turn is refused at once instead. */
const MAX_WAIT_MS = 20_000;

/** Who is trying (the username as typed, known or not) and from where (a client-address bucket). */
export interface Attempt {
  username: string;
  address: string;
}

/** What a check may do: go ahead, nothing (this address is locked out), nothing (too many waiting). */
export type Admission = 'open' | 'locked' | 'throttled';

/** The username is kept only as a hash (unknown names too: someone may type a password into the name field). */
const nameKey = (username: string) =>
  createHash('sha256').update(`jineng-console-name:${username}`).digest('hex');
const keysOf = (a: Attempt) => {
  const name = nameKey(a.username);
  return { name: `${name}|*`, here: `${name}|${a.address}` };
};
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Failed password and code checks (sign-in, second factor, current password on the account page), counted in
 * the database so every process shares them and parallel guesses cannot slip past. Every attempt runs the same
 * statements whether or not the username exists, so the answer's timing does not tell.
 */
export function createLockout(
  db: Db,
  policy: LockoutPolicy,
  { sleep = sleepFor }: { sleep?: (ms: number) => Promise<void> } = {},
) {
  const slowAfter = policy.attempts * SLOWDOWN_FACTOR;
  const windowStart = (now: Date) => new Date(now.getTime() - policy.windowMinutes * 60_000);

  return {
    /**
     * Run before the password or code is checked. A locked address gets 'locked'; while the username is being
     * slowed down, each check takes the next turn (waiting here for it), or 'throttled' when the queue is long.
     */
    async admit(attempt: Attempt, now = new Date()): Promise<Admission> {
      const { name, here } = keysOf(attempt);
      const latest = new Date(now.getTime() + MAX_WAIT_MS);
      const [row] = await db.$queryRaw<
        { locked_until: Date | null; slowed: boolean | null; turn: Date | null }[]
      >`
        WITH slot AS (
          UPDATE console_sign_in_failures
          SET next_at = GREATEST(COALESCE(next_at, ${now}), ${now})
            + LEAST(power(2, failures - ${slowAfter}), ${MAX_SPACING_SECONDS}) * interval '1 second'
          WHERE key = ${name} AND since >= ${windowStart(now)} AND failures >= ${slowAfter}
            AND COALESCE(next_at, ${now}) <= ${latest}
          RETURNING next_at - LEAST(power(2, failures - ${slowAfter}), ${MAX_SPACING_SECONDS}) * interval '1 second' AS turn
        )
        SELECT
          (SELECT locked_until FROM console_sign_in_failures WHERE key = ${here}) AS locked_until,
          (SELECT since >= ${windowStart(now)} AND failures >= ${slowAfter}
             FROM console_sign_in_failures WHERE key = ${name}) AS slowed,
          (SELECT turn FROM slot) AS turn`;
      if (row?.locked_until && row.locked_until > now) return 'locked';
      if (row?.slowed && !row.turn) return 'throttled';
      if (row?.turn) {
        const wait = row.turn.getTime() - now.getTime();
        if (wait > 0) await sleep(wait);
      }
      return 'open';
    },

    /**
     * Counts one failure for this address and for the username; the address is locked when its count reaches
     * the limit. Returns true when this failure locked it.
     */
    async failed(attempt: Attempt, now = new Date()): Promise<boolean> {
      const { name, here } = keysOf(attempt);
      const start = windowStart(now);
      await db.$executeRaw`
        INSERT INTO console_sign_in_failures AS f (key, failures, since)
        VALUES (${name}, 1, ${now}), (${here}, 1, ${now})
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN f.since < ${start} THEN 1 ELSE f.failures + 1 END,
          since = CASE WHEN f.since < ${start} THEN ${now} ELSE f.since END`;
      const lockedUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
      const locked = await db.$executeRaw`
        UPDATE console_sign_in_failures SET locked_until = ${lockedUntil}, failures = 0, since = ${now}
        WHERE key = ${here} AND failures >= ${policy.attempts}`;
      // Rows that no longer count for anything (a window and a lock long gone).
      const stale = new Date(start.getTime() - policy.lockMinutes * 60_000 - MAX_WAIT_MS);
      await db.$executeRaw`DELETE FROM console_sign_in_failures WHERE since < ${stale}`;
      if (locked === 0) return false;
      // Shown on the Accounts page; for an unknown name this matches no row, the same statement all the same.
      await db.consoleAccount.updateMany({ where: { username: attempt.username }, data: { lockedUntil } });
      return true;
    },

    /** The right password from this address: its count starts again (the username's stays, for the slowdown). */
    async succeeded(attempt: Attempt): Promise<void> {
      await db.$executeRaw`DELETE FROM console_sign_in_failures WHERE key = ${keysOf(attempt).here}`;
    },

    /** An admin's unlock: every address may try again, and the slowdown ends. */
    async clear(username: string): Promise<void> {
      await db.$executeRaw`DELETE FROM console_sign_in_failures WHERE key LIKE ${`${nameKey(username)}|%`}`;
      await db.consoleAccount.updateMany({ where: { username }, data: { lockedUntil: null } });
    },
  };
}

export type Lockout = ReturnType<typeof createLockout>;
