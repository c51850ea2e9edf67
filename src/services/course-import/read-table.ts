import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { decodeText } from './decode-text';
import { checkZipBudget } from './zip-budget';

/** An uploaded table: its header cells, its data rows with their line (CSV) or row (Excel) numbers, and rows that could not be read. */
export interface RawTable {
  header: string[];
  rows: { line: number; cells: string[] }[];
  broken: { line: number; reason: string }[];
  encoding?: string;
}

export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/** Limits of one import; over one, the whole file is refused with a message saying which and how much. */
export interface TableLimits {
  /** Data rows (the header not counted). */
  maxRows: number;
  /** What an .xlsx may expand to, in bytes, counting every part of it. */
  maxUnzippedBytes: number;
}

export const DEFAULT_TABLE_LIMITS: TableLimits = { maxRows: 2_000, maxUnzippedBytes: 50 * 1024 * 1024 };

export class TableTooLargeError extends Error {
  override name = 'TableTooLargeError';
  constructor(
    readonly limit: 'rows' | 'unzipped',
    readonly max: number,
  ) {
    super(`over the import limit of ${max} ${limit === 'rows' ? 'rows' : 'bytes unpacked'}`);
  }
}

function readCsv(buffer: Buffer, { maxRows }: TableLimits): RawTable {
  const { text, encoding } = decodeText(buffer);
  const broken: RawTable['broken'] = [];
  const records = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      broken.push({ line: Number(error?.lines ?? 0), reason: 'syntax' });
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [first, ...rest] = records;
  if (!first) throw new UnreadableFileError('empty');
  if (rest.length > maxRows) throw new TableTooLargeError('rows', maxRows);
  return {
    header: first.record,
    rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
    broken,
    encoding,
  };
}

/** Excel keeps a date as a wall-clock time without a zone; exceljs hands it over as that time in UTC. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 16).replace('T', ' ');
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value).trim();
}

async function readXlsx(buffer: Buffer, limits: TableLimits): Promise<RawTable> {
  const budget = await checkZipBudget(buffer, limits.maxUnzippedBytes);
  if (!budget.ok && budget.reason === 'too_large')
    throw new TableTooLargeError('unzipped', limits.maxUnzippedBytes);
  if (!budget.ok) throw new UnreadableFileError('xlsx');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFileError('xlsx');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount < 1) throw new UnreadableFileError('empty');
  const cells = (row: ExcelJS.Row) => {
    const out: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      out[col - 1] = cellText(cell.value);
    });
    return Array.from(out, (c) => c ?? '');
  };
  const header = cells(sheet.getRow(1));
  const rows: RawTable['rows'] = [];
  sheet.eachRow((row, number) => {
    if (number === 1 || rows.length > limits.maxRows) return;
    const values = cells(row);
    if (values.some((v) => v !== '')) rows.push({ line: number, cells: values });
  });
  if (rows.length > limits.maxRows) throw new TableTooLargeError('rows', limits.maxRows);
  return { header, rows, broken: [] };
}

/** A .xlsx (a zip: starts with PK) or a CSV in any of the encodings Excel writes. */
export async function readTable(buffer: Buffer, limits = DEFAULT_TABLE_LIMITS): Promise<RawTable> {
  if (buffer.length === 0) throw new UnreadableFileError('empty');
  const isZip = buffer[0] === 0x50 && buffer[1] === 0x4b;
  return isZip ? readXlsx(buffer, limits) : readCsv(buffer, limits);
}
