import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type FollowUpView, OUTCOMES, resolveSchema } from '../../services/follow-ups-service';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, postButton, sendPage } from './console-page';
import { notFound } from './console-params';

declare module 'fastify' {
  interface FastifyRequest {
    /** Open follow-ups the signed-in user may see, for the navigation (set on page requests). */
    openFollowUps?: number;
  }
}

const DONE = ['resolved', 'confirmed', 'waitlisted', 'already'] as const;
const doneQuery = z.object({ done: z.enum(DONE).optional(), code: z.string().max(40).optional() }).catch({});
const idParams = z.object({ id: z.uuid() });

function followUpIdOf(params: unknown): string {
  const parsed = idParams.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.id;
}

function resolveForm(ctx: PageContext, item: FollowUpView) {
  const { t } = ctx;
  return html`<form method="post" action="/console/follow-ups/${item.id}/resolve" class="form compact">${csrfField(ctx)}
<label>${t('followups:outcomeLabel')}<select name="outcome" required>${OUTCOMES[item.kind].map(
    (o) => html`<option value="${o}">${t(`followups:outcome.${o}`)}</option>`,
  )}</select></label>
<label>${t('followups:noteLabel')}<input name="note" maxlength="500" autocomplete="off"></label>
<button type="submit">${t('followups:resolve')}</button></form>`;
}

function itemRow(ctx: PageContext, item: FollowUpView) {
  const { t } = ctx;
  const enrol = item.canEnrol
    ? postButton(
        ctx,
        `/console/follow-ups/${item.id}/enrol`,
        t('followups:enrol', { code: item.course?.code }),
      )
    : '';
  const hint =
    item.kind === 'delete_referral' && item.course
      ? html`<p class="hint">${t('followups:deleteHint')}</p>`
      : '';
  return html`<tr><td>${t(`followups:kind.${item.kind}`)}</td><td>${ctx.dateTime(item.raisedAt)}</td>
<td>${item.raisedBy ?? t('followups:chatSignUp')}</td>
<td>${item.course ? html`<span class="mono">${item.course.code}</span> ${item.course.title}` : ''}</td>
<td>${item.person.name}<br><span class="mono">${item.person.phone}</span><br><span class="mono">${item.person.idNumber}</span></td>
<td>${enrol}${hint}${resolveForm(ctx, item)}</td></tr>`;
}

/**
 * Follow-ups: referrals (a coordinator's request about someone outside their scope) and ID clashes from the
 * chat sign-up, open until staff who may see the person resolve them. Others get 404, as for any object.
 */
export async function followUpRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  scope.get('/console/follow-ups', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const { done, code } = doneQuery.parse(request.query);
    const items = await deps.followUps.list(request.consoleUser!.access);
    const notice = done
      ? html`<p class="notice" role="status">${t(`followups:done.${done}`, { code: code ?? '' })}</p>`
      : '';
    const body = html`${notice}<p class="hint">${t('followups:intro')}</p>
${
  items.length
    ? html`<table><thead><tr><th>${t('followups:column.kind')}</th><th>${t('followups:column.raisedAt')}</th><th>${t('followups:column.raisedBy')}</th><th>${t('followups:column.course')}</th><th>${t('followups:column.person')}</th><th>${t('followups:column.action')}</th></tr></thead><tbody>${items.map(
        (item) => itemRow(ctx, item),
      )}</tbody></table>`
    : html`<p>${t('followups:empty')}</p>`
}`;
    return sendPage(reply, ctx, t('followups:title'), body);
  });

  scope.post('/console/follow-ups/:id/resolve', async (request, reply) => {
    const user = request.consoleUser!;
    const id = followUpIdOf(request.params);
    const parsed = resolveSchema.safeParse(request.body ?? {});
    const result = parsed.success
      ? await deps.followUps.resolve(user.access, user.personId, id, parsed.data)
      : 'invalid';
    if (result === 'not_found') throw notFound();
    if (result === 'invalid') {
      const ctx = pageContext(request, reply, deps);
      return sendPage(
        reply,
        ctx,
        ctx.t('followups:title'),
        html`<p class="error" role="alert">${ctx.t('followups:invalid')}</p><p><a href="/console/follow-ups">${ctx.t('followups:back')}</a></p>`,
        { status: 400 },
      );
    }
    return reply.redirect('/console/follow-ups?done=resolved', 303);
  });

  scope.post('/console/follow-ups/:id/enrol', async (request, reply) => {
    const user = request.consoleUser!;
    const result = await deps.followUps.enrol(user.access, user.personId, followUpIdOf(request.params));
    if (result.status === 'not_found' || result.status === 'not_allowed') throw notFound();
    const { outcome } = result;
    if (result.status === 'enrolled') {
      const done = outcome.status as (typeof DONE)[number];
      return reply.redirect(
        `/console/follow-ups?done=${done}&code=${encodeURIComponent(outcome.course)}`,
        303,
      );
    }
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      ctx.t('followups:title'),
      html`<p class="error" role="alert">${ctx.t(`console:enrol.outcome.${outcome.status}`, { code: outcome.course })}</p><p><a href="/console/follow-ups">${ctx.t('followups:back')}</a></p>`,
      { status: 409 },
    );
  });
}
