import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { inLocale } from '../../core/domain';
import type { BroadcastPreview } from '../../core/outreach-ports';
import type { DeliveryReport } from '../../services/broadcast-admin-service';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, postButton, sendPage } from './console-page';
import { notFound } from './console-params';
import { noticeAcksSection } from './notice-acks-view';

const composeSchema = z.object({
  course: z.string().trim().toUpperCase().max(20),
  text: z.string().max(5000),
});
const idParams = z.object({ id: z.uuid() });
const sendSchema = z.object({
  waitlisted: z.literal('yes').optional(),
  /** Ask the recipients to confirm ("收到"), with one follow-up (issue 19, services/acks-service.ts). */
  ack: z.literal('yes').optional(),
});

type Target = Awaited<ReturnType<ConsoleDeps['coordinators']['targets']>>[number];

function composeForm(
  ctx: PageContext,
  targets: Target[],
  values: { course?: string; text?: string },
  error?: string,
  params = {},
) {
  const { t } = ctx;
  return html`${error ? html`<p class="error" role="alert">${t(`console:broadcast.error.${error}`, params)}</p>` : ''}
<form method="post" action="/console/broadcasts/preview" class="form">${csrfField(ctx)}
<label>${t('console:broadcast.course')}<select name="course">${targets.map(
    (c) =>
      html`<option value="${c.code}"${values.course === c.code ? html` selected` : ''}>${c.code} ${c.title[ctx.locale]}</option>`,
  )}</select></label>
<label>${t('console:broadcast.text')}<textarea name="text" rows="5" required>${values.text ?? ''}</textarea></label>
<button type="submit">${t('console:broadcast.preview')}</button>
</form>`;
}

function previewView(ctx: PageContext, deps: ConsoleDeps, p: BroadcastPreview) {
  const { t } = ctx;
  const rendered = (locale: 'zh-CN' | 'en') =>
    deps.translator.forLocale(locale)('coordinator:broadcast.message', {
      code: p.course.code,
      title: p.course.title[locale],
      text: p.text,
    });
  const base = `/console/broadcasts/${p.broadcastId}`;
  return html`<p>${t('console:broadcast.recipients', { confirmed: p.confirmed, waitlisted: p.waitlisted, unreachable: p.unreachable })}</p>
${p.groups ? html`<p>${t('console:broadcast.groups', { count: p.groups })}</p>` : ''}
<div class="columns"><div class="card"><h2>${t('console:broadcast.seenAs.zh')}</h2><p class="message">${rendered('zh-CN')}</p></div>
<div class="card"><h2>${t('console:broadcast.seenAs.en')}</h2><p class="message">${rendered('en')}</p></div></div>
<p class="actions">${postButton(ctx, `${base}/send`, t('console:broadcast.send', { count: p.confirmed }))}
${p.waitlisted ? postButton(ctx, `${base}/send`, t('console:broadcast.sendAll', { count: p.confirmed + p.waitlisted }), html`<input type="hidden" name="waitlisted" value="yes">`) : ''}
${deps.acks ? postButton(ctx, `${base}/send`, t('preferences:ack.sendAsk'), html`<input type="hidden" name="ack" value="yes">`) : ''}
${postButton(ctx, `${base}/discard`, t('console:broadcast.discard'))}</p>`;
}

