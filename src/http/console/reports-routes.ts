import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { GROUPS } from '../../core/domain';
import type { Translate } from '../../core/i18n';
import { type Figures, type Rate, SUBSIDY_STATUSES } from '../../core/outcomes/report-figures';
import {
  type CountyTarget,
  type OutcomeReport,
  type ReportFilter,
  reportFilterSchema,
  targetInputSchema,
} from '../../services/outcome-report-service';
import { reportWorkbook } from '../../services/outcome-report-xlsx';
import { html, jsonForScript, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';
import { notFound } from './console-params';
import { countyOptions } from './county-options';

/** Chart.js, served from this origin (the console's pages run no script from elsewhere). */
const CHART_JS = readFileSync(
  join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'),
);
const SCRIPT = readFileSync(new URL('./reports-page.js', import.meta.url));

const pct = (value: number | null) => (value === null ? null : `${Math.round(value * 1000) / 10}%`);

function rateCell(t: Translate, r: Rate): SafeHtml {
  if (r.suppressed) return html`<span class="hint">${t('reports:suppressed')}</span>`;
  return html`${pct(r.rate) ?? t('reports:none')}`;
}

function satisfactionCell(t: Translate, f: Figures): SafeHtml {
  if (f.satisfaction.suppressed) return html`<span class="hint">${t('reports:suppressed')}</span>`;
  return html`${f.satisfaction.average ?? t('reports:none')}`;
}

function card(label: string, value: SafeHtml | string, note: SafeHtml | string = '') {
  return html`<div class="stat"><div class="stat-label">${label}</div><div class="stat-value">${value}</div><div class="hint">${note}</div></div>`;
}

function rateCard(t: Translate, label: string, r: Rate) {
  return card(
    label,
    rateCell(t, r),
    r.denominator ? t('reports:card.base', { numerator: r.numerator, denominator: r.denominator }) : '',
  );
}

function filterForm(ctx: PageContext, filter: ReportFilter, report: OutcomeReport | undefined) {
  const { t } = ctx;
  const query = new URLSearchParams(
    Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
  ).toString();
  return html`<form method="get" action="/console/reports" class="form compact filters">
<label>${t('reports:filter.county')}<select name="county">${countyOptions(t, t('reports:filter.allCounties'), filter.county)}</select></label>
<label>${t('reports:filter.group')}<select name="group"><option value="">${t('reports:filter.allGroups')}</option>${GROUPS.map(
    (g) =>
      html`<option value="${g}"${filter.group === g ? html` selected` : ''}>${t(`domain:group.${g}`)}</option>`,
  )}</select></label>
<label>${t('reports:filter.from')}<input type="date" name="from" value="${report?.period.from ?? filter.from ?? ''}"></label>
<label>${t('reports:filter.to')}<input type="date" name="to" value="${report?.period.to ?? filter.to ?? ''}"></label>
${(['course', 'provider'] as const).map((k) => (filter[k] ? html`<input type="hidden" name="${k}" value="${filter[k]}">` : ''))}
<button type="submit">${t('reports:filter.apply')}</button>
<a class="button" href="/console/reports.xlsx${query ? `?${query}` : ''}" download>${t('reports:filter.export')}</a>
</form>`;
}

/**
 * The yearly targets of the counties the account may set (admins: all; county staff: their own), for the year
 * of the period shown: one row per county, each its own form (the inputs name it with form=…).
 */
function targetForm(ctx: PageContext, year: number, targets: CountyTarget[]) {
  const { t } = ctx;
  if (targets.length === 0) return '';
  return html`<h2 id="targets">${t('reports:target.title', { year })}</h2><p class="hint">${t('reports:target.hint')}</p>
<div class="table-wrap"><table id="targets-table"><thead><tr><th>${t('reports:table.county')}</th><th>${t('reports:target.sessions')}</th><th>${t('reports:target.poverty')}</th><th>${t('reports:target.source')}</th><th></th></tr></thead><tbody>${targets.map(
    (row) => {
      const id = `target-${row.county}`;
      return html`<tr data-county="${row.county}"><td>${t(`domain:county.${row.county}`)}</td>
<td><input type="number" form="${id}" name="sessions" value="${row.sessions}" min="0" max="10000000" required aria-label="${t('reports:target.sessions')}"></td>
<td><input type="number" form="${id}" name="povertySessions" value="${row.povertySessions}" min="0" max="10000000" required aria-label="${t('reports:target.poverty')}"></td>
<td>${t(`reports:target.source_${row.source}`)}</td>
<td><form method="post" action="/console/reports/targets" id="${id}" class="inline">${csrfField(ctx)}<input type="hidden" name="county" value="${row.county}"><input type="hidden" name="year" value="${year}"><button type="submit">${t('reports:target.save')}</button></form>${
        row.source === 'county'
          ? html` <form method="post" action="/console/reports/targets" class="inline">${csrfField(ctx)}<input type="hidden" name="county" value="${row.county}"><input type="hidden" name="year" value="${year}"><input type="hidden" name="clear" value="yes"><button type="submit" class="secondary">${t('reports:target.clear')}</button></form>`
          : ''
      }</td></tr>`;
    },
  )}</tbody></table></div>`;
}

function figureCells(t: Translate, f: Figures) {
  return html`<td>${f.trained}</td><td>${f.trainedPoverty}</td><td>${rateCell(t, f.attendance)}</td><td>${rateCell(t, f.passRate)}</td><td>${rateCell(t, f.employment3m)}</td><td>${rateCell(t, f.employment6m)}</td><td>${satisfactionCell(t, f)}</td><td>${f.subsidies.paid.yuan}</td>`;
}

function figureHeads(t: Translate) {
  return html`<th>${t('reports:table.trained')}</th><th>${t('reports:table.poverty')}</th><th>${t('reports:table.attendance')}</th><th>${t('reports:table.pass')}</th><th>${t('reports:table.employment3m')}</th><th>${t('reports:table.employment6m')}</th><th>${t('reports:table.satisfaction')}</th><th>${t('reports:table.subsidyPaid')}</th>`;
}

/** The data the page's charts draw (reports-page.js reads it; a data block, never run as script). */
function chartData(t: Translate, report: OutcomeReport) {
  return {
    labels: report.byCounty.map((c) => t(`domain:county.${c.county}`)),
    progress: report.byCounty.map((c) => Math.round((c.progress.sessions ?? 0) * 1000) / 10),
    progressPoverty: report.byCounty.map((c) => Math.round((c.progress.povertySessions ?? 0) * 1000) / 10),
    attendance: report.byCounty.map((c) => (c.figures.attendance.rate ?? 0) * 100),
    pass: report.byCounty.map((c) => (c.figures.passRate.rate ?? 0) * 100),
    employment: report.byCounty.map((c) => (c.figures.employment3m.rate ?? 0) * 100),
    subsidyLabels: SUBSIDY_STATUSES.map((s) => t(`reports:subsidy.${s}`)),
    subsidies: SUBSIDY_STATUSES.map((s) => report.total.subsidies[s].count),
    text: {
      progress: t('reports:chart.progress'),
      progressPoverty: t('reports:chart.progressPoverty'),
      attendance: t('reports:table.attendance'),
      pass: t('reports:table.pass'),
      employment: t('reports:table.employment3m'),
    },
  };
}

function reportBody(
  ctx: PageContext & { done?: boolean },
  filter: ReportFilter,
  report: OutcomeReport,
  year: number,
  targets: CountyTarget[],
): SafeHtml {
  const { t } = ctx;
  const total = report.total;
  const cards = html`<div class="stats">
${card(
  t('reports:card.trained'),
  String(total.trained),
  t('reports:card.progress', {
    pct: pct(total.progress.sessions) ?? t('reports:none'),
    target: total.target.sessions,
  }),
)}
${card(
  t('reports:card.trainedPoverty'),
  String(total.trainedPoverty),
  t('reports:card.progress', {
    pct: pct(total.progress.povertySessions) ?? t('reports:none'),
    target: total.target.povertySessions,
  }),
)}
${rateCard(t, t('reports:card.attendance'), total.attendance)}
${rateCard(t, t('reports:card.passRate'), total.passRate)}
${rateCard(t, t('reports:card.employment3m'), total.employment3m)}
${rateCard(t, t('reports:card.employment6m'), total.employment6m)}
${card(t('reports:card.satisfaction'), satisfactionCell(t, total), t('reports:card.responses', { count: total.satisfaction.responses }))}
</div>`;
  const charts = html`<div class="charts">
<figure><figcaption>${t('reports:chart.trainedVsTarget')}</figcaption><div class="chart-box"><canvas id="chart-trained"></canvas></div></figure>
<figure><figcaption>${t('reports:chart.rates')}</figcaption><div class="chart-box"><canvas id="chart-rates"></canvas></div></figure>
<figure><figcaption>${t('reports:chart.subsidies')}</figcaption><div class="chart-box"><canvas id="chart-subsidies"></canvas></div></figure>
</div>
<script type="application/json" id="report-data">${jsonForScript(chartData(t, report))}</script>
<script src="/console/assets/chart.umd.min.js"></script>
<script src="/console/assets/reports-page.js"></script>`;
  const counties = html`<h2>${t('reports:table.byCounty')}</h2><div class="table-wrap"><table id="by-county"><thead><tr><th>${t('reports:table.county')}</th>${figureHeads(t)}<th>${t('reports:table.target')}</th><th>${t('reports:table.progress')}</th></tr></thead><tbody>${report.byCounty.map(
    (c) =>
      html`<tr data-county="${c.county}"><td>${t(`domain:county.${c.county}`)}</td>${figureCells(t, c.figures)}<td title="${t(`reports:targetSource.${c.target.source}`)}">${c.target.sessions}</td><td>${pct(c.progress.sessions) ?? t('reports:none')}</td></tr>`,
  )}</tbody></table></div>`;
  const list = (title: string, head: string, rows: { name: string; figures: Figures }[], id: string) =>
    html`<h2>${title}</h2>${
      rows.length
        ? html`<div class="table-wrap"><table id="${id}"><thead><tr><th>${head}</th>${figureHeads(t)}</tr></thead><tbody>${rows.map(
            (r) => html`<tr><td>${r.name}</td>${figureCells(t, r.figures)}</tr>`,
          )}</tbody></table></div>`
        : html`<p>${t('reports:table.empty')}</p>`
    }`;
  const notice = ctx.done ? html`<p class="notice" role="status">${t('reports:target.saved')}</p>` : '';
  return html`${notice}${filterForm(ctx, filter, report)}<p class="hint">${t('reports:intro')}</p>
<p>${t('reports:period', report.period)}</p>${cards}${charts}${counties}
${list(
  t('reports:table.byProvider'),
  t('reports:table.provider'),
  report.byProvider.map((p) => ({ name: p.provider ?? t('reports:table.noProvider'), figures: p.figures })),
  'by-provider',
)}
${list(
  t('reports:table.byCourse'),
  t('reports:table.course'),
  report.byCourse.map((c) => ({ name: `${c.course} ${c.title}`, figures: c.figures })),
  'by-course',
)}
${targetForm(ctx, year, targets)}`;
}

/** Empty form fields mean "no filter". */
function filterOf(query: unknown) {
  const raw = Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).filter(
      ([k, v]) =>
        ['county', 'group', 'from', 'to', 'provider', 'course'].includes(k) &&
        typeof v === 'string' &&
        v !== '',
    ),
  );
  return reportFilterSchema.safeParse(raw);
}

