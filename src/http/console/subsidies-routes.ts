import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { inLocale } from '../../core/domain';
import { documentLabel, SUBSIDY_STATUSES, subsidyStatusSchema } from '../../core/outcomes/subsidies';
import type { ClaimRow } from '../../services/subsidy-claims-service';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';
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

const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** The bulk form: which sign-ups, the new status, and (optionally) the missing documents and the amount. */
const changeForm = z.object({
  enrolment: many.pipe(z.array(z.uuid()).min(1).max(2_000)),
  status: subsidyStatusSchema,
  doc: many.pipe(z.array(z.string().max(60)).max(30)),
  otherDocs: z.string().max(300).optional().default(''),
  setDocs: z.literal('yes').optional(),
  amountYuan: z
    .union([z.literal(''), z.coerce.number().int().min(0).max(100_000)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? undefined : v)),
});

const pageQuery = z
  .object({
    notice: z.enum(['changed', 'invalid']).optional(),
    count: z.coerce.number().int().optional(),
    status: subsidyStatusSchema.optional(),
  })
  .catch({});

function claimsView(
  ctx: PageContext,
  deps: ConsoleDeps,
  course: { code: string; title: string; titleEn: string | null },
  rows: ClaimRow[],
  filter: string | undefined,
  top?: SafeHtml,
): SafeHtml {
  const { t, locale } = ctx;
  const docs = deps.subsidyClaims.documents;
  const base = `/console/courses/${course.code}/subsidies`;
  const label = (d: string) => documentLabel(docs, d)[locale];
  const sep = t('outcomes:listSeparator');
  const shown = filter ? rows.filter((r) => r.status === filter) : rows;
  const allDocs = [...new Set(rows.flatMap((r) => r.needed))];
  const counts = SUBSIDY_STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length] as const);
  return html`${top ?? ''}
<p><a href="/console/courses/${course.code}">← ${course.code} ${inLocale(locale, course.title, course.titleEn)}</a></p>
<p class="filters"><a href="${base}"${filter ? '' : html` aria-current="page"`}>${t('outcomes:console.subsidies.all', { count: rows.length })}</a> ${counts.map(
    ([s, n]) =>
      html`<a href="${base}?status=${s}"${filter === s ? html` aria-current="page"` : ''}>${t(`outcomes:subsidy.status.${s}`)} (${n})</a> `,
  )}</p>
${
  shown.length
    ? html`<form method="post" action="${base}" class="form">${csrfField(ctx)}
<table><thead><tr><th></th>${['name', 'group', 'status', 'missing', 'needed', 'amount', 'updatedAt'].map((c) => html`<th>${t(`outcomes:console.subsidies.column.${c}`)}</th>`)}</tr></thead><tbody>${shown.map(
        (r) =>
          html`<tr data-enrolment="${r.enrolmentId}"><td><input type="checkbox" name="enrolment" value="${r.enrolmentId}" aria-label="${r.name}"></td><td>${r.name || t('outcomes:console.noName')}</td><td>${r.group ? t(`domain:group.${r.group}`) : '—'}</td><td class="status">${t(`outcomes:subsidy.status.${r.status}`)}</td><td>${r.missingDocs.map(label).join(sep)}</td><td class="small">${r.needed.map(label).join(sep)}</td><td>${r.amountYuan ?? ''}</td><td>${ctx.dateTime(r.updatedAt)}</td></tr>`,
      )}</tbody></table>
<fieldset><legend>${t('outcomes:console.subsidies.change')}</legend>
<label>${t('outcomes:console.subsidies.column.status')}<select name="status">${SUBSIDY_STATUSES.map((s) => html`<option value="${s}">${t(`outcomes:subsidy.status.${s}`)}</option>`)}</select></label>
<label><input type="checkbox" name="setDocs" value="yes"> ${t('outcomes:console.subsidies.setDocs')}</label>
${allDocs.map((d) => html`<label class="inline"><input type="checkbox" name="doc" value="${d}"> ${label(d)}</label>`)}
<label>${t('outcomes:console.subsidies.otherDocs')}<input name="otherDocs" maxlength="300"></label>
<label>${t('outcomes:console.subsidies.column.amount')}<input name="amountYuan" type="number" min="0" max="100000"></label>
<p class="hint">${t('outcomes:console.subsidies.changeHint')}</p>
<button type="submit">${t('outcomes:console.subsidies.apply')}</button>
</fieldset>
</form>`
    : html`<p>${t('outcomes:console.subsidies.none')}</p>`
}
<h2>${t('outcomes:console.subsidies.importTitle')}</h2>
${uploadForm(ctx, `${base}/import`, t('outcomes:console.subsidies.importHelp'))}`;
}

/** Issue 20, item 5: a course's subsidy claims, changed in bulk or from a file; each change audited and told. */
export async function subsidyRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { top?: SafeHtml; status?: number; filter?: string } = {},
  ) => {
    const user = request.consoleUser!;
    const found = await deps.subsidyClaims.forCourse(user.access, courseCodeOf(request.params));
    if (!found) throw notFound();
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      `${ctx.t('outcomes:console.subsidies.title')} · ${found.course.code}`,
      claimsView(ctx, deps, found.course, found.rows, options.filter, options.top),
      { status: options.status ?? 200 },
    );
  };

  scope.get('/console/courses/:code/subsidies', async (request, reply) => {
    const { notice, count, status } = pageQuery.parse(request.query);
    const { t } = pageContext(request, reply, deps);
    const top = notice
      ? html`<p class="${notice === 'invalid' ? 'error' : 'notice'}" role="status">${t(`outcomes:console.subsidies.notice.${notice}`, { count: count ?? 0 })}</p>`
      : undefined;
    return show(request, reply, { top, filter: status });
  });

  scope.post('/console/courses/:code/subsidies', async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const form = changeForm.safeParse(request.body ?? {});
    if (!form.success) return reply.redirect(`/console/courses/${code}/subsidies?notice=invalid`, 303);
    const { enrolment, status, doc, otherDocs, setDocs, amountYuan } = form.data;
    const typed = otherDocs
      .split(/[、,，;；\n]+/)
      .map((d) => d.trim().slice(0, 60))
      .filter(Boolean);
    const missingDocs = setDocs || doc.length || typed.length ? [...doc, ...typed].slice(0, 12) : undefined;
    const result = await deps.subsidyClaims.change(user.access, user.personId, code, enrolment, {
      status,
      missingDocs,
      ...(amountYuan !== undefined ? { amountYuan } : {}),
    });
    if (!result) throw notFound();
    return reply.redirect(`/console/courses/${code}/subsidies?notice=changed&count=${result.changed}`, 303);
  });

  scope.post('/console/courses/:code/subsidies/import', async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const ctx = pageContext(request, reply, deps);
    const upload = await readOutcomeUpload(request, deps);
    if (isRefusal(upload))
      return show(request, reply, { top: refusalView(ctx, upload), status: upload.status });
    const report = await guardedImport(deps, () =>
      deps.subsidyClaims.import(user.access, user.personId, code, upload, importLimits(deps)),
    );
    if (isRefusal(report))
      return show(request, reply, { top: refusalView(ctx, report), status: report.status });
    if (!report) throw notFound();
    const top = html`<p class="notice" role="status">${ctx.t('outcomes:console.subsidies.imported', { rows: report.rows, changed: report.changed, problems: report.problems.length })}</p>${problemsView(ctx, report.problems, report.missingColumns)}`;
    return show(request, reply, { top });
  });
}
