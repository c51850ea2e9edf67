import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { passwordSchema } from '../../services/console-accounts-service';
import type { LoginRow } from '../../services/console-own-account-service';
import { html, type SafeHtml } from '../html';
import type {} from '../ip-rate-limit';
import type { ConsoleDeps } from './console-deps';
import { lockedOut } from './console-gate';
import { clientOf } from './console-login';
import { csrfField, type PageContext, pageContext, postButton, sendPage } from './console-page';
import { notFound } from './console-params';

const DONE = ['totpOn', 'totpOff', 'password', 'revoked'] as const;
const doneQuery = z.object({ done: z.enum(DONE).optional() }).catch({});
const idParams = z.object({ id: z.uuid() });
const passwordBody = z
  .object({ current: z.string().min(1).max(200), password: passwordSchema, repeat: z.string() })
  .refine((b) => b.password === b.repeat, { message: 'repeat' });

function passwordForm(ctx: PageContext, problem?: string): SafeHtml {
  const { t } = ctx;
  return html`<form method="post" action="/console/account/password" class="card form">${csrfField(ctx)}
  <h2>${t('accounts:password.title')}</h2>
  ${problem ? html`<p class="error" role="alert">${t(problem)}</p>` : ''}
  <label>${t('accounts:password.current')}<input name="current" type="password" autocomplete="current-password" required></label>
  <label>${t('accounts:password.new')}<input name="password" type="password" autocomplete="new-password" minlength="10" required></label>
  <label>${t('accounts:password.repeat')}<input name="repeat" type="password" autocomplete="new-password" minlength="10" required></label>
  <button type="submit">${t('accounts:password.save')}</button>
</form>`;
}

function loginsTable(ctx: PageContext, logins: LoginRow[]): SafeHtml {
  const { t } = ctx;
  return html`<table class="sessions"><thead><tr><th>${t('accounts:sessions.browser')}</th><th>${t('accounts:sessions.address')}</th><th>${t('accounts:sessions.since')}</th><th>${t('accounts:sessions.lastSeen')}</th><th></th></tr></thead><tbody>${logins.map(
    (s) =>
      html`<tr data-session="${s.id}"><td class="small">${s.userAgent ?? '—'}</td><td class="mono small">${s.ipAddress ?? '—'}</td><td>${ctx.dateTime(s.createdAt)}</td><td>${ctx.dateTime(s.lastSeenAt)}</td><td>${
        s.current
          ? html`<strong>${t('accounts:sessions.current')}</strong>`
          : postButton(ctx, `/console/account/sessions/${s.id}/revoke`, t('accounts:sessions.revoke'))
      }</td></tr>`,
  )}</tbody></table>`;
}

/** Every console user's own page: their logins (and ending them), their password, their second factor. */
export async function ownAccountRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  async function accountPage(ctx: PageContext, done?: string, problem?: string) {
    const { t, user } = ctx;
    const logins = await deps.ownAccount.logins(user!);
    return html`${done ? html`<p class="notice" role="status">${t(`accounts:done.${done}`)}</p>` : ''}
<h2>${t('accounts:sessions.title')}</h2><p class="hint">${t('accounts:sessions.hint')}</p>
${loginsTable(ctx, logins)}
${logins.length > 1 ? html`<p>${postButton(ctx, '/console/account/sessions/revoke-others', t('accounts:sessions.revokeOthers'))}</p>` : ''}
<h2>${t('accounts:totp.title')}</h2>
<p>${t(user!.totpEnabled ? 'accounts:totp.isOn' : 'accounts:totp.isOff')} <a class="button" href="/console/account/totp">${t(user!.totpEnabled ? 'accounts:totp.manage' : 'accounts:totp.setUp')}</a></p>
${passwordForm(ctx, problem)}`;
  }

  scope.get('/console/account', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { done } = doneQuery.parse(request.query);
    return sendPage(reply, ctx, ctx.t('accounts:my.title'), await accountPage(ctx, done));
  });

  /** The page a temporary password leads to: nothing else until a new password is chosen. */
  scope.get('/console/account/password', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const forced = ctx.user?.gate === 'change_password';
    return sendPage(
      reply,
      ctx,
      ctx.t('accounts:password.title'),
      html`${forced ? html`<p class="notice">${ctx.t('accounts:password.mustChange')}</p>` : ''}${passwordForm(ctx)}`,
    );
  });

  scope.post('/console/account/password', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const user = ctx.user!;
    // The current password is a password guess like any other: the sign-in limit and lockout apply.
    if (!(await scope.signInLimit(request))) {
      const body = passwordForm(ctx, 'console:login.error.tooMany');
      return sendPage(reply, ctx, ctx.t('accounts:password.title'), body, { status: 429 });
    }
    const parsed = passwordBody.safeParse(request.body);
    const guard = deps.accounts.guard(user, clientOf(request), 'current_password');
    const outcome = parsed.success
      ? await deps.ownAccount.changePassword(user, parsed.data.current, parsed.data.password, guard)
      : parsed.error.issues.some((i) => i.message === 'repeat')
        ? 'repeat'
        : 'format';
    if (outcome === 'locked') return lockedOut(reply);
    if (outcome === 'ok') {
      return reply.redirect(
        user.gate === 'change_password' ? '/console/courses' : '/console/account?done=password',
        303,
      );
    }
    const problem = `accounts:password.error.${outcome === 'wrong_password' ? 'wrong' : outcome === 'same_password' ? 'same' : outcome}`;
    const body =
      user.gate === 'change_password'
        ? passwordForm(ctx, problem)
        : await accountPage(ctx, undefined, problem);
    return sendPage(reply, ctx, ctx.t('accounts:password.title'), body, { status: 400 });
  });

  scope.post('/console/account/sessions/:id/revoke', async (request, reply) => {
    const parsed = idParams.safeParse(request.params);
    if (!parsed.success || !(await deps.ownAccount.revokeLogin(request.consoleUser!, parsed.data.id))) {
      throw notFound();
    }
    return reply.redirect('/console/account?done=revoked', 303);
  });

  scope.post('/console/account/sessions/revoke-others', async (request, reply) => {
    await deps.ownAccount.revokeOtherLogins(request.consoleUser!);
    return reply.redirect('/console/account?done=revoked', 303);
  });
}