/**
 * The outcome report (issue 20, docs/reports.md): figures per county, provider and course in the user's scope,
 * charts (Chart.js) and an Excel export of the same figures.
 */
export async function reportRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  scope.get('/console/assets/chart.umd.min.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(CHART_JS),
  );
  scope.get('/console/assets/reports-page.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(SCRIPT),
  );

  scope.get('/console/reports', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const parsed = filterOf(request.query);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      const body = html`${filterForm(ctx, {}, undefined)}<p class="error" role="alert">${t('reports:badFilter', { issues })}</p>`;
      return sendPage(reply, ctx, t('reports:title'), body, { status: 400 });
    }
    const access = request.consoleUser!.access;
    const { report, year, targets } = await deps.reports.page(access, parsed.data);
    const done = (request.query as { done?: unknown } | undefined)?.done === 'target';
    return sendPage(
      reply,
      ctx,
      t('reports:title'),
      reportBody({ ...ctx, done }, parsed.data, report, year, targets),
    );
  });

  scope.post('/console/reports/targets', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const user = request.consoleUser!;
    const parsed = targetInputSchema.safeParse(request.body);
    if (!parsed.success) {
      const body = html`<p class="error" role="alert">${ctx.t('reports:target.invalid')}</p><p><a href="/console/reports">${ctx.t('reports:title')}</a></p>`;
      return sendPage(reply, ctx, ctx.t('reports:title'), body, { status: 400 });
    }
    if (!(await deps.reports.setTarget(user.access, user.personId, parsed.data))) throw notFound();
    // Back to the report of the target's year, where its progress shows (this year: up to today).
    const { year } = parsed.data;
    const period = year === new Date().getFullYear() ? '' : `&from=${year}-01-01&to=${year}-12-31`;
    return reply.redirect(`/console/reports?done=target${period}#targets`, 303);
  });

  scope.get('/console/reports.xlsx', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const parsed = filterOf(request.query);
    const filter = parsed.success ? parsed.data : {};
    const report = await deps.reports.build(request.consoleUser!.access, filter);
    const book = await reportWorkbook(report, ctx.t, (id) => ctx.t(`domain:county.${id}`));
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header(
        'content-disposition',
        `attachment; filename="jineng-report-${report.period.from}-${report.period.to}.xlsx"`,
      )
      .header('cache-control', 'no-store')
      .send(book);
  });
}
