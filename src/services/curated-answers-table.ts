import ExcelJS from 'exceljs';
import { readTable } from './course-import/read-table';
import type { CuratedActor, CuratedAnswers, CuratedAnswerView } from './curated-answers-service';

/** The columns of an exported (and importable) table of curated answers; questions one per line in their cell. */
export const CURATED_COLUMNS = ['id', 'questions', 'answer', 'clause_ids', 'county', 'valid_until'] as const;

/** Spreadsheet programs run a cell starting with = + - @ as a formula: staff text must stay text. */
const safeCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
const unsafe = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

function rows(answers: CuratedAnswerView[]): string[][] {
  return [
    [...CURATED_COLUMNS],
    ...answers.map((a) => [
      a.id,
      safeCell(a.questions.join('\n')),
      safeCell(a.answer),
      a.clauseIds.join(','),
      a.county ?? '',
      a.validUntil ?? '',
    ]),
  ];
}

/** UTF-8 with a BOM, so Excel on a Chinese Windows opens it as Unicode. */
export function curatedCsv(answers: CuratedAnswerView[]): Buffer {
  const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const text = rows(answers)
    .map((line) => line.map(quote).join(','))
    .join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${text}\r\n`, 'utf8')]);
}

export async function curatedXlsx(answers: CuratedAnswerView[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('curated-answers');
  for (const line of rows(answers)) sheet.addRow(line);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface CuratedImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows not taken, with their line and why (zod issue codes, `clause:<id>`, `county`, `not_found`). */
  problems: { line: number; issues: string[] }[];
}

const same = (
  a: CuratedAnswerView,
  b: Omit<CuratedAnswerView, 'id' | 'version' | 'retired' | 'updatedAt' | 'updatedBy'>,
) =>
  a.answer === b.answer &&
  a.questions.join('\n') === b.questions.join('\n') &&
  a.clauseIds.join(',') === b.clauseIds.join(',') &&
  (a.county ?? '') === (b.county ?? '') &&
  (a.validUntil ?? '') === (b.validUntil ?? '');

/**
 * Reads an exported table (CSV in any encoding Excel writes, or .xlsx) back: a row whose id is a known answer
 * updates it when anything differs (a new version), a row without one adds an answer; nothing else changes.
 */
export async function importCurated(
  service: CuratedAnswers,
  actor: CuratedActor,
  file: Buffer,
  countyOf: (cell: string) => string | undefined,
): Promise<CuratedImportReport> {
  const table = await readTable(file);
  const col = (name: (typeof CURATED_COLUMNS)[number]) =>
    table.header.findIndex((h) => h.trim().toLowerCase() === name);
  const at = Object.fromEntries(CURATED_COLUMNS.map((c) => [c, col(c)])) as Record<
    (typeof CURATED_COLUMNS)[number],
    number
  >;
  const report: CuratedImportReport = { created: 0, updated: 0, unchanged: 0, problems: [] };
  if (at.questions < 0 || at.answer < 0) {
    report.problems.push({ line: 1, issues: ['header'] });
    return report;
  }
  const existing = new Map((await service.list(actor, { retired: true })).map((a) => [a.id, a]));
  for (const { line, cells } of table.rows) {
    const cell = (name: (typeof CURATED_COLUMNS)[number]) =>
      at[name] >= 0 ? unsafe(cells[at[name]] ?? '').trim() : '';
    const countyCell = cell('county');
    const county = countyCell ? countyOf(countyCell) : undefined;
    if (countyCell && !county) {
      report.problems.push({ line, issues: ['county'] });
      continue;
    }
    const input = {
      questions: cell('questions').split(/\r?\n/),
      answer: cell('answer'),
      clauseIds: cell('clause_ids').split(/[,，\s]+/),
      county,
      validUntil: cell('valid_until') || undefined,
    };
    const id = cell('id');
    const known = id ? existing.get(id) : undefined;
    if (
      known &&
      same(known, {
        ...input,
        questions: input.questions.map((q) => q.trim()).filter(Boolean),
        clauseIds: input.clauseIds.filter(Boolean),
      })
    ) {
      report.unchanged++;
      continue;
    }
    const result = known ? await service.update(actor, known.id, input) : await service.add(actor, input);
    if (result.status === 'saved') report[known ? 'updated' : 'created']++;
    else report.problems.push({ line, issues: result.status === 'invalid' ? result.issues : ['not_found'] });
  }
  for (const b of table.broken) report.problems.push({ line: b.line, issues: [b.reason] });
  return report;
}
