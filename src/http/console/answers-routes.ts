import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { COUNTIES } from '../../core/domain';
import { TableTooLargeError, UnreadableFileError } from '../../services/course-import/read-table';
import type { CuratedActor } from '../../services/curated-answers-service';
import { curatedCsv, curatedXlsx, importCurated } from '../../services/curated-answers-table';
import { html } from '../html';
import { answerForm, answersPage, emptyForm, formOf, issuesText } from './answers-views';
import type { ConsoleDeps } from './console-deps';
import { pageContext, sendPage } from './console-page';
import { notFound } from './console-params';

const idParams = z.object({ id: z.uuid() });
const groupParams = z.object({ id: z.string().regex(/^u\d{1,19}$/) });
const DONE = ['saved', 'retired', 'dismissed'] as const;
const pageQuery = z.object({ done: z.enum(DONE).optional() }).catch({});
const newQuery = z
  .object({
    group: z
      .string()
      .regex(/^u\d{1,19}$/)
      .optional(),
  })
  .catch({});
const formBody = z.object({
  questions: z.string().max(10_000).default(''),
  answer: z.string().max(10_000).default(''),
  clauses: z.string().max(500).default(''),
  county: z.string().max(40).default(''),
  validUntil: z.string().max(20).default(''),
  group: z.string().max(30).optional(),
});

const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
};

/** The typed form as the service's input: questions one per line, clause ids split at commas or spaces. */
const inputOf = (f: z.infer<typeof formBody>) => ({
  questions: f.questions.split(/\r?\n/),
  answer: f.answer,
  clauseIds: f.clauses.split(/[,，\s]+/),
  county: f.county || undefined,
  validUntil: f.validUntil.trim() || undefined,
});

/**
 * Unanswered questions and curated answers (docs/curated-answers.md): the groups of questions the bot could
 * not answer, with counts; staff write an answer from a group or from scratch, edit (a new version each
 * time), withdraw, export and import. Scope: admins everything; a county coordinator their counties' questions
 * and answers scoped to their counties. Every change is audited by the service.
 */
