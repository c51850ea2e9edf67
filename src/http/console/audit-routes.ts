import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditEntry } from '../../services/audit-log-service';
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

/** Numbers and short words of an entry's detail that its sentence may name ("（32 人）"). */
function factsOf(entry: AuditEntry): Record<string, string | number> {
  const facts: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(entry.facts)) {
    if (typeof value === 'number') facts[key] = value;
    else if (typeof value === 'string' && value.length <= 40) facts[key] = value;
    else if (Array.isArray(value)) facts[key] = value.length;
  }
  return facts;
}

/**
 * The entry in words: "张老师 向 LD-YH-01 发送了通知（32 人）". An action with no sentence of its own reads
 * as its label ("accounts:auditAction.*") with its target; the stored code is kept out of the text (it is on
 * the row's data-action for tools).
 */
export function auditSentence(ctx: PageContext, entry: AuditEntry): string {
  const { t } = ctx;
  const actor = entry.actor ?? t('console:auditWords.system');
  const target = entry.target ?? '';
  const params = { ...factsOf(entry), actor, target };
  const label = t(`accounts:auditAction.${entry.action}`, { defaultValue: '' });
  const fallback = label
    ? t(target ? 'console:auditWords.generic' : 'console:auditWords.genericNoTarget', {
        actor,
        label,
        target,
      })
    : t('console:auditWords.unknown', { actor, target });
  return t(`console:auditWords.${entry.action}`, { ...params, defaultValue: fallback });
}

function row(ctx: PageContext, e: AuditEntry): SafeHtml {
  // The detail (masked) stays beside the sentence: the relation typed on a consent, a file's name, ids.
  return html`<tr data-action="${e.action}"><td>${auditSentence(ctx, e)}</td><td data-label="${ctx.t('console:audit.when')}">${ctx.dateTime(e.at)}</td><td class="mono small" data-label="${ctx.t('console:audit.detail')}">${e.detail}</td></tr>`;
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
    const body = html`<table class="audit cards-narrow"><thead><tr><th>${t('console:audit.action')}</th><th>${t('console:audit.when')}</th><th>${t('console:audit.detail')}</th></tr></thead><tbody>${entries.map(
      (e) => row(ctx, e),
    )}</tbody></table>
${entries.length === 100 && last ? html`<p><a href="/console/audit?before=${last.id}">${t('console:audit.older')}</a></p>` : ''}`;
    return sendPage(reply, ctx, t('console:audit.title'), body);
  });
}
