import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { inLocale } from '../../core/domain';
import { CERTIFICATE_TYPES } from '../../core/outcomes/certificates';
import { type CourseCertificates, certificateInputSchema } from '../../services/certificates-service';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, postButton, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';
import {
  guardedImport,
  importLimits,
  isRefusal,
  problemsView,
  readOutcomeUpload,
  refusalView,
  uploadForm,
} from './results-upload';

const noticeQuery = z.object({ notice: z.enum(['recorded', 'removed']).optional() }).catch({});
const idParams = z.object({ id: z.uuid() });

function certificatesView(ctx: PageContext, found: CourseCertificates, top?: SafeHtml): SafeHtml {
  const { t } = ctx;
  const { course, trainees } = found;
  const base = `/console/courses/${course.code}/certificates`;
  const today = new Date().toISOString().slice(0, 10);
  return html`${top ?? ''}
<p><a href="/console/courses/${course.code}">← ${course.code} ${inLocale(ctx.locale, course.title, course.titleEn)}</a></p>
${
  trainees.length
    ? html`<table><thead><tr>${['name', 'outcome', 'certificates'].map((c) => html`<th>${t(`outcomes:console.certificates.column.${c}`)}</th>`)}</tr></thead><tbody>${trainees.map(
        (r) =>
          html`<tr><td>${r.name || t('outcomes:console.noName')}</td><td>${r.outcome ? t(`outcomes:outcome.${r.outcome}`) : t('outcomes:outcome.none')}</td><td>${r.certificates.map(
            (c) =>
              html`<div class="certificate">${t(`outcomes:certificateType.${c.type}`)} · <span class="mono">${c.number}</span> · ${c.issuedOn.toISOString().slice(0, 10)} ${postButton(ctx, `${base}/${c.id}/delete`, t('outcomes:console.certificates.remove'))}</div>`,
          )}</td></tr>`,
      )}</tbody></table>
<h2>${t('outcomes:console.certificates.add')}</h2>
<form method="post" action="${base}" class="form">${csrfField(ctx)}
<label>${t('outcomes:console.certificates.column.name')}<select name="enrolmentId" required>${trainees.map((r) => html`<option value="${r.enrolmentId}">${r.name || t('outcomes:console.noName')}</option>`)}</select></label>
<label>${t('outcomes:import.column.certificateType')}<select name="type" required>${CERTIFICATE_TYPES.map((c) => html`<option value="${c}">${t(`outcomes:certificateType.${c}`)}</option>`)}</select></label>
<label>${t('outcomes:import.column.certificateNumber')}<input name="number" maxlength="40" required></label>
<label>${t('outcomes:import.column.issuedOn')}<input name="issuedOn" type="date" value="${today}" required></label>
<button type="submit">${t('outcomes:console.certificates.save')}</button>
</form>
<h2>${t('outcomes:console.certificates.importTitle')}</h2>
${uploadForm(ctx, `${base}/import`, t('outcomes:console.certificates.importHelp'))}`
    : html`<p>${t('outcomes:console.complete.noTrainees')}</p>`
}`;
}

/** Issue 20, item 2: a course's certificates per trainee; recorded by form or file, removed, all audited. */
export async function certificateRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const show = async (request: FastifyRequest, reply: FastifyReply, top?: SafeHtml, status = 200) => {
    const user = request.consoleUser!;
    const found = await deps.certificates.forCourse(user.access, courseCodeOf(request.params));
    if (!found) throw notFound();
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      `${ctx.t('outcomes:console.certificates.title')} · ${found.course.code}`,
      certificatesView(ctx, found, top),
      { status },
    );
  };
  const notice = (ctx: PageContext, key: string, kind: 'notice' | 'error' = 'notice') =>
    html`<p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${ctx.t(key)}</p>`;

  scope.get('/console/courses/:code/certificates', async (request, reply) => {
    const { notice: n } = noticeQuery.parse(request.query);
    const ctx = pageContext(request, reply, deps);
    return show(request, reply, n ? notice(ctx, `outcomes:console.certificates.notice.${n}`) : undefined);
  });

  scope.post('/console/courses/:code/certificates', async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const ctx = pageContext(request, reply, deps);
    const input = certificateInputSchema.safeParse(request.body ?? {});
    if (!input.success)
      return show(request, reply, notice(ctx, 'outcomes:console.certificates.invalid', 'error'), 400);
    const outcome = await deps.certificates.record(user.access, user.personId, code, input.data);
    if (!outcome) throw notFound();
    if (outcome !== 'ok')
      return show(request, reply, notice(ctx, `outcomes:console.certificates.${outcome}`, 'error'), 409);
    return reply.redirect(`/console/courses/${code}/certificates?notice=recorded`, 303);
  });

  scope.post('/console/courses/:code/certificates/:id/delete', async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const params = idParams.safeParse(request.params);
    if (!params.success) throw notFound();
    if (!(await deps.certificates.remove(user.access, user.personId, code, params.data.id))) throw notFound();
    return reply.redirect(`/console/courses/${code}/certificates?notice=removed`, 303);
  });

  scope.post('/console/courses/:code/certificates/import', async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const ctx = pageContext(request, reply, deps);
    const upload = await readOutcomeUpload(request, deps);
    if (isRefusal(upload)) return show(request, reply, refusalView(ctx, upload), upload.status);
    const report = await guardedImport(deps, () =>
      deps.certificates.import(user.access, user.personId, code, upload, importLimits(deps)),
    );
    if (isRefusal(report)) return show(request, reply, refusalView(ctx, report), report.status);
    if (!report) throw notFound();
    const top = html`<p class="notice" role="status">${ctx.t('outcomes:console.certificates.imported', { rows: report.rows, recorded: report.recorded, problems: report.problems.length })}</p>${problemsView(ctx, report.problems, report.missingColumns)}`;
    return show(request, reply, top);
  });
}