export async function answersRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const actorOf = (request: FastifyRequest): CuratedActor => ({
    personId: request.consoleUser!.personId,
    access: request.consoleUser!.access,
  });
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: deps.config.TIMEZONE });
  const zh = deps.translator.forLocale('zh-CN');
  const countyOf = (cell: string) =>
    COUNTIES.find((c) => c === cell.trim().toLowerCase() || zh(`domain:county.${c}`) === cell.trim());

  scope.get('/console/answers', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { done } = pageQuery.parse(request.query);
    const user = request.consoleUser!;
    const [groups, answers] = await Promise.all([
      deps.unanswered.groups(user.access),
      deps.curatedAnswers.list(actorOf(request)),
    ]);
    const notice = done ? ctx.t(`curated:${done}`) : undefined;
    return sendPage(
      reply,
      ctx,
      ctx.t('curated:title'),
      answersPage(ctx, groups, answers, day.format(new Date()), notice),
    );
  });

  scope.get('/console/answers/new', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { group: groupId } = newQuery.parse(request.query);
    const group = groupId ? await deps.unanswered.group(request.consoleUser!.access, groupId) : undefined;
    if (groupId && !group) throw notFound();
    const values = group
      ? { ...emptyForm, questions: group.examples.join('\n'), group: group.id }
      : emptyForm;
    const body = html`${group ? html`<p class="hint">${ctx.t('curated:groups', { count: 1 })}: ${group.count} × ${group.examples[0]}</p>` : ''}${answerForm(ctx, '/console/answers', values)}`;
    return sendPage(reply, ctx, ctx.t('curated:new'), body);
  });

  scope.post('/console/answers', async (request, reply) => {
    const form = formBody.safeParse(request.body ?? {});
    if (!form.success) throw notFound();
    const access = request.consoleUser!.access;
    const group = form.data.group ? await deps.unanswered.group(access, form.data.group) : undefined;
    const result = await deps.curatedAnswers.add(
      actorOf(request),
      inputOf(form.data),
      group?.questionIds ?? [],
    );
    if (result.status === 'saved') return reply.redirect('/console/answers?done=saved', 303);
    const ctx = pageContext(request, reply, deps);
    const error = ctx.t('curated:invalid', {
      issues: result.status === 'invalid' ? issuesText(ctx, result.issues) : '',
    });
    return sendPage(
      reply,
      ctx,
      ctx.t('curated:new'),
      answerForm(ctx, '/console/answers', { ...form.data }, error),
      {
        status: 400,
      },
    );
  });

  scope.get('/console/answers/export.csv', async (request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="curated-answers.csv"')
      .send(curatedCsv(await deps.curatedAnswers.list(actorOf(request)))),
  );
  scope.get('/console/answers/export.xlsx', async (request, reply) =>
    reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="curated-answers.xlsx"')
      .send(await curatedXlsx(await deps.curatedAnswers.list(actorOf(request)))),
  );

  scope.post('/console/answers/import', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const back = html`<p><a href="/console/answers">${ctx.t('curated:back')}</a></p>`;
    const unreadable = () =>
      sendPage(
        reply,
        ctx,
        ctx.t('curated:import'),
        html`<p class="error" role="alert">${ctx.t('console:import.error.unreadable')}</p>${back}`,
        { status: 400 },
      );
    const file = await readUpload(request);
    if (!file) return unreadable();
    try {
      const report = await importCurated(deps.curatedAnswers, actorOf(request), file, countyOf);
      const problems = report.problems.map((p) => html`<li>${p.line}: ${issuesText(ctx, p.issues)}</li>`);
      return sendPage(
        reply,
        ctx,
        ctx.t('curated:import'),
        html`<p class="notice" role="status">${ctx.t('curated:imported', { ...report, problems: report.problems.length })}</p><ul class="problems">${problems}</ul>${back}`,
      );
    } catch (error) {
      if (!(error instanceof UnreadableFileError || error instanceof TableTooLargeError)) throw error;
      return unreadable();
    }
  });

  scope.post('/console/answers/groups/:id/dismiss', async (request, reply) => {
    const { id } = parse(groupParams, request.params);
    if (!(await deps.unanswered.close(request.consoleUser!.access, id))) throw notFound();
    return reply.redirect('/console/answers?done=dismissed', 303);
  });

  scope.get('/console/answers/:id', async (request, reply) => {
    const { id } = parse(idParams, request.params);
    const found = await deps.curatedAnswers.get(actorOf(request), id);
    if (!found) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const history = html`<h2>${t('curated:column.version')}</h2><table class="versions"><tbody>${found.versions.map(
      (v) =>
        html`<tr><td>v${v.version}</td><td>${ctx.dateTime(v.savedAt)}</td><td>${v.retired ? t('curated:retired') : ''}</td><td>${v.questions.join(' / ')}</td><td>${v.answer}</td><td class="mono">${v.clauseIds.join(', ')}</td><td>${v.validUntil ?? ''}</td></tr>`,
    )}</tbody></table>`;
    return sendPage(
      reply,
      ctx,
      t('curated:column.answer'),
      html`${answerForm(ctx, `/console/answers/${id}`, formOf(found))}${history}`,
    );
  });

  scope.post('/console/answers/:id', async (request, reply) => {
    const { id } = parse(idParams, request.params);
    const form = formBody.safeParse(request.body ?? {});
    if (!form.success) throw notFound();
    const result = await deps.curatedAnswers.update(actorOf(request), id, inputOf(form.data));
    if (result.status === 'not_found') throw notFound();
    if (result.status === 'saved') return reply.redirect('/console/answers?done=saved', 303);
    const ctx = pageContext(request, reply, deps);
    const error = ctx.t('curated:invalid', { issues: issuesText(ctx, result.issues) });
    return sendPage(
      reply,
      ctx,
      ctx.t('curated:column.answer'),
      answerForm(ctx, `/console/answers/${id}`, form.data, error),
      {
        status: 400,
      },
    );
  });

  scope.post('/console/answers/:id/retire', async (request, reply) => {
    const { id } = parse(idParams, request.params);
    if ((await deps.curatedAnswers.retire(actorOf(request), id)) === 'not_found') throw notFound();
    return reply.redirect('/console/answers?done=retired', 303);
  });
}

/** The uploaded file; undefined when there is none or the body is not a complete multipart form. */
async function readUpload(request: FastifyRequest): Promise<Buffer | undefined> {
  if (!request.isMultipart()) return undefined;
  try {
    const file = await request.file();
    return file ? await file.toBuffer() : undefined;
  } catch (error) {
    // Over IMPORT_MAX_FILE_MB, or cut off: the sender's mistake, answered as an unreadable file.
    request.log.info({ code: (error as FastifyError).code }, 'unreadable curated-answers upload');
    return undefined;
  }
}