/** Broadcast to a course: compose, preview with the recipient count, send, then watch the delivery report. */
export async function broadcastRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  scope.get('/console/broadcasts', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const rows = await deps.broadcastAdmin.list(request.consoleUser!.access);
    const body = html`<p><a class="button" href="/console/broadcasts/new">${t('console:broadcast.new')}</a></p>
${
  rows.length
    ? html`<table><thead><tr><th>${t('console:broadcast.when')}</th><th>${t('console:broadcast.course')}</th><th>${t('console:broadcast.text')}</th><th>${t('console:broadcast.author')}</th><th>${t('console:broadcast.status')}</th></tr></thead><tbody>${rows.map(
        (b) =>
          html`<tr><td><a href="/console/broadcasts/${b.id}">${ctx.dateTime(b.confirmedAt ?? b.createdAt)}</a></td><td>${b.course.code}</td><td>${b.text.slice(0, 60)}</td><td>${b.author ?? ''}</td><td>${t(`console:broadcast.state.${b.status}`)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t('console:broadcast.none')}</p>`
}`;
    return sendPage(reply, ctx, t('console:broadcast.title'), body);
  });

  scope.get('/console/broadcasts/new', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const course = z
      .object({ course: z.string().max(20).optional() })
      .catch({})
      .parse(request.query).course;
    const targets = await deps.coordinators.targets(request.consoleUser!.access, new Date());
    return sendPage(
      reply,
      ctx,
      ctx.t('console:broadcast.new'),
      composeForm(ctx, targets, { course: course?.toUpperCase() }),
    );
  });

  scope.post('/console/broadcasts/preview', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const user = request.consoleUser!;
    const values = composeSchema.safeParse(request.body);
    const targets = await deps.coordinators.targets(user.access, new Date());
    const title = ctx.t('console:broadcast.new');
    if (!values.success)
      return sendPage(reply, ctx, title, composeForm(ctx, targets, {}, 'empty'), { status: 400 });
    const draft = await deps.broadcasts.draft(
      user.personId,
      user.access,
      values.data.course,
      values.data.text,
      new Date(),
    );
    if (draft.status === 'ok')
      return sendPage(
        reply,
        ctx,
        ctx.t('console:broadcast.previewTitle'),
        previewView(ctx, deps, draft.preview),
      );
    const params = draft.status === 'too_long' ? { length: draft.length, limit: draft.limit } : {};
    return sendPage(reply, ctx, title, composeForm(ctx, targets, values.data, draft.status, params), {
      status: 400,
    });
  });

  scope.post('/console/broadcasts/:id/send', async (request, reply) => {
    const { id } = parseId(request.params);
    // Only the author's own draft is ever sent, and only while its course is still in their scope.
    if (!(await deps.broadcastAdmin.inScope(request.consoleUser!.access, id))) throw notFound();
    const body = sendSchema.safeParse(request.body);
    if (body.success && body.data.ack === 'yes') await deps.acks?.request(request.consoleUser!.personId, id);
    const outcome = await deps.broadcasts.confirm(
      request.consoleUser!.personId,
      id,
      body.success && body.data.waitlisted === 'yes',
    );
    if (outcome.status === 'gone') {
      const exists = await deps.broadcastAdmin.report(request.consoleUser!.access, id);
      if (!exists) return reply.redirect('/console/broadcasts', 303);
    }
    // Saved but not queued (Redis away or hanging): the report page says it will go out by itself.
    const later = outcome.status === 'sending' && outcome.deferred ? '?queued=later' : '';
    return reply.redirect(`/console/broadcasts/${id}${later}`, 303);
  });

  scope.post('/console/broadcasts/:id/discard', async (request, reply) => {
    const { id } = parseId(request.params);
    if (!(await deps.broadcastAdmin.inScope(request.consoleUser!.access, id))) throw notFound();
    await deps.broadcasts.discard(request.consoleUser!.personId, id);
    return reply.redirect('/console/broadcasts', 303);
  });

  scope.get('/console/broadcasts/:id', async (request, reply) => {
    const user = request.consoleUser!;
    const report = await deps.broadcastAdmin.report(user.access, parseId(request.params).id);
    if (!report) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const busy = report.pending > 0 || report.status === 'sending';
    // A daily cap (a personal WeChat account) can spread the rest over days: say until when.
    const spread = report.pending ? await deps.broadcasts.spread(report.id) : [];
    const body = html`<dl class="facts">
<dt>${t('console:broadcast.course')}</dt><dd><a href="/console/courses/${report.course.code}">${report.course.code}</a> ${inLocale(ctx.locale, report.course.title, report.course.titleEn)}</dd>
<dt>${t('console:broadcast.when')}</dt><dd>${ctx.dateTime(report.confirmedAt ?? report.createdAt)}</dd>
<dt>${t('console:broadcast.author')}</dt><dd>${report.author ?? ''}</dd>
<dt>${t('console:broadcast.status')}</dt><dd>${t(`console:broadcast.state.${report.status}`)}</dd>
</dl>
<p class="message">${report.text}</p>
<table class="report"><tbody>
<tr><th>${t('console:report.recipients')}</th><td data-k="recipients">${report.recipients}</td></tr>
<tr><th>${t('console:report.sent')}</th><td data-k="sent">${report.sent}</td></tr>
<tr><th>${t('console:report.pending')}</th><td data-k="pending">${report.pending}</td></tr>
${report.failed.map((f) => html`<tr><th>${t('console:report.failed')}: ${t(`coordinator:report.reason.${f.reason}`, { defaultValue: f.reason })}</th><td data-k="failed">${f.count}</td></tr>`)}
${report.inDoubt ? html`<tr><th>${t('console:report.inDoubt')}</th><td>${report.inDoubt}</td></tr>` : ''}
</tbody></table>
${undeliveredTable(ctx, report)}
${noticeAcksSection(ctx, await deps.acks?.report(report.id))}
${spread.map((s) => html`<p class="spread">${t('coordinator:report.spread', { channel: t(`coordinator:channel.${s.channel}`), cap: s.perDay, count: s.count, days: s.days, finish: ctx.dateTime(s.finishAt) })}</p>`)}
${busy && queuedLater(request.query) ? html`<p class="hint">${t('console:report.queuedLater')}</p>` : ''}
${busy ? html`<p class="hint">${t('console:report.refreshing')}</p>` : ''}`;
    return sendPage(reply, ctx, t('console:report.title'), body, busy ? { refreshSeconds: 3 } : {});
  });
}

/** Who the notice did not reach, by name (masked) with the reason in words: someone to phone instead. */
function undeliveredTable(ctx: PageContext, report: DeliveryReport): SafeHtml | string {
  const { t } = ctx;
  if (!report.undelivered.length) return '';
  const more = report.undeliveredTotal - report.undelivered.length;
  return html`<h2>${t('console:report.undelivered')}</h2>
<table class="undelivered cards-narrow"><thead><tr><th>${t('console:report.person')}</th><th>${t('console:roster.column.phone')}</th><th>${t('console:report.reason')}</th></tr></thead><tbody>${report.undelivered.map(
    (u) =>
      html`<tr><td>${u.name ?? t('coordinator:someone')}</td><td data-label="${t('console:roster.column.phone')}">${u.phone ?? '—'}</td><td data-label="${t('console:report.reason')}">${t(`coordinator:report.reason.${u.reason}`, { defaultValue: t('coordinator:report.reason.other') })}</td></tr>`,
  )}</tbody></table>
${more > 0 ? html`<p class="hint">${t('coordinator:report.undeliveredMore', { count: more })}</p>` : ''}`;
}

const queuedLater = (query: unknown) => (query as { queued?: unknown } | undefined)?.queued === 'later';

function parseId(params: unknown): { id: string } {
  const parsed = idParams.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data;
}
