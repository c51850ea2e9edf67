import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RosterRow } from '../../services/roster-service';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { pageContext, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';
import { rosterCsv, rosterXlsx } from './roster-export';

/** What the page says after an action sent the browser back to it (see person-delete-routes.ts). */
const rosterQuery = z.object({ notice: z.enum(['deleted', 'alreadyDeleted']).optional() }).catch({});

/** The per-person action: a link to the confirmation page, or a note that their data is already gone. */
function actionCell(t: (key: string) => string, base: string, row: RosterRow) {
  if (row.deleted) return html`<td>${t('console:personDelete.deletedMark')}</td>`;
  return html`<td><a href="${base}/${row.enrolmentId}/delete">${t('console:personDelete.action')}</a></td>`;
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
    const body = html`${notice ? html`<p class="notice" role="status">${t(`console:personDelete.notice.${notice}`)}</p>` : ''}
<p><a href="/console/courses/${course.code}">← ${course.code}</a>
<a class="button" href="${base}.csv">${t('console:roster.exportCsv')}</a>
<a class="button" href="${base}.xlsx">${t('console:roster.exportXlsx')}</a></p>
${
  rows.length
    ? html`<table><thead><tr>${[
        'name',
        'phone',
        'idNumber',
        'status',
        'waitlistPosition',
        'source',
        'enrolledAt',
        'leave',
        'actions',
      ].map((c) => html`<th>${t(`console:roster.column.${c}`)}</th>`)}</tr></thead><tbody>${rows.map(
        (r) =>
          html`<tr><td>${r.name}</td><td>${r.phone}</td><td class="mono">${r.idNumber}${r.idToCheck ? html` <span class="small">${t('console:roster.idToCheck')}</span>` : ''}</td><td>${t(`console:enrolmentStatus.${r.status}`)}</td><td>${r.waitlistPosition ?? ''}</td><td>${t(`console:source.${r.source === 'coordinator' ? 'coordinator' : 'self'}`)}</td><td>${ctx.dateTime(r.enrolledAt)}</td><td>${(r.leave ?? []).map((d) => html`<span class="tag">${t('console:roster.leaveMark')} ${ctx.dateTime(d.startsAt)}${d.reason ? `：${d.reason}` : ''}</span> `)}</td>${actionCell(t, base, r)}</tr>`,
      )}</tbody></table>`
    : html`<p>${t('console:roster.none')}</p>`
}`;
    return sendPage(reply, ctx, `${t('console:roster.title')} · ${course.code}`, body);
  });

  for (const format of ['csv', 'xlsx'] as const) {
    scope.get(`/console/courses/:code/roster.${format}`, async (request, reply) => {
      const user = request.consoleUser!;
      const found = await deps.roster.forCourse(
        user.access,
        courseCodeOf(request.params),
        user.personId,
        'exported',
      );
      if (!found) throw notFound();
      const ctx = pageContext(request, reply, deps);
      const name = `roster-${found.course.code}.${format}`;
      const file =
        format === 'csv'
          ? rosterCsv(found.rows, ctx.t, ctx.dateTime)
          : await rosterXlsx(found.rows, ctx.t, ctx.dateTime, found.course.code);
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
