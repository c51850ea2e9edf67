import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CONTACT_ROUTES, type ContactRoute } from '../../core/dialog/flows/contact-route/contact-route-port';
import type { ContactRouteView } from '../../services/contact-route-console-service';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';
import { courseCodeOf, enrolmentIdOf, notFound } from './console-params';

const formSchema = z.object({ route: z.enum([...CONTACT_ROUTES, 'default']) });
const pageQuery = z.object({ done: z.enum(['saved', 'cleared']).optional() }).catch({});

/** A route as staff read it: "短信（138****5678）", "聊天消息（Telegram）", "微信服务号". */
function routeLabel(ctx: PageContext, view: ContactRouteView, route: ContactRoute): string {
  const { t } = ctx;
  const state = view.options.routes[route];
  if (route === 'sms')
    return view.phone ? t('contact-route:route.smsTo', { phone: view.phone }) : t('contact-route:route.sms');
  if (route === 'chat')
    return state.ok
      ? t('contact-route:route.chatOn', {
          channel: t(`preferences:channel.${state.channel}`, { defaultValue: state.channel }),
        })
      : t('contact-route:route.chat');
  return t('contact-route:route.wechat_oa');
}

function page(
  ctx: PageContext,
  action: string,
  view: ContactRouteView,
  message?: { error?: string; done?: string },
) {
  const { t } = ctx;
  const roster = `/console/courses/${view.courseCode}/roster`;
  const back = html`<p><a href="${roster}">← ${t('contact-route:console.back')}</a></p>`;
  if (view.deleted)
    return html`${back}<p class="notice" role="status">${t('contact-route:console.deleted')}</p>`;
  const current = view.options.current;
  const editable = view.inScope;
  return html`${back}
${message?.done ? html`<p class="notice" role="status">${message.done}</p>` : ''}
${message?.error ? html`<p class="error" role="alert">${message.error}</p>` : ''}
<dl class="facts">
<dt>${t('console:roster.column.name')}</dt><dd>${view.name}</dd>
<dt>${t('contact-route:console.current')}</dt><dd class="current-route">${current ? routeLabel(ctx, view, current) : t('contact-route:console.none')}</dd>
</dl>
<p>${t('contact-route:console.intro')}</p>
<table class="routes"><tbody>${CONTACT_ROUTES.map((r) => {
    const state = view.options.routes[r];
    return html`<tr><td>${routeLabel(ctx, view, r)}</td><td>${state.ok ? t('contact-route:console.possible') : t('contact-route:console.notPossible', { reason: t(`contact-route:console.reason.${state.reason}`) })}</td></tr>`;
  })}</tbody></table>
${
  editable
    ? html`<form method="post" action="${action}" class="form">${csrfField(ctx)}
<fieldset><legend>${t('contact-route:console.title')}</legend>
${CONTACT_ROUTES.filter((r) => view.options.routes[r].ok).map(
  (r) =>
    html`<label class="radio"><input type="radio" name="route" value="${r}"${current === r ? html` checked` : ''}> ${routeLabel(ctx, view, r)}</label>`,
)}
<label class="radio"><input type="radio" name="route" value="default"${current ? '' : html` checked`}> ${t('contact-route:console.default')}</label>
</fieldset>
<button type="submit">${t('contact-route:console.submit')}</button>
</form>`
    : html`<p class="error" role="note">${t('contact-route:console.outOfScope')}</p>`
}`;
}

/**
 * A person's contact preference from a course roster (issue 19, item 3): the routes a message could take to
 * them, which one is tried first, and a form to change it (audited). Only for someone on the roster of a course
 * in the account's scope; changing it needs the person wholly in scope.
 */
export async function contactRouteRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const path = '/console/courses/:code/roster/:enrolment/contact';
  const service = deps.contactRoutes;

  scope.get(path, async (request, reply) => {
    const user = request.consoleUser!;
    const view = await service.view(user.access, courseCodeOf(request.params), enrolmentIdOf(request.params));
    if (!view) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { done } = pageQuery.parse(request.query);
    const current = view.options.current;
    const message = done
      ? {
          done:
            done === 'saved' && current
              ? ctx.t('contact-route:console.saved', { route: routeLabel(ctx, view, current) })
              : ctx.t('contact-route:console.cleared'),
        }
      : undefined;
    return sendPage(
      reply,
      ctx,
      `${ctx.t('contact-route:console.title')} · ${view.name}`,
      page(ctx, request.url.split('?')[0]!, view, message),
    );
  });

  scope.post(path, async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const enrolmentId = enrolmentIdOf(request.params);
    const parsed = formSchema.safeParse(request.body ?? {});
    const route = parsed.success && parsed.data.route !== 'default' ? parsed.data.route : null;
    const outcome = parsed.success
      ? await service.set(user.access, user.personId, code, enrolmentId, route)
      : undefined;
    if (outcome?.status === 'not_found') throw notFound();
    const base = request.url.split('?')[0]!;
    if (outcome?.status === 'saved')
      return reply.redirect(`${base}?done=${route ? 'saved' : 'cleared'}`, 303);
    // Deleted meanwhile: the page says so.
    if (outcome?.status === 'deleted') return reply.redirect(base, 303);
    const view = await service.view(user.access, code, enrolmentId);
    if (!view) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const error =
      outcome === undefined
        ? ctx.t('contact-route:console.choice')
        : outcome.status === 'not_possible'
          ? ctx.t('contact-route:console.refused', {
              reason: ctx.t(`contact-route:console.reason.${outcome.reason}`),
            })
          : ctx.t('contact-route:console.outOfScope');
    const status = outcome?.status === 'out_of_scope' ? 403 : 400;
    return sendPage(
      reply,
      ctx,
      `${ctx.t('contact-route:console.title')} · ${view.name}`,
      page(ctx, base, view, { error }),
      { status },
    );
  });
}
