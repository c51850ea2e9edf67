import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { classSessionFieldsSchema, fieldErrors, withoutBlanks } from '../../services/course-input-schema';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, postButton, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';
import { type FormErrors, type FormValues, textField } from './course-form-view';

const classSessionParams = z.object({ id: z.uuid() });

type Course = NonNullable<Awaited<ReturnType<ConsoleDeps['courses']['find']>>>;

function classSessionsPage(ctx: PageContext, course: Course, values: FormValues, errors: FormErrors) {
  const { t } = ctx;
  const base = `/console/courses/${course.code}/sessions`;
  return html`<p><a href="/console/courses/${course.code}">← ${course.code}</a></p>
${
  course.sessions.length
    ? html`<table><thead><tr><th>${t('console:classSession.startsAt')}</th><th>${t('console:classSession.endsAt')}</th><th>${t('console:course.field.venue')}</th><th></th></tr></thead><tbody>
${course.sessions.map(
  (s) =>
    html`<tr${s.cancelled ? html` class="muted"` : ''}><td>${ctx.dateTime(s.startsAt)}</td><td>${ctx.dateTime(s.endsAt)}</td><td>${s.venue}</td><td>${
      s.cancelled
        ? t('console:classSession.cancelled')
        : postButton(ctx, `${base}/${s.id}/cancel`, t('console:classSession.cancel'))
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
</form>`;
}

/** Class sessions of a course: list, add, cancel (reminders follow through the reminder scheduler). */
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
      classSessionsPage(ctx, course, {}, []),
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

  scope.post('/console/courses/:code/sessions/:id/cancel', async (request, reply) => {
    const code = courseCodeOf(request.params);
    const params = classSessionParams.safeParse(request.params);
    if (!params.success) throw notFound();
    const user = request.consoleUser!;
    const change = await courses.cancelClassSession(user.access, user.personId, code, params.data.id);
    if (change.status !== 'ok') throw notFound();
    return reply.redirect(`/console/courses/${code}/sessions`, 303);
  });
}
