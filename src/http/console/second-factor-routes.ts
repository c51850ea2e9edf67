import type { FastifyInstance, FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { totpCodeSchema } from '../../services/console-totp-service';
import { html, SafeHtml } from '../html';
import type {} from '../ip-rate-limit';
import type { ConsoleDeps } from './console-deps';
import { landingPage, lockedOut } from './console-gate';
import { CONSOLE_COOKIE, clientOf, consoleCookieOptions } from './console-login';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';

const codeBody = z.object({ code: totpCodeSchema });
const passwordBody = z.object({ password: z.string().min(1).max(200) });

function codeForm(ctx: PageContext, action: string, button: string) {
  const { t } = ctx;
  return html`<form method="post" action="${action}" class="card form">${csrfField(ctx)}
  <label>${t('accounts:totp.code')}<input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus></label>
  <button type="submit">${button}</button>
</form>`;
}

const error = (ctx: PageContext, key: string) => html`<p class="error" role="alert">${ctx.t(key)}</p>`;

/** The secret in groups of four, for typing into an app when the QR code cannot be scanned. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * The second factor: the code step of signing in (/console/login/code), setting it up with an authenticator
 * app (/console/account/totp, which admins must do before anything else) and, for others, turning it off.
 */
export async function secondFactorRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const cookie = consoleCookieOptions(deps.config.CONSOLE_SESSION_HOURS);
  /** Codes and current passwords count against the address's sign-in limit (ip-rate-limit.ts). */
  const tooMany = async (
    ctx: PageContext,
    reply: FastifyReply,
    title: string,
    page: () => Promise<SafeHtml>,
  ) =>
    (await scope.signInLimit(reply.request))
      ? undefined
      : sendPage(reply, ctx, ctx.t(title), await page(), { status: 429 });

  const codePage = (ctx: PageContext, problem?: string) =>
    html`${problem ? error(ctx, problem) : ''}<p>${ctx.t('accounts:totp.askCode')}</p>${codeForm(ctx, '/console/login/code', ctx.t('accounts:totp.verify'))}`;

  scope.get('/console/login/code', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    if (ctx.user?.gate !== 'second_factor') return reply.redirect(landingPage(ctx.user?.gate), 303);
    return sendPage(reply, ctx, ctx.t('accounts:totp.loginTitle'), codePage(ctx));
  });

  scope.post('/console/login/code', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const user = request.consoleUser!;
    if (user.gate !== 'second_factor') return reply.redirect(landingPage(user.gate), 303);
    const limited = await tooMany(ctx, reply, 'accounts:totp.loginTitle', async () =>
      codePage(ctx, 'console:login.error.tooMany'),
    );
    if (limited) return limited;
    const parsed = codeBody.safeParse(request.body);
    const guard = deps.accounts.guard(user, clientOf(request), 'second_factor');
    if (parsed.success && (await deps.totp.check(user.accountId, parsed.data.code, guard))) {
      const token = await deps.accounts.completeSecondFactor(user, new Date(), clientOf(request));
      reply.setCookie(CONSOLE_COOKIE, token, cookie);
      return reply.redirect('/console/courses', 303);
    }
    if (await guard.failed()) return lockedOut(reply);
    return sendPage(reply, ctx, ctx.t('accounts:totp.loginTitle'), codePage(ctx, 'accounts:totp.wrongCode'), {
      status: 401,
    });
  });

  async function enrolPage(ctx: PageContext, problem?: string): Promise<SafeHtml> {
    const { t, user } = ctx;
    const enrolment = await deps.totp.enrolment(user!.accountId, t('accounts:totp.issuer'));
    if (!enrolment) {
      const mayTurnOff = user!.access.role !== 'admin';
      return html`${problem ? error(ctx, problem) : ''}<p class="notice">${t('accounts:totp.isOn')}</p>
${
  mayTurnOff
    ? html`<form method="post" action="/console/account/totp/off" class="card form">${csrfField(ctx)}
  <h2>${t('accounts:totp.turnOff')}</h2>
  <label>${t('accounts:password.current')}<input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">${t('accounts:totp.turnOff')}</button>
</form>`
    : html`<p class="hint">${t('accounts:totp.adminsKeep')}</p>`
}`;
    }
    const svg = await QRCode.toString(enrolment.uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return html`${problem ? error(ctx, problem) : ''}
${user!.gate === 'enrol_totp' ? html`<p class="notice">${t('accounts:totp.adminMust')}</p>` : ''}
<ol class="steps">
  <li>${t('accounts:totp.step1')}</li>
  <li>${t('accounts:totp.step2')}<div class="qr">${new SafeHtml(svg)}</div>
    <p>${t('accounts:totp.typeInstead')} <code class="secret" data-secret="${enrolment.secret}">${grouped(enrolment.secret)}</code></p>
    <p class="hint small">${t('accounts:totp.uri')} <code class="mono small">${enrolment.uri}</code></p></li>
  <li>${t('accounts:totp.step3')}</li>
</ol>
${codeForm(ctx, '/console/account/totp', t('accounts:totp.confirm'))}`;
  }

  /** The set-up page again, with what was wrong, answered 400. */
  const refusedEnrolPage = async (ctx: PageContext, reply: FastifyReply, error: string) =>
    sendPage(reply, ctx, ctx.t('accounts:totp.title'), await enrolPage(ctx, error), { status: 400 });

  scope.get('/console/account/totp', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    return sendPage(reply, ctx, ctx.t('accounts:totp.title'), await enrolPage(ctx));
  });

  scope.post('/console/account/totp', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const parsed = codeBody.safeParse(request.body);
    if (parsed.success && (await deps.totp.confirm(ctx.user!.accountId, parsed.data.code))) {
      return reply.redirect('/console/account?done=totpOn', 303);
    }
    return refusedEnrolPage(ctx, reply, 'accounts:totp.wrongCode');
  });

  scope.post('/console/account/totp/off', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const parsed = passwordBody.safeParse(request.body);
    const user = ctx.user!;
    const limited = await tooMany(ctx, reply, 'accounts:totp.title', () =>
      enrolPage(ctx, 'console:login.error.tooMany'),
    );
    if (limited) return limited;
    if (user.access.role !== 'admin' && parsed.success) {
      const guard = deps.accounts.guard(user, clientOf(request), 'current_password');
      const outcome = await deps.totp.disable(user.accountId, parsed.data.password, guard);
      if (outcome === 'ok') return reply.redirect('/console/account?done=totpOff', 303);
      if (outcome === 'locked') return lockedOut(reply);
    }
    return refusedEnrolPage(ctx, reply, 'accounts:password.error.wrong');
  });
}
