import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { inLocale } from '../../core/domain';
import { classSessionFieldsSchema, fieldErrors, withoutBlanks } from '../../services/course-input-schema';
import type { SchedulePreview, SessionEdit } from '../../services/schedule-change-service';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';
import { type FormErrors, type FormValues, textField } from './course-form-view';

const sessionParams = z.object({ id: z.uuid() });
/** The preview's "confirm" button sends confirm=1; anything else only previews. */
const confirmed = (body: unknown) => z.object({ confirm: z.literal('1') }).safeParse(body).success;

/** Local "2026-12-20T09:00" for a datetime-local field. */
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

function previewBody(
  ctx: PageContext,
  p: SchedulePreview,
  action: string,
  hidden: Record<string, string>,
  confirmLabel: string,
  back: string,
): SafeHtml {
  const { t } = ctx;
  const title = inLocale(ctx.locale, p.course.title, p.course.titleEn);
  const place = (s: { startsAt: Date; venue: string }) => html`${ctx.dateTime(s.startsAt)} · ${s.venue}`;
  return html`<p><a href="${back}">← ${p.course.code} ${title}</a></p>
${p.kind === 'course_cancelled' ? html`<p>${t('schedule:console.cancelCourseNote')}</p>` : ''}
<dl class="preview">
${p.session ? html`<dt>${t('schedule:console.before')}</dt><dd data-k="before">${place(p.session)}</dd>` : ''}
${p.after ? html`<dt>${t('schedule:console.after')}</dt><dd data-k="after">${place(p.after)}</dd>` : ''}
</dl>
<p data-k="notify">${
    p.kind === 'moved'
      ? t('schedule:console.notifyMove', { confirmed: p.confirmed })
      : t('schedule:console.notifyCancel', { confirmed: p.confirmed, waitlisted: p.waitlisted })
  }</p>
<p>${t('schedule:console.message')}</p>
<p class="message" data-k="sample">${p.sample}</p>
<form method="post" action="${action}" class="form">${csrfField(ctx)}
${Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<input type="hidden" name="confirm" value="1">
<button type="submit">${confirmLabel}</button> <a href="${back}">${t('schedule:console.back')}</a>
</form>`;
}

/**
 * Issue 19, item 6, in the console: a class session's time or place is changed, a session or the whole course
 * cancelled, each after a preview of who is told and what they get; confirming re-plans the reminders and
 * tells them through the outbound queue (services/schedule-change-service.ts).
 */
