import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { type DeletionPreview, deletionRequestSchema } from '../../services/person-deletion-service';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';
import { courseCodeOf, enrolmentIdOf, notFound } from './console-params';
import { errorFor, type FormErrors, type FormValues } from './course-form-view';

const METHODS = ['in_person', 'phone', 'written'] as const;

/** The roster again, with a sentence saying what happened (see roster-routes.ts). */
const rosterWith = (code: string, notice: 'deleted' | 'alreadyDeleted') =>
  `/console/courses/${code}/roster?notice=${notice}`;

function formErrors(error: z.ZodError): FormErrors {
  return error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    return { field, key: field === 'requested' ? 'deletion_request' : 'choice' };
  });
}

/** What is deleted, that only the person may ask for it, and the form that does it. */
function confirmPage(
  ctx: PageContext,
  action: string,
  p: DeletionPreview,
  values: FormValues,
  errors: FormErrors,
) {
  const { t } = ctx;
  const roster = `/console/courses/${p.courseCode}/roster`;
  const back = html`<p><a href="${roster}">← ${t('console:roster.title')}</a></p>`;
  if (p.staff) return html`${back}<p class="error" role="alert">${t('console:personDelete.staff')}</p>`;
  return html`${back}
<dl class="facts">
<dt>${t('console:roster.column.name')}</dt><dd>${p.name}</dd>
<dt>${t('console:personDelete.phoneMasked')}</dt><dd class="mono">${p.phone}</dd>
<dt>${t('console:roster.column.idNumber')}</dt><dd class="mono">${p.idNumber}</dd>
</dl>
${p.inScope ? html`<p>${t('console:personDelete.what', { count: p.activeSignUps })}</p>` : html`<p class="error" role="note">${t('scope:referredDelete')}</p>`}
<p class="error" role="note">${t('console:personDelete.onlyOnRequest')}</p>
<form method="post" action="${action}" class="form">${csrfField(ctx)}
${errors.length ? html`<p class="error" role="alert">${t('console:form.fix')}</p>` : ''}
<fieldset><legend>${t('console:personDelete.requestTitle')}</legend>
<p>${t('console:personDelete.methodLabel')}</p>${METHODS.map(
    (m) =>
      html`<label class="radio"><input type="radio" name="method" value="${m}"${values['method'] === m ? html` checked` : ''}> ${t(`console:enrol.method.${m}`)}</label>`,
  )}${errorFor(ctx, errors, 'method')}
<label class="radio"><input type="checkbox" name="requested" value="yes"> ${t('console:personDelete.requestText')}</label>
${errorFor(ctx, errors, 'requested')}
</fieldset>
<button type="submit">${t(p.inScope ? 'console:personDelete.submit' : 'scope:referDeleteSubmit')}</button>
<a class="button" href="${roster}">${t('console:personDelete.keep')}</a>
</form>`;
}

/**
 * PIPL deletion at a person's request made to a coordinator: a confirmation page, then the same deletion as
 * in chat. Only for someone on the roster of a course in the coordinator's scope, and wholly in it (their
 * county and every course they signed up for): otherwise the request is referred to staff. A second submit
 * is told so.
 */
export async function personDeleteRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const path = '/console/courses/:code/roster/:enrolment/delete';

  scope.get(path, async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const preview = await deps.personDeletion.preview(user.access, code, enrolmentIdOf(request.params));
    if (!preview) throw notFound();
    if (preview.deleted) return reply.redirect(rosterWith(preview.courseCode, 'alreadyDeleted'), 303);
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      ctx.t('console:personDelete.title'),
      confirmPage(ctx, request.url.split('?')[0]!, preview, {}, []),
    );
  });

  scope.post(path, async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const enrolmentId = enrolmentIdOf(request.params);
    const values = (request.body ?? {}) as FormValues;
    const parsed = deletionRequestSchema.safeParse({
      requested: values['requested'],
      method: values['method'],
    });
    if (!parsed.success) {
      const preview = await deps.personDeletion.preview(user.access, code, enrolmentId);
      if (!preview) throw notFound();
      if (preview.deleted) return reply.redirect(rosterWith(preview.courseCode, 'alreadyDeleted'), 303);
      const ctx = pageContext(request, reply, deps);
      const kept = { method: typeof values['method'] === 'string' ? values['method'] : undefined };
      return sendPage(
        reply,
        ctx,
        ctx.t('console:personDelete.title'),
        confirmPage(ctx, request.url.split('?')[0]!, preview, kept, formErrors(parsed.error)),
        { status: 400 },
      );
    }
    const outcome = await deps.personDeletion.delete(
      user.access,
      user.personId,
      code,
      enrolmentId,
      parsed.data,
    );
    if (outcome.status === 'not_found') throw notFound();
    if (outcome.status === 'refused') {
      const ctx = pageContext(request, reply, deps);
      return sendPage(
        reply,
        ctx,
        ctx.t('console:personDelete.title'),
        html`<p class="error" role="alert">${ctx.t('console:personDelete.staff')}</p><p><a href="/console/courses/${code}/roster">← ${ctx.t('console:roster.title')}</a></p>`,
        { status: 409 },
      );
    }
    if (outcome.status === 'referred') {
      const ctx = pageContext(request, reply, deps);
      return sendPage(
        reply,
        ctx,
        ctx.t('console:personDelete.title'),
        html`<p class="notice" role="status">${ctx.t('scope:referredDeleteDone')}</p><p><a href="/console/courses/${code}/roster">← ${ctx.t('console:roster.title')}</a></p>`,
        { status: 202 },
      );
    }
    return reply.redirect(rosterWith(code, outcome.status === 'deleted' ? 'deleted' : 'alreadyDeleted'), 303);
  });
}
