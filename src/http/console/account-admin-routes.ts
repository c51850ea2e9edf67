import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ACCOUNT_ACTIONS,
  type AccountAction,
  type AccountRow,
} from '../../services/console-account-admin-service';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { type PageContext, pageContext, postButton, sendPage } from './console-page';
import { notFound } from './console-params';

const actionParams = z.object({ id: z.uuid(), action: z.enum(ACCOUNT_ACTIONS) });
const doneQuery = z
  .object({ done: z.enum(ACCOUNT_ACTIONS).optional(), name: z.string().max(32).optional() })
  .catch({});

function scopeOf(ctx: PageContext, a: AccountRow): string {
  if (a.role === null) return ctx.t('accounts:list.noRole');
  if (a.role === 'admin') return ctx.t('console:role.admin');
  const places = [...a.counties.map((c) => ctx.t(`domain:county.${c}`)), ...a.courseCodes];
  return ctx.t('accounts:list.coordinatorOf', { places: places.join('、') || '—' });
}

/** The scope, and whether the account may export full ID numbers for subsidy claims. */
function scopeCell(ctx: PageContext, a: AccountRow): string {
  const scope = scopeOf(ctx, a);
  return a.subsidyOfficer ? `${scope} · ${ctx.t('accounts:list.subsidyOfficer')}` : scope;
}

function statusOf(ctx: PageContext, a: AccountRow): string {
  const { t } = ctx;
  if (a.disabled) return t('accounts:list.disabled');
  if (a.lockedUntil) return t('accounts:list.lockedUntil', { time: ctx.dateTime(a.lockedUntil) });
  if (a.mustChangePassword) return t('accounts:list.mustChange');
  return t('accounts:list.active');
}

function actionsOf(ctx: PageContext, a: AccountRow, self: boolean): SafeHtml {
  const { t } = ctx;
  if (self) return html`<a href="/console/account">${t('accounts:list.yours')}</a>`;
  const button = (action: AccountAction) =>
    postButton(ctx, `/console/accounts/${a.id}/${action}`, t(`accounts:action.${action}`));
  const subsidy =
    a.role === null ? '' : a.subsidyOfficer ? button('revoke-subsidy') : button('grant-subsidy');
  return html`${a.disabled ? button('enable') : button('disable')}${subsidy}${a.lockedUntil ? button('unlock') : ''}${button('reset-password')}${a.totpEnabled ? button('reset-totp') : ''}${a.activeLogins ? button('revoke-sessions') : ''}`;
}

function accountsTable(ctx: PageContext, rows: AccountRow[]): SafeHtml {
  const { t } = ctx;
  const heads = ['username', 'scope', 'lastSignIn', 'status', 'totp', 'sessions', 'actions'];
  return html`<table class="accounts"><thead><tr>${heads.map((h) => html`<th>${t(`accounts:list.${h}`)}</th>`)}</tr></thead><tbody>${rows.map(
    (a) =>
      html`<tr data-account="${a.username}"${a.disabled ? html` class="muted-row"` : ''}><td class="mono">${a.username}</td><td data-k="scope">${scopeCell(ctx, a)}</td><td>${ctx.dateTime(a.lastSignInAt) || '—'}</td><td data-k="status">${statusOf(ctx, a)}</td><td data-k="totp">${t(a.totpEnabled ? 'accounts:list.totpOn' : 'accounts:list.totpOff')}</td><td data-k="sessions">${a.activeLogins}</td><td class="account-actions">${actionsOf(ctx, a, a.id === ctx.user?.accountId)}</td></tr>`,
  )}</tbody></table>`;
}

/**
 * Admins' page of every console account: disable and enable, unlock, reset the password (a one-time temporary
 * password, shown once, that must be replaced at the next sign-in), reset the second factor, end all sessions.
 */
export async function accountAdminRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  // Only admins: to anyone else these pages do not exist.
  scope.addHook('preHandler', async (request) => {
    if (request.consoleUser?.access.role !== 'admin') throw notFound();
  });

  scope.get('/console/accounts', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const { done, name } = doneQuery.parse(request.query);
    const rows = await deps.accountAdmin.list();
    const body = html`${done && name ? html`<p class="notice" role="status">${t(`accounts:done.${done}`, { name })}</p>` : ''}
<p class="hint">${t('accounts:list.hint')}</p>
${accountsTable(ctx, rows)}`;
    return sendPage(reply, ctx, t('accounts:list.title'), body);
  });

  scope.post('/console/accounts/:id/:action', async (request, reply) => {
    const parsed = actionParams.safeParse(request.params);
    if (!parsed.success) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const outcome = await deps.accountAdmin.act(request.consoleUser!, parsed.data.id, parsed.data.action);
    if (outcome.status === 'not_found') throw notFound();
    if (outcome.status === 'self') {
      const body = html`<p class="error" role="alert">${t('accounts:list.notYourself')}</p><p><a href="/console/account">${t('accounts:nav.myAccount')}</a></p>`;
      return sendPage(reply, ctx, t('accounts:list.title'), body, { status: 400 });
    }
    if (outcome.temporaryPassword) {
      const body = html`<p class="notice" role="status">${t('accounts:reset.done', { name: outcome.username })}</p>
<p>${t('accounts:reset.tell')}</p><p class="temporary-password mono">${outcome.temporaryPassword}</p>
<p class="hint">${t('accounts:reset.once')}</p><p><a href="/console/accounts">${t('accounts:reset.back')}</a></p>`;
      return sendPage(reply, ctx, t('accounts:reset.title'), body);
    }
    const query = new URLSearchParams({ done: parsed.data.action, name: outcome.username });
    return reply.redirect(`/console/accounts?${query}`, 303);
  });
}
