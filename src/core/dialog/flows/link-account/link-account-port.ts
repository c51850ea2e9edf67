import type { IdentityKey } from '../../../outreach-ports';

/**
 * Whether this chat may be linked to the record its person signed up with elsewhere: 'ready' (a fresh chat with
 * nothing of its own, SMS configured), 'has_data' (it has sign-ups or details of its own: no automatic merge,
 * staff help instead), 'no_sms' (linking needs an SMS code and SMS is not configured here), 'locked' (too many
 * wrong codes from this chat lately).
 */
export type LinkReadiness = 'ready' | 'has_data' | 'no_sms' | 'locked';

export type CodeRequestOutcome =
  /** The same answer whether or not the number is registered: a code went out only if it is. */
  | { status: 'sent'; maskedPhone: string }
  | { status: 'rate_limited' }
  | { status: 'locked' }
  | { status: 'has_data' }
  | { status: 'no_sms' };

export type CodeCheckOutcome =
  /** This chat now belongs to `personId`, the record the phone was registered to. */
  | { status: 'linked'; personId: string }
  | { status: 'wrong'; triesLeft: number }
  /** Too many wrong codes: no more linking from this chat for a while. */
  | { status: 'locked' }
  /** No live code for this chat (never asked, expired, or used). */
  | { status: 'expired' }
  /** The phone is proven, but the records cannot be joined automatically (several records, a staff record, or
   * this chat has data of its own by now): staff help. */
  | { status: 'staff' };

/** What the link-account flow needs; src/services/identity-link-service.ts implements it. */
export interface LinkAccountPort {
  /** Minutes a code stays valid, for the replies that say so. */
  readonly codeMinutes: number;
  /** Minutes linking stays locked after too many wrong codes. */
  readonly lockMinutes: number;
  readiness(personId: string, identity: IdentityKey): Promise<LinkReadiness>;
  /** `phone` is a normalised mainland mobile number. */
  requestCode(request: {
    personId: string;
    identity: IdentityKey;
    phone: string;
    now: Date;
  }): Promise<CodeRequestOutcome>;
  /** Whether this chat was linked a moment ago with exactly this code (the code sent twice). */
  justLinkedWith(identity: IdentityKey, code: string): Promise<boolean>;
  checkCode(request: {
    personId: string;
    identity: IdentityKey;
    code: string;
    now: Date;
  }): Promise<CodeCheckOutcome>;
}
