import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RosterRow } from '../../services/roster-service';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { type PageContext, pageContext, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';
import { rosterCsv, rosterXlsx } from './roster-export';

/** What the page says after an action sent the browser back to it (see person-delete-routes.ts). */
const rosterQuery = z.object({ notice: z.enum(['deleted', 'alreadyDeleted']).optional() }).catch({});
/** `?ids=full`: the export with full ID numbers, for a subsidy officer only (anyone else gets it masked). */
const exportQuery = z.object({ ids: z.enum(['full']).optional() }).catch({});

/** The per-person action: a link to the confirmation page, or a note that their data is already gone. */
function actionCell(t: (key: string) => string, base: string, row: RosterRow) {
  if (row.deleted) return html`<td>${t('console:personDelete.deletedMark')}</td>`;
  return html`<td><a href="${base}/${row.enrolmentId}/contact">${t('contact-route:console.action')}</a> <a href="${base}/${row.enrolmentId}/delete">${t('console:personDelete.action')}</a></td>`;
}

const COLUMNS = [
  'name',
  'phone',
  'idNumber',
  'status',
  'waitlistPosition',
  'source',
  'enrolledAt',
  'leave',
  'actions',
] as const;

/**
 * One row; on a narrow screen (console.css, `table.cards-narrow`) each row is a card: the name as its
 * heading, every other cell labelled by its `data-label`, empty cells left out.
 */
function rosterRow(ctx: PageContext, base: string, r: RosterRow) {
  const { t } = ctx;
  const label = (c: (typeof COLUMNS)[number]) => t(`console:roster.column.${c}`);
  return html`<tr><td>${r.name}</td><td data-label="${label('phone')}">${r.phone}</td><td class="mono" data-label="${label('idNumber')}">${r.idNumber}${r.idToCheck ? html` <span class="small">${t('console:roster.idToCheck')}</span>` : ''}</td><td data-label="${label('status')}">${t(`console:enrolmentStatus.${r.status}`)}</td><td data-label="${label('waitlistPosition')}">${r.waitlistPosition ?? ''}</td><td data-label="${label('source')}">${t(`console:source.${r.source === 'coordinator' ? 'coordinator' : 'self'}`)}</td><td data-label="${label('enrolledAt')}">${ctx.dateTime(r.enrolledAt)}</td><td data-label="${label('leave')}">${(r.leave ?? []).map((d) => html`<span class="tag">${t('console:roster.leaveMark')} ${ctx.dateTime(d.startsAt)}${d.reason ? `：${d.reason}` : ''}</span> `)}</td>${actionCell(t, base, r)}</tr>`;
}

/** Who signed up for a course, ID numbers masked; as a page, a CSV or an Excel file (masked too). */
export async function rosterRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  scope.get('/console/courses/:code/roster', async (request, reply) => {
    const user = request.consoleUser!;
    const found = await deps.roster.forCourse(
      user.access,
      courseCodeOf(request.params),
      user.personId,
      'viewed',
    );
    if (!found) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const { course, rows } = found;
    const base = `/console/courses/${course.code}/roster`;
    const { notice } = rosterQuery.parse(request.query);
    const full = deps.roster.mayExportFull(user.access);
    const body = html`${notice ? html`<p class="notice" role="status">${t(`console:personDelete.notice.${notice}`)}</p>` : ''}
<p class="actions"><a href="/console/courses/${course.code}">← ${course.code}</a>
<a class="button" href="${base}.csv">${t('console:roster.exportCsv')}</a>
<a class="button" href="${base}.xlsx">${t('console:roster.exportXlsx')}</a>
${full ? html`<a class="button full-ids" href="${base}.xlsx?ids=full">${t('console:roster.exportFullXlsx')}</a><a class="button full-ids" href="${base}.csv?ids=full">${t('console:roster.exportFullCsv')}</a>` : ''}</p>
${full ? html`<p class="hint">${t('console:roster.fullHint')}</p>` : ''}
${
  rows.length
    ? html`<table class="roster cards-narrow"><thead><tr>${COLUMNS.map(
        (c) => html`<th>${t(`console:roster.column.${c}`)}</th>`,
      )}</tr></thead><tbody>${rows.map((r) => rosterRow(ctx, base, r))}</tbody></table>`
    : html`<p>${t('console:roster.none')}</p>`
}`;
    return sendPage(reply, ctx, `${t('console:roster.title')} · ${course.code}`, body);
  });

  for (const format of ['csv', 'xlsx'] as const) {
    scope.get(`/console/courses/:code/roster.${format}`, async (request, reply) => {
      const user = request.consoleUser!;
      const { ids } = exportQuery.parse(request.query);
      // Full ID numbers only for a subsidy officer; the service masks them for anyone else, and audits both.
      const found = await deps.roster.forCourse(
        user.access,
        courseCodeOf(request.params),
        user.personId,
        ids === 'full' ? 'exported_full' : 'exported',
      );
      if (!found) throw notFound();
      const ctx = pageContext(request, reply, deps);
      const idColumn = found.full ? 'full' : 'masked';
      const name = `roster-${found.course.code}${found.full ? '-full' : ''}.${format}`;
      const file =
        format === 'csv'
          ? rosterCsv(found.rows, ctx.t, ctx.dateTime, idColumn)
          : await rosterXlsx(found.rows, ctx.t, ctx.dateTime, found.course.code, idColumn);
      return reply
        .type(
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(file);
    });
  }
}
