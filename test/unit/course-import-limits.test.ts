import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  readTable,
  TableTooLargeError,
  UnreadableFileError,
} from '../../src/services/course-import/read-table';
import { checkZipBudget } from '../../src/services/course-import/zip-budget';
import { zipBomb } from '../support/zip-bomb';

const MB = 1024 * 1024;
const limits = (maxRows: number, unzippedMb = 50) => ({ maxRows, maxUnzippedBytes: unzippedMb * MB });

async function xlsx(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('课程');
  sheet.addRow(['code', 'title']);
  for (let i = 1; i <= rows; i += 1) sheet.addRow([`ZX-DS-${i}`, `班 ${i}`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('an uploaded .xlsx that expands without limit', () => {
  it('is refused before it is unpacked when its directory admits the size (300 MB from a few hundred KB)', async () => {
    const bomb = zipBomb(300);
    expect(bomb.length).toBeLessThan(1 * MB);
    const refused = await readTable(bomb, limits(2_000)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TableTooLargeError);
    expect(refused).toMatchObject({ limit: 'unzipped', max: 50 * MB });
  });

  it('is refused after at most the budget was inflated when its directory lies about the size', async () => {
    const bomb = zipBomb(300, 'lie');
    expect(await checkZipBudget(bomb, 50 * MB)).toEqual({ ok: false, reason: 'too_large' });
    await expect(readTable(bomb, limits(2_000))).rejects.toBeInstanceOf(TableTooLargeError);
  });

  it('lets a real workbook through, and calls a file that only starts like a zip unreadable', async () => {
    const file = await xlsx(3);
    const verdict = await checkZipBudget(file, 50 * MB);
    expect(verdict.ok).toBe(true);
    expect((await readTable(file, limits(2_000))).rows).toHaveLength(3);
    await expect(readTable(Buffer.from('PK\u0003\u0004 not a zip'), limits(10))).rejects.toBeInstanceOf(
      UnreadableFileError,
    );
  });
});

describe('the row limit', () => {
  it('refuses a CSV or .xlsx with more data rows than allowed instead of cutting it short', async () => {
    const csv = (n: number) =>
      Buffer.from(['code,title', ...Array.from({ length: n }, (_, i) => `ZX-DS-${i},班`)].join('\n'));
    expect((await readTable(csv(5), limits(5))).rows).toHaveLength(5);
    await expect(readTable(csv(6), limits(5))).rejects.toMatchObject({ limit: 'rows', max: 5 });
    expect((await readTable(await xlsx(5), limits(5))).rows).toHaveLength(5);
    await expect(readTable(await xlsx(6), limits(5))).rejects.toMatchObject({ limit: 'rows', max: 5 });
  });
});
