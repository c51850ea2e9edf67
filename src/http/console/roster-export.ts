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
  'leave',
] as const;

/** How the file shows ID numbers: masked (everyone), or in full (a subsidy officer's audited export). */
export type IdColumn = 'masked' | 'full';

/** Spreadsheet programs run a cell starting with = + - @ as a formula: names typed in chat must stay text. */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** "请假 12月8日 09:00：家里有事；请假 12月10日 09:00": every class session this person asked leave for. */
function leaveCell(row: RosterRow, t: Translate, formatDate: (d: Date) => string): string {
  return (row.leave ?? [])
    .map(
      (l) => `${t('console:roster.leaveMark')} ${formatDate(l.startsAt)}${l.reason ? `：${l.reason}` : ''}`,
    )
    .join('；');
}

function table(
  rows: RosterRow[],
  t: Translate,
  formatDate: (d: Date) => string,
  ids: IdColumn = 'masked',
): string[][] {
  const header = COLUMNS.map((c) =>
    t(
      c === 'idNumber' && ids === 'full'
        ? 'console:roster.column.idNumberFull'
        : `console:roster.column.${c}`,
    ),
  );
  const body = rows.map((r) => [
    safeCell(r.name),
    safeCell(r.phone),
    r.idNumber,
    t(`console:enrolmentStatus.${r.status}`),
    r.waitlistPosition ? String(r.waitlistPosition) : '',
    t(`console:source.${r.source === 'coordinator' ? 'coordinator' : 'self'}`),
    r.channel,
    formatDate(r.enrolledAt),
    safeCell(leaveCell(r, t, formatDate)),
  ]);
  return [header, ...body];
}

/** UTF-8 with a BOM, so Excel on a Chinese Windows opens it as Unicode rather than GBK. */
export function rosterCsv(
  rows: RosterRow[],
  t: Translate,
  formatDate: (d: Date) => string,
  ids: IdColumn = 'masked',
): Buffer {
  const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const text = table(rows, t, formatDate, ids)
    .map((line) => line.map(quote).join(','))
    .join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${text}\r\n`, 'utf8')]);
}

export async function rosterXlsx(
  rows: RosterRow[],
  t: Translate,
  formatDate: (d: Date) => string,
  sheetName: string,
  ids: IdColumn = 'masked',
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, '-').slice(0, 31));
  for (const line of table(rows, t, formatDate, ids)) sheet.addRow(line);
  // Full ID numbers stay text (Excel would turn 18 digits into 5.30621E+17 and lose the last three).
  if (ids === 'full') sheet.getColumn(COLUMNS.indexOf('idNumber') + 1).numFmt = '@';
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((column) => {
    column.width = 18;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