export async function classSessionChangeRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const changes = () => {
    if (!deps.scheduleChanges) throw notFound();
    return deps.scheduleChanges;
  };
  const sessionsUrl = (code: string) => `/console/courses/${code}/sessions`;

  async function editPage(
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues | undefined,
    errors: FormErrors,
  ) {
    const code = courseCodeOf(request.params);
    const params = sessionParams.safeParse(request.params);
    if (!params.success) throw notFound();
    const course = await deps.courses.find(request.consoleUser!.access, code);
    const session = course?.sessions.find((s) => s.id === params.data.id && !s.cancelled);
    if (!course || !session) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const zone = deps.config.TIMEZONE;
    const shown = values ?? {
      startsAt: local(session.startsAt, zone),
      endsAt: local(session.endsAt, zone),
      venue: session.venue,
    };
    const body = html`<p><a href="${sessionsUrl(course.code)}">← ${course.code}</a></p>
<form method="post" action="${sessionsUrl(course.code)}/${session.id}/edit" class="form">${csrfField(ctx)}
${textField(ctx, shown, errors, 'startsAt', { type: 'datetime-local', required: true, label: ctx.t('console:classSession.startsAt') })}
${textField(ctx, shown, errors, 'endsAt', { type: 'datetime-local', required: true, label: ctx.t('console:classSession.endsAt') })}
${textField(ctx, shown, errors, 'venue', { label: ctx.t('console:course.field.venue') })}
<button type="submit">${ctx.t('schedule:console.edit')}</button>
</form>`;
    return sendPage(reply, ctx, `${ctx.t('schedule:console.editTitle')} · ${course.code}`, body, {
      status: errors.length ? 400 : 200,
    });
  }

  /** After a confirmed change: back to the sessions with how many were told. */
  const done = (
    reply: FastifyReply,
    code: string,
    outcome: Awaited<ReturnType<ReturnType<typeof changes>['applySession']>>,
  ) => {
    if (outcome.status === 'not_found') throw notFound();
    const query =
      outcome.status === 'ok'
        ? `notified=${outcome.notified}&unreachable=${outcome.unreachable}`
        : 'unchanged=1';
    return reply.redirect(`${sessionsUrl(code)}?${query}`, 303);
  };

  scope.get('/console/courses/:code/sessions/:id/edit', (request, reply) =>
    editPage(request, reply, undefined, []),
  );

  scope.post('/console/courses/:code/sessions/:id/edit', async (request, reply) => {
    const code = courseCodeOf(request.params);
    const params = sessionParams.safeParse(request.params);
    if (!params.success) throw notFound();
    const user = request.consoleUser!;
    const raw = withoutBlanks(request.body as Record<string, unknown>);
    const parsed = classSessionFieldsSchema(deps.config.TIMEZONE).safeParse(raw);
    if (!parsed.success) return editPage(request, reply, raw as FormValues, fieldErrors(parsed.error));
    const edit: SessionEdit = { kind: 'move', ...parsed.data };
    if (confirmed(request.body))
      return done(
        reply,
        code,
        await changes().applySession(user.access, user.personId, code, params.data.id, edit, 'console'),
      );
    const ctx = pageContext(request, reply, deps);
    const preview = await changes().preview(user.access, code, params.data.id, edit, ctx.locale);
    if (!preview) throw notFound();
    const hidden = {
      startsAt: String(raw['startsAt'] ?? ''),
      endsAt: String(raw['endsAt'] ?? ''),
      venue: String(raw['venue'] ?? ''),
    };
    const body = previewBody(
      ctx,
      preview,
      `${sessionsUrl(preview.course.code)}/${params.data.id}/edit`,
      hidden,
      ctx.t('schedule:console.confirmMove'),
      sessionsUrl(preview.course.code),
    );
    return sendPage(reply, ctx, ctx.t('schedule:console.previewTitle'), body);
  });

  scope.post('/console/courses/:code/sessions/:id/cancel', async (request, reply) => {
    const code = courseCodeOf(request.params);
    const params = sessionParams.safeParse(request.params);
    if (!params.success) throw notFound();
    const user = request.consoleUser!;
    if (confirmed(request.body))
      return done(
        reply,
        code,
        await changes().applySession(
          user.access,
          user.personId,
          code,
          params.data.id,
          { kind: 'cancel' },
          'console',
        ),
      );
    const ctx = pageContext(request, reply, deps);
    const preview = await changes().preview(
      user.access,
      code,
      params.data.id,
      { kind: 'cancel' },
      ctx.locale,
    );
    if (!preview) throw notFound();
    const body = previewBody(
      ctx,
      preview,
      `${sessionsUrl(preview.course.code)}/${params.data.id}/cancel`,
      {},
      ctx.t('schedule:console.confirmCancel'),
      sessionsUrl(preview.course.code),
    );
    return sendPage(reply, ctx, ctx.t('schedule:console.previewTitle'), body);
  });

  scope.post('/console/courses/:code/cancel', async (request, reply) => {
    const code = courseCodeOf(request.params);
    const user = request.consoleUser!;
    if (confirmed(request.body)) {
      const outcome = await changes().cancelCourse(user.access, user.personId, code, 'console');
      return done(reply, code, outcome);
    }
    const ctx = pageContext(request, reply, deps);
    const preview = await changes().preview(
      user.access,
      code,
      undefined,
      { kind: 'cancel_course' },
      ctx.locale,
    );
    if (!preview) throw notFound();
    const body = previewBody(
      ctx,
      preview,
      `/console/courses/${preview.course.code}/cancel`,
      {},
      ctx.t('schedule:console.confirmCancelCourse'),
      sessionsUrl(preview.course.code),
    );
    return sendPage(reply, ctx, ctx.t('schedule:console.cancelCourseTitle'), body);
  });
}
