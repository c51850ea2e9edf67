import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ScheduleProposal } from '../../services/course-import/course-import-service';
import { type ScheduleItem, scheduleItemSchema } from '../../services/course-import/schedule-import';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';
import { notFound } from './console-params';

const item = (i: ScheduleItem) => JSON.stringify(i);
const hidden = (i: ScheduleItem) => html`<input type="hidden" name="change" value="${item(i)}">`;

/**
 * The import report's preview of changes to existing classes (issue 19, item 6): nothing of it is done by the
 * upload; one confirmation moves the classes, a class the file no longer has is cancelled only if ticked.
 */
export function schedulePreview(ctx: PageContext, proposals: readonly ScheduleProposal[]): SafeHtml | '' {
  const { t } = ctx;
  const actionable = proposals.filter((p) => p.moves.length || p.cancels.length || p.adds.length);
  if (!proposals.length) return '';
  const place = (s: { startsAt: Date; venue: string }) => html`${ctx.dateTime(s.startsAt)} · ${s.venue}`;
  const told = actionable.reduce((n, p) => n + (p.moves.length ? p.confirmed : 0), 0);
  const course = (p: ScheduleProposal) => html`<section class="schedule-change" data-code="${p.code}">
<h3>${t('schedule-import:course', { code: p.code, title: p.title, line: p.line })}</h3>
${p.moves.length ? html`<p data-k="notify">${t('schedule-import:notify', { count: p.confirmed })}</p>` : ''}
${
  p.moves.length
    ? html`<table><thead><tr><th>${t('schedule:console.before')}</th><th>${t('schedule:console.after')}</th></tr></thead><tbody>${p.moves.map(
        (m) =>
          html`<tr data-k="move"><td>${place(m.before)}</td><td>${place(m.after)}${hidden({ kind: 'move', code: p.code, sessionId: m.sessionId, was: m.before.startsAt, ...m.after })}</td></tr>`,
      )}</tbody></table>`
    : ''
}
${p.venue ? hidden({ kind: 'venue', code: p.code, ...p.venue }) : ''}
${p.adds.map((a) => html`<p data-k="add">${t('schedule-import:add', { when: ctx.dateTime(a.startsAt), venue: a.venue })}</p>${hidden({ kind: 'add', code: p.code, ...a })}`)}
${
  p.cancels.length
    ? html`<p class="hint">${t('schedule-import:cancelNote')}</p>${p.cancels.map(
        (c) =>
          html`<p data-k="cancel"><label><input type="checkbox" name="change" value="${item({ kind: 'cancel', code: p.code, sessionId: c.sessionId, was: c.before.startsAt })}"> ${t(
            'schedule-import:cancel',
            { when: ctx.dateTime(c.before.startsAt), confirmed: p.confirmed, waitlisted: p.waitlisted },
          )}</label></p>`,
      )}`
    : ''
}
${p.past.map((x) => html`<p class="hint" data-k="past">${t('schedule-import:past', { when: ctx.dateTime((x.before ?? x.after)!.startsAt) })}</p>`)}
</section>`;
  return html`<h2>${t('schedule-import:title')}</h2>
<p>${t('schedule-import:intro')}</p>
${told ? html`<p class="notice" data-k="told">${t('schedule-import:told', { count: told })}</p>` : ''}
<form method="post" action="/console/import/schedule" class="form">${csrfField(ctx)}
${proposals.map(course)}
${actionable.length ? html`<button type="submit">${t('schedule-import:confirm')}</button> <a href="/console/import">${t('schedule-import:keep')}</a>` : ''}
</form>`;
}

const body = z.object({ change: z.union([z.string(), z.array(z.string())]).optional() });

/** The parsed changes of a confirmation; one that does not parse is left out (and counted as unchanged). */
function itemsOf(raw: unknown): { items: ScheduleItem[]; bad: number } {
  const parsed = body.safeParse(raw);
  const list = parsed.success ? [parsed.data.change ?? []].flat() : [];
  const items: ScheduleItem[] = [];
  let bad = 0;
  for (const text of list) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      bad++;
      continue;
    }
    const one = scheduleItemSchema.safeParse(value);
    if (one.success) items.push(one.data);
    else bad++;
  }
  return { items, bad };
}

/** POST /console/import/schedule: the confirmation of the preview above. */
export async function importScheduleRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  scope.post('/console/import/schedule', async (request, reply) => {
    if (!deps.scheduleImport) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const user = request.consoleUser!;
    const { items, bad } = itemsOf(request.body);
    const out = await deps.scheduleImport.confirm(user.access, user.personId, items);
    const page = html`<p class="notice" role="status" data-k="done">${t('schedule-import:done', { ...out })}</p>
${out.unreachable ? html`<p class="error">${t('schedule:console.doneUnreachable', { count: out.unreachable })}</p>` : ''}
${out.unchanged + bad ? html`<p class="hint" data-k="unchanged">${t('schedule-import:unchanged', { count: out.unchanged + bad })}</p>` : ''}
<p><a href="/console/import">${t('console:import.again')}</a></p>`;
    return sendPage(reply, ctx, t('schedule-import:title'), page);
  });
}
