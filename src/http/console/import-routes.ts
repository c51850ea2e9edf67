import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { IMPORT_COLUMNS, type ImportReport } from '../../services/course-import/course-import-service';
import { TableTooLargeError, UnreadableFileError } from '../../services/course-import/read-table';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { type PageContext, pageContext, sendPage } from './console-page';
import { importScheduleRoutes, schedulePreview } from './import-schedule-view';

/** Why an upload was refused: a console:import.error.* key and the numbers its sentence names. */
type UploadError = { key: string; values?: Record<string, number> };

function uploadForm(ctx: PageContext, error?: UploadError) {
  const { t } = ctx;
  // Multipart bodies are read by the handler, after the CSRF check: the token travels in the URL.
  return html`${error ? html`<p class="error" role="alert">${t(`console:import.error.${error.key}`, error.values)}</p>` : ''}
<p class="hint">${t('console:import.intro')}</p>
<p class="hint">${t('schedule-import:hint')}</p>
<form method="post" action="/console/import?_csrf=${encodeURIComponent(ctx.csrf)}" enctype="multipart/form-data" class="form">
<label>${t('console:import.file')}<input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
<button type="submit">${t('console:import.submit')}</button>
</form>
<p><a href="/console/import/template.csv">${t('console:import.template')}</a></p>
<h2>${t('console:import.columns')}</h2>
<table><tbody>${IMPORT_COLUMNS.map(
    (c) =>
      html`<tr><th>${t(`console:import.column.${c}`)}</th><td>${t(`console:import.help.${c}`)}</td></tr>`,
  )}</tbody></table>`;
}

function reportView(ctx: PageContext, report: ImportReport) {
  const { t } = ctx;
  if (report.missingColumns.length) {
    return html`<p class="error" role="alert">${t('console:import.missingColumns', {
      columns: report.missingColumns.map((c) => t(`console:import.column.${c}`)).join(', '),
    })}</p><p><a href="/console/import">${t('console:import.again')}</a></p>`;
  }
  const columnLabel = (field: string) =>
    (IMPORT_COLUMNS as readonly string[]).includes(field) ? t(`console:import.column.${field}`) : '';
  return html`<p class="notice" role="status">${t('console:import.summary', {
    rows: report.rows,
    created: report.created.length,
    updated: report.updated.length,
    problems: report.problems.length,
  })}</p>
${report.encoding && report.encoding !== 'UTF-8' ? html`<p class="hint">${t('console:import.encoding', { encoding: report.encoding })}</p>` : ''}
${
  report.created.length
    ? html`<p>${t('console:import.created')}: ${report.created.map((c, i) => html`${i ? ', ' : ''}<a href="/console/courses/${c}">${c}</a>`)}</p>`
    : ''
}
${report.updated.length ? html`<p>${t('console:import.updated')}: ${report.updated.join(', ')}</p>` : ''}
${
  report.problems.length
    ? html`<table class="problems"><thead><tr><th>${t('console:import.line')}</th><th>${t('console:import.column.code')}</th><th>${t('console:import.field')}</th><th>${t('console:import.problem')}</th></tr></thead><tbody>${report.problems.map(
        (p) =>
          html`<tr><td>${p.line}</td><td>${p.code ?? ''}</td><td>${columnLabel(p.field)}</td><td>${t(`console:field.error.${p.key}`)}</td></tr>`,
      )}</tbody></table>`
    : ''
}
${schedulePreview(ctx, report.schedule)}
<p><a href="/console/import">${t('console:import.again')}</a></p>`;
}

/** Course import from CSV (UTF-8, UTF-16 or GBK from Excel) or .xlsx, with a report per row. */
export async function importRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  await importScheduleRoutes(scope, { deps });
  scope.get('/console/import', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    return sendPage(reply, ctx, ctx.t('console:import.title'), uploadForm(ctx));
  });

  scope.get('/console/import/template.csv', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const header = IMPORT_COLUMNS.map((c) => ctx.t(`console:import.column.${c}`)).join(',');
    const example = ctx.t('console:import.example');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="courses-template.csv"')
      .send(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header}\r\n${example}\r\n`)]));
  });

  scope.post('/console/import', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const title = ctx.t('console:import.title');
    const refuse = (status: number, error: UploadError) =>
      sendPage(reply, ctx, title, uploadForm(ctx, error), { status });
    const { config } = deps;
    const upload = await readUpload(request);
    if (upload === 'too_large')
      return refuse(413, { key: 'tooLarge', values: { mb: config.IMPORT_MAX_FILE_MB } });
    if (upload === 'malformed') return refuse(400, { key: 'malformed' });
    if (!upload) return refuse(400, { key: 'noFile' });
    const user = request.consoleUser!;
    const limits = { maxRows: config.IMPORT_MAX_ROWS, maxUnzippedBytes: config.IMPORT_MAX_UNZIPPED_MB * MIB };
    try {
      const report = await deps.importer.run(user.access, user.personId, upload, limits);
      return sendPage(reply, ctx, title, reportView(ctx, report));
    } catch (error) {
      if (error instanceof TableTooLargeError)
        return error.limit === 'rows'
          ? refuse(413, { key: 'tooManyRows', values: { rows: error.max } })
          : refuse(413, { key: 'unzippedTooLarge', values: { mb: config.IMPORT_MAX_UNZIPPED_MB } });
      if (!(error instanceof UnreadableFileError)) throw error;
      return refuse(400, { key: 'unreadable' });
    }
  });
}

const MIB = 1024 * 1024;

/**
 * The uploaded file, or why there is none to read: over the size limit, or a body that is not a complete
 * multipart form (cut off, wrong boundary), which is the sender's mistake, not a server error.
 */
async function readUpload(
  request: FastifyRequest,
): Promise<{ name: string; data: Buffer } | undefined | 'too_large' | 'malformed'> {
  if (!request.isMultipart()) return undefined;
  try {
    const file = await request.file();
    return file ? { name: file.filename, data: await file.toBuffer() } : undefined;
  } catch (error) {
    if ((error as FastifyError).code === 'FST_REQ_FILE_TOO_LARGE') return 'too_large';
    request.log.info({ reason: (error as Error).message }, 'unreadable multipart upload');
    return 'malformed';
  }
}
