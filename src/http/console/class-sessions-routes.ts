import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { classSessionFieldsSchema, fieldErrors, withoutBlanks } from '../../services/course-input-schema';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, postButton, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';
import { type FormErrors, type FormValues, textField } from './course-form-view';

type Course = NonNullable<Awaited<ReturnType<ConsoleDeps['courses']['find']>>>;

function classSessionsPage(
  ctx: PageContext,
  course: Course,
  values: FormValues,
  errors: FormErrors,
  flash: SafeHtml | string = '',
) {
  const { t } = ctx;
  const base = `/console/courses/${course.code}/sessions`;
  return html`<p><a href="/console/courses/${course.code}">← ${course.code}</a></p>
${flash}
${
  course.sessions.length
    ? html`<table><thead><tr><th>${t('console:classSession.startsAt')}</th><th>${t('console:classSession.endsAt')}</th><th>${t('console:course.field.venue')}</th><th></th></tr></thead><tbody>
${course.sessions.map(
  (s) =>
    html`<tr${s.cancelled ? html` class="muted"` : ''}><td>${ctx.dateTime(s.startsAt)}</td><td>${ctx.dateTime(s.endsAt)}</td><td>${s.venue}</td><td>${
      s.cancelled
        ? t('console:classSession.cancelled')
        : // Both lead to a preview of who is told and what they get (class-session-changes-routes.ts).
          html`<a href="${base}/${s.id}/edit">${t('schedule:console.edit')}</a> ${postButton(ctx, `${base}/${s.id}/cancel`, t('console:classSession.cancel'))}`
    }</td></tr>`,
)}</tbody></table>`
    : html`<p>${t('console:classSession.none')}</p>`
}
<h2>${t('console:classSession.add')}</h2>
<form method="post" action="${base}" class="form">${csrfField(ctx)}
${textField(ctx, values, errors, 'startsAt', { type: 'datetime-local', required: true, label: t('console:classSession.startsAt') })}
${textField(ctx, values, errors, 'endsAt', { type: 'datetime-local', required: true, label: t('console:classSession.endsAt') })}
${textField(ctx, values, errors, 'venue', { label: t('console:course.field.venue') })}
<button type="submit">${t('console:classSession.add')}</button>
</form>
${course.status === 'cancelled' ? '' : html`<p>${postButton(ctx, `/console/courses/${course.code}/cancel`, t('schedule:console.cancelCourse'))}</p>`}`;
}

const changeQuery = z.object({
  notified: z.coerce.number().int().min(0).optional(),
  unreachable: z.coerce.number().int().min(0).optional(),
  unchanged: z.literal('1').optional(),
});

/** What the last confirmed schedule change did (class-session-changes-routes.ts redirects here with it). */
function changeFlash(ctx: PageContext, query: unknown): SafeHtml | string {
  const q = changeQuery.safeParse(query);
  if (!q.success) return '';
  if (q.data.unchanged)
    return html`<p class="flash" data-k="changed">${ctx.t('schedule:console.unchanged')}</p>`;
  if (q.data.notified === undefined) return '';
  return html`<p class="flash" data-k="changed">${ctx.t('schedule:console.done', { notified: q.data.notified })}${
    q.data.unreachable ? ` ${ctx.t('schedule:console.doneUnreachable', { count: q.data.unreachable })}` : ''
  }</p>`;
}

/** Class sessions of a course: list, add (reminders follow through the reminder scheduler). */
export async function classSessionRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const { courses } = deps;

  scope.get('/console/courses/:code/sessions', async (request, reply) => {
    const course = await courses.find(request.consoleUser!.access, courseCodeOf(request.params));
    if (!course) throw notFound();
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      `${ctx.t('console:classSession.title')} · ${course.code}`,
      classSessionsPage(ctx, course, {}, [], changeFlash(ctx, request.query)),
    );
  });

  scope.post('/console/courses/:code/sessions', async (request, reply) => {
    const code = courseCodeOf(request.params);
    const user = request.consoleUser!;
    const values = withoutBlanks(request.body as Record<string, unknown>);
    const parsed = classSessionFieldsSchema(deps.config.TIMEZONE).safeParse(values);
    if (parsed.success) {
      const change = await courses.addClassSession(user.access, user.personId, code, parsed.data);
      if (change.status !== 'ok') throw notFound();
      return reply.redirect(`/console/courses/${code}/sessions`, 303);
    }
    const course = await courses.find(user.access, code);
    if (!course) throw notFound();
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      `${ctx.t('console:classSession.title')} · ${course.code}`,
      classSessionsPage(ctx, course, values, fieldErrors(parsed.error)),
      {
        status: 400,
      },
    );
  });

  // Cancelling a class (with a preview and a confirmation) and changing its time or place:
  // class-session-changes-routes.ts (issue 19).
}
