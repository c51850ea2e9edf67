import { generateSecret, generateURI, verify } from 'otplib';
import { z } from 'zod';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { Db } from '../db/prisma-client';
import type { CheckGuard } from './console-accounts-service';
import type { CoordinatorService } from './coordinator-service';
import { verifyPassword } from './password';

/** Six digits, as authenticator apps show them (spaces typed between groups are ignored). */
export const totpCodeSchema = z
  .string()
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'code'));

/** A code typed a few seconds after it rolled over, or on a phone whose clock is a little off, still counts. */
const TOLERANCE_SECONDS = 30;

export interface TotpEnrolment {
  secret: string;
  uri: string;
}

/**
 * Time-based one-time codes (RFC 6238, any authenticator app) as a console account's second factor. The
 * secret is stored encrypted with the personal-data key; the time step of the last accepted code is kept, so
 * a code seen over someone's shoulder cannot be used again.
 */
export function createConsoleTotp(db: Db, cipher: PiiCipher, coordinators: CoordinatorService) {
  async function matches(secret: string, code: string, afterTimeStep: number | null, now: Date) {
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: TOLERANCE_SECONDS,
      ...(afterTimeStep === null ? {} : { afterTimeStep }),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : undefined;
  }

  return {
    /** The secret being set up (the same one on every reload until it is confirmed); undefined once enabled. */
    async enrolment(accountId: string, issuer: string): Promise<TotpEnrolment | undefined> {
      const account = await db.consoleAccount.findUniqueOrThrow({ where: { id: accountId } });
      if (account.totpEnabledAt) return undefined;
      let secret = account.totpSecret ? cipher.decrypt(account.totpSecret) : undefined;
      if (!secret) {
        secret = generateSecret();
        await db.consoleAccount.update({
          where: { id: accountId },
          data: { totpSecret: cipher.encrypt(secret) },
        });
      }
      return { secret, uri: generateURI({ issuer, label: account.username, secret }) };
    },

    /** The first code from the app proves it was set up right; from then on sign-in asks for a code. */
    async confirm(accountId: string, code: string, now = new Date()): Promise<boolean> {
      const account = await db.consoleAccount.findUniqueOrThrow({ where: { id: accountId } });
      if (account.totpEnabledAt || !account.totpSecret) return false;
      const step = await matches(cipher.decrypt(account.totpSecret), code, null, now);
      if (step === undefined) return false;
      await db.consoleAccount.update({
        where: { id: accountId },
        data: { totpEnabledAt: now, totpLastStep: step },
      });
      await coordinators.audit(account.personId, 'console.totp_enabled', account.username);
      return true;
    },

    /** Checks a sign-in code; from an address locked out of the account, none is accepted. */
    async check(accountId: string, code: string, guard: CheckGuard, now = new Date()): Promise<boolean> {
      const account = await db.consoleAccount.findUniqueOrThrow({ where: { id: accountId } });
      if ((await guard.admit()) !== 'open') return false;
      if (!account.totpEnabledAt || !account.totpSecret) return false;
      const step = await matches(cipher.decrypt(account.totpSecret), code, account.totpLastStep, now);
      if (step === undefined) return false;
      // Only one request may spend a given code: the update succeeds for the first.
      const spent = await db.consoleAccount.updateMany({
        where: {
          id: accountId,
          OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }],
        },
        data: { totpLastStep: step },
      });
      return spent.count === 1;
    },

    /**
     * Someone who is not an admin may turn the second factor off again, with their password, guessed under the
     * sign-in lockout (`guard`). 'locked': that many wrong passwords ended every login of the account.
     */
    async disable(
      accountId: string,
      password: string,
      guard: CheckGuard,
    ): Promise<'ok' | 'wrong' | 'locked'> {
      const account = await db.consoleAccount.findUniqueOrThrow({ where: { id: accountId } });
      if ((await guard.admit()) !== 'open') return 'wrong';
      if (!(await verifyPassword(password, account.passwordHash))) {
        return (await guard.failed()) ? 'locked' : 'wrong';
      }
      await db.consoleAccount.update({
        where: { id: accountId },
        data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null },
      });
      await coordinators.audit(account.personId, 'console.totp_disabled', account.username);
      return 'ok';
    },
  };
}

export type ConsoleTotp = ReturnType<typeof createConsoleTotp>;
