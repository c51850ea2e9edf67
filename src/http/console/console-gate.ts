import type { FastifyReply } from 'fastify';
import type { SignInGate } from '../../services/console-accounts-service';
import { CONSOLE_COOKIE } from './console-login';

/** The page that finishes each sign-in step. */
export const GATE_PAGES: Record<SignInGate, string> = {
  second_factor: '/console/login/code',
  change_password: '/console/account/password',
  enrol_totp: '/console/account/totp',
};

/** Paths a login may use while a sign-in step is unfinished: that step's page, and signing out. */
export function allowedUnderGate(gate: SignInGate, path: string): boolean {
  return path === GATE_PAGES[gate] || path === '/console/logout';
}

/** Where to go after signing in: the unfinished step, or the courses. */
export const landingPage = (gate: SignInGate | undefined) => (gate ? GATE_PAGES[gate] : '/console/courses');

/** Too many wrong codes or current passwords locked this address out and ended the logins: sign in again. */
export function lockedOut(reply: FastifyReply) {
  reply.clearCookie(CONSOLE_COOKIE, { path: '/' });
  return reply.redirect('/console/login', 303);
}
