import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { inLocale } from '../../core/domain';
import type { CompletionPreview, ExamScores } from '../../services/course-results-service';
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

const SCORE_FIELD = /^score\.([0-9a-f-]{36})$/;
const score = z.union([z.literal('').transform(() => null), z.coerce.number().int().min(0).max(100)]);

/** The marks typed in the form (score.<sign-up> fields); a mark that is not 0–100 is reported, not guessed. */
function scoresOf(body: unknown): { scores: ExamScores; bad: string[] } {
  const scores: ExamScores = {};
  const bad: string[] = [];
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const id = SCORE_FIELD.exec(key)?.[1];
    if (!id) continue;
    const parsed = score.safeParse(typeof value === 'string' ? value.trim() : value);
    if (parsed.success) scores[id] = parsed.data;
    else bad.push(id);
  }
  return { scores, bad };
}

const rulesSchema = z.object({
  passAttendancePct: z.coerce.number().int().min(0).max(100),
  passExamScore: z.union([z.literal('').transform(() => null), z.coerce.number().int().min(0).max(100)]),
});

const pageQuery = z
  .object({
    notice: z.enum(['completed', 'rules', 'badRules']).optional(),
    passed: z.coerce.number().int().optional(),
    failed: z.coerce.number().int().optional(),
  })
  .catch({});

function completionView(
  ctx: PageContext,
  found: CompletionPreview,
  options: { bad?: string[]; top?: SafeHtml } = {},
): SafeHtml {
  const { t } = ctx;
  const { course, rows } = found;
  const base = `/console/courses/${course.code}/complete`;
  const bad = new Set(options.bad ?? []);
  const passed = rows.filter((r) => r.outcome === 'passed').length;
  return html`${options.top ?? ''}
<p><a href="/console/courses/${course.code}">← ${course.code} ${inLocale(ctx.locale, course.title, course.titleEn)}</a></p>
${course.completedAt ? html`<p class="notice">${t('outcomes:console.complete.completedAt', { when: ctx.dateTime(course.completedAt) })}</p>` : ''}
<h2>${t('outcomes:console.complete.rules')}</h2>
<form method="post" action="${base}/rules" class="form">${csrfField(ctx)}
<label>${t('outcomes:console.complete.passAttendancePct')}<input name="passAttendancePct" type="number" min="0" max="100" value="${course.passAttendancePct}" required></label>
<label>${t('outcomes:console.complete.passExamScore')}<input name="passExamScore" type="number" min="0" max="100" value="${course.passExamScore ?? ''}"></label>
<p class="hint">${t('outcomes:console.complete.rulesHint')}</p>
<button type="submit">${t('outcomes:console.complete.saveRules')}</button>
</form>
<h2>${t('outcomes:console.complete.preview')}</h2>
${
  rows.length
    ? html`<form method="post" action="${base}" class="form">${csrfField(ctx)}
<table><thead><tr>${['name', 'attendance', 'examScore', 'outcome', 'reasons', 'recorded'].map((c) => html`<th>${t(`outcomes:console.complete.column.${c}`)}</th>`)}</tr></thead><tbody>${rows.map(
        (r) =>
          html`<tr data-enrolment="${r.enrolmentId}"><td>${r.name || t('outcomes:console.noName')}</td><td>${r.attendancePct === null ? '—' : `${r.attendancePct}%`} (${r.attended}/${r.held})</td><td><input name="score.${r.enrolmentId}" type="number" min="0" max="100" value="${r.examScore ?? ''}" aria-label="${t('outcomes:console.complete.column.examScore')}">${bad.has(r.enrolmentId) ? html` <span class="error">${t('outcomes:console.complete.badScore')}</span>` : ''}</td><td class="outcome">${t(`outcomes:outcome.${r.outcome}`)}</td><td>${r.reasons.map((x) => t(`outcomes:reason.${x}`)).join(t('outcomes:listSeparator'))}</td><td>${r.recorded ? t(`outcomes:outcome.${r.recorded}`) : ''}</td></tr>`,
      )}</tbody></table>
<p class="hint">${t('outcomes:console.complete.summary', { passed, failed: rows.length - passed, total: rows.length })}</p>
<button type="submit" formaction="${base}/preview">${t('outcomes:console.complete.recalculate')}</button>
<button type="submit">${t(course.completedAt ? 'outcomes:console.complete.update' : 'outcomes:console.complete.confirm')}</button>
</form>
<h2>${t('outcomes:console.complete.importTitle')}</h2>
${uploadForm(ctx, `${base}/scores`, t('outcomes:console.complete.importHelp'))}`
    : html`<p>${t('outcomes:console.complete.noTrainees')}</p>`
}`;
}

