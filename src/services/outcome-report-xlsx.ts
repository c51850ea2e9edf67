import ExcelJS from 'exceljs';
import type { Translate } from '../core/i18n';
import { type Figures, SUBSIDY_STATUSES } from '../core/outcomes/report-figures';
import type { OutcomeReport } from './outcome-report-service';

/** A rate as Excel keeps it (a fraction shown as a percentage), or empty when held back or without a base. */
const share = (rate: number | null) => rate ?? '';

function figureColumns(t: Translate): { header: string; value: (f: Figures) => number | string }[] {
  return [
    { header: t('reports:table.trained'), value: (f) => f.trained },
    { header: t('reports:table.poverty'), value: (f) => f.trainedPoverty },
    { header: t('reports:table.attendance'), value: (f) => share(f.attendance.rate) },
    { header: t('reports:table.pass'), value: (f) => share(f.passRate.rate) },
    { header: t('reports:table.employment3m'), value: (f) => share(f.employment3m.rate) },
    { header: t('reports:table.employment6m'), value: (f) => share(f.employment6m.rate) },
    { header: t('reports:table.satisfaction'), value: (f) => f.satisfaction.average ?? '' },
    ...SUBSIDY_STATUSES.flatMap((status) => [
      {
        header: t('reports:sheet.subsidyCount', { status: t(`reports:subsidy.${status}`) }),
        value: (f: Figures) => f.subsidies[status].count,
      },
      {
        header: t('reports:sheet.subsidyYuan', { status: t(`reports:subsidy.${status}`) }),
        value: (f: Figures) => f.subsidies[status].yuan,
      },
    ]),
  ];
}

const RATE_HEADERS = (t: Translate) =>
  new Set(['attendance', 'pass', 'employment3m', 'employment6m'].map((k) => t(`reports:table.${k}`)));

/**
 * The outcome report as an .xlsx workbook (exceljs): the total, and one sheet per county, provider and course,
 * with the same figures as the console page. Rates are fractions formatted as percentages.
 */
export async function reportWorkbook(
  report: OutcomeReport,
  t: Translate,
  countyName: (id: string) => string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date();
  const columns = figureColumns(t);
  const rates = RATE_HEADERS(t);
  const sheet = (name: string, keys: string[], rows: { keys: (string | number)[]; figures: Figures }[]) => {
    const ws = workbook.addWorksheet(name);
    ws.addRow([...keys, ...columns.map((c) => c.header)]).font = { bold: true };
    for (const row of rows) ws.addRow([...row.keys, ...columns.map((c) => c.value(row.figures))]);
    columns.forEach((c, i) => {
      const column = ws.getColumn(keys.length + i + 1);
      column.width = Math.max(10, c.header.length * 2);
      if (rates.has(c.header)) column.numFmt = '0.0%';
    });
    keys.forEach((_, i) => {
      ws.getColumn(i + 1).width = 16;
    });
  };
  sheet(
    t('reports:sheet.total'),
    [t('reports:period', report.period), t('reports:table.target'), t('reports:table.progress')],
    [
      {
        keys: [
          `${report.period.from} – ${report.period.to}`,
          report.total.target.sessions,
          report.total.progress.sessions ?? '',
        ],
        figures: report.total,
      },
    ],
  );
  sheet(
    t('reports:sheet.byCounty'),
    [t('reports:table.county'), t('reports:table.target'), t('reports:table.progress')],
    report.byCounty.map((c) => ({
      keys: [countyName(c.county), c.target.sessions, c.progress.sessions ?? ''],
      figures: c.figures,
    })),
  );
  sheet(
    t('reports:sheet.byProvider'),
    [t('reports:table.provider')],
    report.byProvider.map((p) => ({
      keys: [p.provider ?? t('reports:table.noProvider')],
      figures: p.figures,
    })),
  );
  sheet(
    t('reports:sheet.byCourse'),
    [t('reports:table.course'), t('reports:table.county')],
    report.byCourse.map((c) => ({
      keys: [`${c.course} ${c.title}`, countyName(c.county)],
      figures: c.figures,
    })),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
