import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LOCALES, type Locale } from '../../core/domain';
import type { CoordinatorAccess } from '../../core/outreach-ports';
import type { ClientInfo, ConsoleAccounts, ConsoleUser } from '../../services/console-accounts-service';

export const CONSOLE_COOKIE = 'jineng_console';
export const LANG_COOKIE = 'jineng_lang';

/** A signed-in console user with a coordinator role. */
export type SignedIn = ConsoleUser & { access: CoordinatorAccess };

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser?: SignedIn;
  }
}

export function consoleCookieOptions(hours: number) {
  return {
    signed: true,
    httpOnly: true,
    sameSite: 'strict',
    secure: 'auto',
    path: '/',
    maxAge: hours * 3_600,
  } as const;
}

/**
 * The login named by the signed console cookie; a forged, unknown or expired one is no login. It may still
 * have a step to finish (user.gate: the second-factor code, a new password, setting up the second factor).
 */
export async function consoleLoginOf(
  request: FastifyRequest,
  accounts: ConsoleAccounts,
): Promise<ConsoleUser | undefined> {
  const cookie = request.cookies[CONSOLE_COOKIE];
  if (!cookie) return undefined;
  const unsigned = request.unsignCookie(cookie);
  if (!unsigned.valid || !unsigned.value) return undefined;
  return accounts.resolve(unsigned.value);
}

/** A signed-in user with every sign-in step done; a login still at a step counts as none. */
export async function consoleUserOf(
  request: FastifyRequest,
  accounts: ConsoleAccounts,
): Promise<ConsoleUser | undefined> {
  const user = await consoleLoginOf(request, accounts);
  return user?.gate ? undefined : user;
}

/** The browser and address a new login comes from, shown in the lists of signed-in browsers. */
export const clientOf = (request: FastifyRequest): ClientInfo => ({
  userAgent: request.headers['user-agent'],
  ip: request.ip,
});

const langQuery = z.object({ lang: z.enum(LOCALES).optional() }).catch({});

/** ?lang=en switches the console's language and remembers it in a cookie; Chinese otherwise. */
export function consoleLocale(request: FastifyRequest, reply: FastifyReply): Locale {
  const { lang } = langQuery.parse(request.query);
  if (lang) {
    reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', maxAge: 365 * 86_400 });
    return lang;
  }
  const saved = request.cookies[LANG_COOKIE];
  return saved === 'en' ? 'en' : 'zh-CN';
}

/** A browser loading a page (which is sent to sign in) rather than submitting something (which is refused). */
export const isPageRequest = (request: FastifyRequest) =>
  request.method === 'GET' || request.method === 'HEAD';
