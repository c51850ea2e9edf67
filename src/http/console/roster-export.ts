import ExcelJS from 'exceljs';
import type { Translate } from '../../core/i18n';
import type { RosterRow } from '../../services/roster-service';

const COLUMNS = [
  'name',
  'phone',
  'idNumber',
  'status',
  'waitlistPosition',
  'source',
  'channel',
  'enrolledAt',
] as const;

/** Spreadsheet programs run a cell starting with = + - @ as a formula: names typed in chat must stay text. */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function table(rows: RosterRow[], t: Translate, formatDate: (d: Date) => string): string[][] {
  const header = COLUMNS.map((c) => t(`console:roster.column.${c}`));
  const body = rows.map((r) => [
    safeCell(r.name),
    safeCell(r.phone),
    r.idNumber,
    t(`console:enrolmentStatus.${r.status}`),
    r.waitlistPosition ? String(r.waitlistPosition) : '',
    t(`console:source.${r.source === 'coordinator' ? 'coordinator' : 'self'}`),
    r.channel,
    formatDate(r.enrolledAt),
  ]);
  return [header, ...body];
}

/** UTF-8 with a BOM, so Excel on a Chinese Windows opens it as Unicode rather than GBK. */
export function rosterCsv(rows: RosterRow[], t: Translate, formatDate: (d: Date) => string): Buffer {
  const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const text = table(rows, t, formatDate)
    .map((line) => line.map(quote).join(','))
    .join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${text}\r\n`, 'utf8')]);
}

export async function rosterXlsx(
  rows: RosterRow[],
  t: Translate,
  formatDate: (d: Date) => string,
  sheetName: string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, '-').slice(0, 31));
  for (const line of table(rows, t, formatDate)) sheet.addRow(line);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((column) => {
    column.width = 18;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
