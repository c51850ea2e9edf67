import type { FastifyError, FastifyRequest } from 'fastify';
import type { TableLimits } from '../../services/course-import/read-table';
import { TableTooLargeError, UnreadableFileError } from '../../services/course-import/read-table';
import type { RowProblem } from '../../services/course-results-table';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import type { PageContext } from './console-page';

/** Why an upload of the outcome pages was refused: an outcomes:console.upload.* key and its numbers. */
export type UploadRefusal = { status: number; key: string; values?: Record<string, number> };

/**
 * The uploaded file of an outcome page (exam marks, certificates, subsidy claims), or why there is none: over
 * the size limit, a body that is not a complete multipart form, no file at all.
 */
export async function readOutcomeUpload(
  request: FastifyRequest,
  deps: ConsoleDeps,
): Promise<{ name: string; data: Buffer } | UploadRefusal> {
  if (!request.isMultipart()) return { status: 400, key: 'noFile' };
  try {
    const file = await request.file();
    if (!file) return { status: 400, key: 'noFile' };
    return { name: file.filename, data: await file.toBuffer() };
  } catch (error) {
    if ((error as FastifyError).code === 'FST_REQ_FILE_TOO_LARGE')
      return { status: 413, key: 'tooLarge', values: { mb: deps.config.IMPORT_MAX_FILE_MB } };
    request.log.info({ reason: (error as Error).message }, 'unreadable multipart upload');
    return { status: 400, key: 'malformed' };
  }
}

export const importLimits = (deps: ConsoleDeps): TableLimits => ({
  maxRows: deps.config.IMPORT_MAX_ROWS,
  maxUnzippedBytes: deps.config.IMPORT_MAX_UNZIPPED_MB * 1024 * 1024,
});

/** Runs an import; a file that cannot be read or is over a limit becomes a refusal the page shows. */
export async function guardedImport<T>(deps: ConsoleDeps, run: () => Promise<T>): Promise<T | UploadRefusal> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TableTooLargeError)
      return error.limit === 'rows'
        ? { status: 413, key: 'tooManyRows', values: { rows: error.max } }
        : { status: 413, key: 'unzippedTooLarge', values: { mb: deps.config.IMPORT_MAX_UNZIPPED_MB } };
    if (error instanceof UnreadableFileError) return { status: 400, key: 'unreadable' };
    throw error;
  }
}

export const isRefusal = (value: unknown): value is UploadRefusal =>
  typeof value === 'object' && value !== null && 'status' in value && 'key' in value;

/** A file form; multipart bodies are read after the CSRF check, so the token travels in the URL. */
export function uploadForm(ctx: PageContext, action: string, help: string): SafeHtml {
  const { t } = ctx;
  return html`<form method="post" action="${action}?_csrf=${encodeURIComponent(ctx.csrf)}" enctype="multipart/form-data" class="form">
<p class="hint">${help}</p>
<label>${t('outcomes:console.upload.file')}<input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
<button type="submit">${t('outcomes:console.upload.submit')}</button>
</form>`;
}

export function refusalView(ctx: PageContext, refusal: UploadRefusal): SafeHtml {
  return html`<p class="error" role="alert">${ctx.t(`outcomes:console.upload.${refusal.key}`, refusal.values)}</p>`;
}

/** The problems of an import, by line, column and what is wrong. */
export function problemsView(
  ctx: PageContext,
  problems: readonly RowProblem[],
  missingColumns: readonly string[],
): SafeHtml {
  const { t } = ctx;
  const column = (c: string) => (c ? t(`outcomes:import.column.${c}`) : '');
  if (missingColumns.length)
    return html`<p class="error" role="alert">${t('outcomes:console.upload.missingColumns', { columns: missingColumns.map(column).join(t('outcomes:listSeparator')) })}</p>`;
  if (!problems.length) return html``;
  return html`<table class="problems"><thead><tr><th>${t('outcomes:console.upload.line')}</th><th>${t('outcomes:console.upload.column')}</th><th>${t('outcomes:console.upload.problem')}</th></tr></thead><tbody>${problems.map(
    (p) =>
      html`<tr><td>${p.line}</td><td>${column(p.field)}</td><td>${t(`outcomes:import.error.${p.key}`)}</td></tr>`,
  )}</tbody></table>`;
}
