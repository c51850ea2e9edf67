import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { type PageContext, pageContext, sendPage } from './console-page';

const query = z
  .object({
    before: z
      .string()
      .regex(/^\d{1,18}$/)
      .optional(),
  })
  .catch({});

/** A readable name for the action where the locales have one, with the code it is stored under beside it. */
function actionCell(ctx: PageContext, action: string): SafeHtml {
  const label = ctx.t(`accounts:auditAction.${action}`, { defaultValue: action });
  return label === action ? html`${action}` : html`${label} <span class="mono small code">${action}</span>`;
}

/** The audit log: every console action (and every coordinator action in chat); admins see everyone's. */
export async function auditRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  scope.get('/console/audit', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const { before } = query.parse(request.query);
    const user = request.consoleUser!;
    const entries = await deps.auditLog.list(user.access, user.personId, before ? BigInt(before) : undefined);
    const last = entries.at(-1);
    const body = html`<table><thead><tr><th>${t('console:audit.when')}</th><th>${t('console:audit.who')}</th><th>${t('console:audit.action')}</th><th>${t('console:audit.target')}</th><th>${t('console:audit.detail')}</th></tr></thead><tbody>${entries.map(
      (e) =>
        html`<tr><td>${ctx.dateTime(e.at)}</td><td>${e.actor}</td><td>${actionCell(ctx, e.action)}</td><td>${e.target ?? ''}</td><td class="mono small">${e.detail}</td></tr>`,
    )}</tbody></table>
${entries.length === 100 && last ? html`<p><a href="/console/audit?before=${last.id}">${t('console:audit.older')}</a></p>` : ''}`;
    return sendPage(reply, ctx, t('console:audit.title'), body);
  });
}
