import type {} from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../core/domain';
import type { Translate } from '../../core/i18n';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { consoleLocale, type SignedIn } from './console-login';

/** What every console page needs: its language, the user, and the token its forms must post back. */
export interface PageContext {
  t: Translate;
  locale: Locale;
  user?: SignedIn;
  csrf: string;
  path: string;
  dateTime: (d: Date | null | undefined) => string;
  /** Open follow-ups the user may see (the navigation shows the count). */
  openFollowUps?: number;
  /** Inbox items waiting for staff in the user's scope (the navigation shows the count). */
  waitingInbox?: number;
}

export function pageContext(request: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps): PageContext {
  const locale = consoleLocale(request, reply);
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: deps.config.TIMEZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return {
    t: deps.translator.forLocale(locale),
    locale,
    user: request.consoleUser,
    csrf: reply.generateCsrf({ userInfo: request.consoleUser?.loginId ?? 'anonymous' }),
    path: request.url.split('?')[0] ?? '/console',
    dateTime: (d) => (d ? format.format(d) : ''),
    openFollowUps: request.openFollowUps,
    waitingInbox: request.waitingInbox,
  };
}

export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

/** A POST button (state changes are never links, so a prefetch or a crawler cannot trigger them). */
export function postButton(ctx: PageContext, action: string, label: string, extra: SafeHtml | string = '') {
  return html`<form method="post" action="${action}" class="inline">${csrfField(ctx)}${extra}<button type="submit">${label}</button></form>`;
}

const followUpsLabel = (t: Translate, open: number | undefined) =>
  open ? t('followups:navOpen', { count: open }) : t('followups:nav');

function nav(ctx: PageContext): SafeHtml {
  const { t, user } = ctx;
  if (!user) return html``;
  // Until a sign-in step is done (second-factor code, new password), only signing out leads anywhere.
  const items: [string, string][] = user.gate
    ? []
    : [
        ['/console/courses', t('console:nav.courses')],
        ['/console/import', t('console:nav.import')],
        ['/console/broadcasts', t('console:nav.broadcasts')],
        ['/console/follow-ups', followUpsLabel(t, ctx.openFollowUps)],
        [
          '/console/inbox',
          ctx.waitingInbox
            ? t('inbox-console:navWaiting', { count: ctx.waitingInbox })
            : t('inbox-console:nav'),
        ],
        ['/console/answers', t('curated:nav')],
        ['/console/reports', t('reports:nav')],
        ['/console/survey-answers', t('survey-answers:nav')],
        ['/console/audit', t('console:nav.audit')],
      ];
  if (!user.gate && user.access.role === 'admin') {
    items.push(['/console/accounts', t('accounts:nav.accounts')], ['/admin/queues', t('console:nav.queues')]);
  }
  if (!user.gate) items.push(['/console/account', t('accounts:nav.myAccount')]);
  return html`<nav>${items.map(
    ([href, label]) =>
      html`<a href="${href}"${ctx.path === href || ctx.path.startsWith(`${href}/`) ? html` aria-current="page"` : ''}>${label}</a>`,
  )}<span class="who">${user.username} · ${t(`console:role.${user.access.role}`)}</span>${postButton(
    ctx,
    '/console/logout',
    t('console:nav.signOut'),
  )}</nav>`;
}

export function layout(
  ctx: PageContext,
  title: string,
  body: SafeHtml,
  options: { refreshSeconds?: number } = {},
): string {
  const other = ctx.locale === 'en' ? 'zh-CN' : 'en';
  return html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}
<title>${title} · ${ctx.t('console:appName')}</title>
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body>
<header><a class="brand" href="/console/courses">${ctx.t('console:appName')}</a>
<a class="lang" href="${ctx.path}?lang=${other}">${ctx.t('console:switchLanguage')}</a></header>
${nav(ctx)}
<main><h1>${title}</h1>${body}</main>
</body>
</html>`.value;
}

export function sendPage(
  reply: FastifyReply,
  ctx: PageContext,
  title: string,
  body: SafeHtml,
  options: { status?: number; refreshSeconds?: number } = {},
) {
  return reply
    .code(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(layout(ctx, title, body, options));
}
