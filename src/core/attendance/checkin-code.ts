import { createHmac, timingSafeEqual } from 'node:crypto';
import { type CheckinRules, checkinWindow } from './checkin-rules';

/**
 * The rotating six-digit check-in code of a class session, derived like a TOTP (RFC 6238's dynamic truncation)
 * from a server secret, the session id and the time step: nothing is stored, every process computes the same
 * code, and a code is worth nothing for another session or an hour later.
 */
const MINUTE = 60_000;
export const CODE_DIGITS = 6;

export function timeStep(at: Date, rules: Pick<CheckinRules, 'stepMinutes'>): number {
  return Math.floor(at.getTime() / (rules.stepMinutes * MINUTE));
}

export function stepStart(step: number, rules: Pick<CheckinRules, 'stepMinutes'>): Date {
  return new Date(step * rules.stepMinutes * MINUTE);
}

export function codeAt(secret: string, sessionId: string, step: number): string {
  const mac = createHmac('sha256', secret).update(`checkin:${sessionId}:${step}`).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** CODE_DIGITS).padStart(CODE_DIGITS, '0');
}

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export type CodeMatch = 'current' | 'stale' | 'none';

/**
 * Whether `code` is the session's code now: 'current' for this step or the one before (a code read off the
 * screen just before it changed still works), 'stale' for an older step within the last `lookBackSteps`.
 */
export function matchCode(
  secret: string,
  sessionId: string,
  code: string,
  now: Date,
  rules: Pick<CheckinRules, 'stepMinutes'>,
  lookBackSteps = 0,
): CodeMatch {
  const step = timeStep(now, rules);
  if (same(codeAt(secret, sessionId, step), code) || same(codeAt(secret, sessionId, step - 1), code))
    return 'current';
  for (let s = step - 2; s >= step - lookBackSteps; s--)
    if (same(codeAt(secret, sessionId, s), code)) return 'stale';
  return 'none';
}

export interface ShownCode {
  code: string;
  /** When the screen shows the next code. */
  changesAt: Date;
  /** Until when this code is accepted: the end of the next step, but never past the check-in window. */
  validUntil: Date;
}

/** The code a coordinator shows now for a session starting at `startsAt`. */
export function shownCode(
  secret: string,
  sessionId: string,
  startsAt: Date,
  now: Date,
  rules: CheckinRules,
): ShownCode {
  const step = timeStep(now, rules);
  const accepted = stepStart(step + 2, rules);
  const closes = checkinWindow(startsAt, rules).closesAt;
  return {
    code: codeAt(secret, sessionId, step),
    changesAt: stepStart(step + 1, rules),
    validUntil: new Date(Math.min(accepted.getTime(), closes.getTime())),
  };
}

/**
 * The QR code's token: the session id (22 base64url characters) and the code, 28 characters of A-Z a-z 0-9 _ -,
 * so it fits a Telegram deep link (`?start=ci_<token>`, at most 64) and a URL query unescaped.
 */
export function checkinToken(sessionId: string, code: string): string {
  return Buffer.from(sessionId.replace(/-/g, ''), 'hex').toString('base64url') + code;
}

const TOKEN = /^([A-Za-z0-9_-]{22})(\d{6})$/;

export function parseCheckinToken(token: string): { sessionId: string; code: string } | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const hex = Buffer.from(m[1]!, 'base64url').toString('hex');
  if (hex.length !== 32) return undefined;
  const sessionId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { sessionId, code: m[2]! };
}
