import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { passwordSchema, usernameSchema } from '../../services/console-accounts-service';
import { html } from '../html';
import type {} from '../ip-rate-limit';
import type { ConsoleDeps } from './console-deps';
import { landingPage } from './console-gate';
import { CONSOLE_COOKIE, clientOf, consoleCookieOptions } from './console-login';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';

const signInSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('password'), username: usernameSchema, password: z.string().min(1).max(200) }),
  z.object({
    mode: z.literal('invite'),
    code: z.string().trim().min(4).max(32),
    username: usernameSchema,
    password: passwordSchema,
  }),
]);

function loginPage(ctx: PageContext, error?: string) {
  const { t } = ctx;
  return html`${error ? html`<p class="error" role="alert">${t(`console:login.error.${error}`)}</p>` : ''}
<div class="columns">
<form method="post" action="/console/login" class="card form">
  <h2>${t('console:login.withPassword')}</h2>${csrfField(ctx)}
  <input type="hidden" name="mode" value="password">
  <label>${t('console:login.username')}<input name="username" autocomplete="username" required></label>
  <label>${t('console:login.password')}<input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">${t('console:login.signIn')}</button>
</form>
<form method="post" action="/console/login" class="card form">
  <h2>${t('console:login.withInvite')}</h2><p class="hint">${t('console:login.inviteHint')}</p>${csrfField(ctx)}
  <input type="hidden" name="mode" value="invite">
  <label>${t('console:login.code')}<input name="code" autocomplete="one-time-code" required></label>
  <label>${t('console:login.newUsername')}<input name="username" autocomplete="username" required pattern="[A-Za-z0-9_.\\-]{3,32}"></label>
  <label>${t('console:login.newPassword')}<input name="password" type="password" autocomplete="new-password" minlength="10" required></label>
  <button type="submit">${t('console:login.createAccount')}</button>
</form>
</div>`;
}

export async function authRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const cookie = consoleCookieOptions(deps.config.CONSOLE_SESSION_HOURS);

  scope.get('/console/login', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    return sendPage(reply, ctx, ctx.t('console:login.title'), loginPage(ctx));
  });

  scope.post('/console/login', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    // Guessing passwords or invite codes: a few tries per address, then wait (ip-rate-limit.ts).
    if (!(await scope.signInLimit(request))) {
      return sendPage(reply, ctx, ctx.t('console:login.title'), loginPage(ctx, 'tooMany'), { status: 429 });
    }
    const parsed = signInSchema.safeParse(request.body);
    if (!parsed.success) {
      const weak = parsed.error.issues.some((i) => i.message === 'password' || i.message === 'username');
      return sendPage(reply, ctx, ctx.t('console:login.title'), loginPage(ctx, weak ? 'format' : 'invalid'), {
        status: 400,
      });
    }
    const input = parsed.data;
    const outcome =
      input.mode === 'password'
        ? await deps.accounts.signIn(input.username, input.password, new Date(), clientOf(request))
        : await deps.accounts.signUpWithInvite(
            { ...input, locale: ctx.locale },
            new Date(),
            clientOf(request),
          );
    if (outcome.status !== 'ok') {
      return sendPage(
        reply,
        ctx,
        ctx.t('console:login.title'),
        loginPage(ctx, outcome.status === 'username_taken' ? 'taken' : 'invalid'),
        {
          status: 401,
        },
      );
    }
    reply.setCookie(CONSOLE_COOKIE, outcome.token, cookie);
    return reply.redirect(landingPage(outcome.gate), 303);
  });

  scope.post('/console/logout', async (request, reply) => {
    if (request.consoleUser) await deps.accounts.signOut(request.consoleUser);
    reply.clearCookie(CONSOLE_COOKIE, { path: '/' });
    return reply.redirect('/console/login', 303);
  });
}