/** Issue 20, item 2: the completion page ("结课"): rules, the preview with marks, confirmation, marks from a file. */
export async function resultsRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    scores: ExamScores = {},
    options: { bad?: string[]; top?: SafeHtml; status?: number } = {},
  ) => {
    const user = request.consoleUser!;
    const found = await deps.courseResults.preview(user.access, courseCodeOf(request.params), scores);
    if (!found) throw notFound();
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      `${ctx.t('outcomes:console.complete.title')} · ${found.course.code}`,
      completionView(ctx, found, options),
      { status: options.status ?? 200 },
    );
  };

  scope.get('/console/courses/:code/complete', async (request, reply) => {
    const { notice, passed, failed } = pageQuery.parse(request.query);
    const t = pageContext(request, reply, deps).t;
    const top = notice
      ? html`<p class="notice" role="status">${t(`outcomes:console.complete.notice.${notice}`, { passed: passed ?? 0, failed: failed ?? 0 })}</p>`
      : undefined;
    return show(request, reply, {}, { top });
  });

  scope.post('/console/courses/:code/complete/preview', async (request, reply) => {
    const { scores, bad } = scoresOf(request.body);
    return show(request, reply, scores, { bad, status: bad.length ? 400 : 200 });
  });

  scope.post('/console/courses/:code/complete', async (request, reply) => {
    const { scores, bad } = scoresOf(request.body);
    if (bad.length) return show(request, reply, scores, { bad, status: 400 });
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const done = await deps.courseResults.complete(user.access, user.personId, code, scores);
    if (!done) throw notFound();
    const passed = done.rows.filter((r) => r.outcome === 'passed').length;
    return reply.redirect(
      `/console/courses/${done.course.code}/complete?notice=completed&passed=${passed}&failed=${done.rows.length - passed}`,
      303,
    );
  });

  scope.post('/console/courses/:code/complete/rules', async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const rules = rulesSchema.safeParse(request.body ?? {});
    if (!rules.success) return reply.redirect(`/console/courses/${code}/complete?notice=badRules`, 303);
    if (!(await deps.courseResults.setRules(user.access, user.personId, code, rules.data))) throw notFound();
    return reply.redirect(`/console/courses/${code}/complete?notice=rules`, 303);
  });

  scope.post('/console/courses/:code/complete/scores', async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const ctx = pageContext(request, reply, deps);
    const upload = await readOutcomeUpload(request, deps);
    if (isRefusal(upload))
      return show(request, reply, {}, { top: refusalView(ctx, upload), status: upload.status });
    const read = await guardedImport(deps, () =>
      deps.courseResults.readScores(user.access, code, upload, importLimits(deps)),
    );
    if (isRefusal(read))
      return show(request, reply, {}, { top: refusalView(ctx, read), status: read.status });
    if (!read) throw notFound();
    const top = html`<p class="notice" role="status">${ctx.t('outcomes:console.complete.imported', { count: Object.keys(read.scores).length })}</p>${problemsView(ctx, read.problems, read.missingColumns)}`;
    return show(request, reply, read.scores, { top });
  });
}
