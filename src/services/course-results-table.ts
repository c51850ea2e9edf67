import { z } from 'zod';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { Db } from '../db/prisma-client';
import { readLocaleResources } from '../i18n/i18n';
import { type RawTable, readTable, type TableLimits } from './course-import/read-table';

/**
 * What the outcome imports (exam marks and certificates, subsidy claims) share: the trainees of one course,
 * finding a file's row among them, header cells read by id or by their Chinese or English label
 * (locales/<lng>/outcomes.json, import.column), and dates typed the ways people type them.
 */

/** A trainee: a confirmed (or attended) sign-up of a person whose data was not erased. */
export interface Trainee {
  enrolmentId: string;
  personId: string;
  name: string;
  phone: string | null;
  idHash: string | null;
  groups: string[];
}

export async function traineesOf(db: Db, courseId: string): Promise<Trainee[]> {
  const rows = await db.enrolment.findMany({
    where: { courseId, status: { in: ['confirmed', 'attended'] }, person: { deletedAt: null } },
    include: { person: { select: { realName: true, phone: true, idNumberHash: true, groups: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((e) => ({
    enrolmentId: e.id,
    personId: e.personId,
    name: e.person.realName ?? '',
    phone: e.person.phone,
    idHash: e.person.idNumberHash,
    groups: e.person.groups,
  }));
}

/** One problem of an import, by line of the file: a column (or '' for the whole row) and an outcomes:import.error key. */
export interface RowProblem {
  line: number;
  field: string;
  key: string;
}

const squash = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）*]/g, '');

/** The table, with each row as { column: value } for the columns its header names (unknown columns ignored). */
export async function readOutcomeTable<C extends string>(
  data: Buffer,
  columns: readonly C[],
  limits?: TableLimits,
): Promise<{ table: RawTable; rows: { line: number; raw: Partial<Record<C, string>> }[]; found: C[] }> {
  const aliases = new Map<string, C>();
  const labels = Object.values(readLocaleResources()).map(
    (lng) => (lng['outcomes'] as { import: { column: Record<string, string> } }).import.column,
  );
  for (const column of columns) {
    aliases.set(squash(column), column);
    for (const names of labels) if (names[column]) aliases.set(squash(names[column]), column);
  }
  const table = await readTable(data, limits);
  const header = table.header.map((h) => aliases.get(squash(h)));
  const rows = table.rows.map(({ line, cells }) => {
    const raw: Partial<Record<C, string>> = {};
    header.forEach((column, i) => {
      const value = cells[i]?.trim();
      if (column && value) raw[column] = value.slice(0, 200);
    });
    return { line, raw };
  });
  return { table, rows, found: header.filter((c): c is C => c !== undefined) };
}

const digits = (s: string) => s.normalize('NFKC').replace(/\D/g, '');
const plainName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * The trainee a row names: by ID number when the row has one (compared by its HMAC, never in the clear), else
 * by name, narrowed by phone when the row has one. Two trainees of the same name and no phone: ambiguous.
 */
export function findTrainee(
  trainees: readonly Trainee[],
  row: { name?: string; phone?: string; idNumber?: string },
  cipher: Pick<PiiCipher, 'hash'>,
): { ok: true; trainee: Trainee } | { ok: false; field: string; key: 'noTrainee' | 'ambiguous' | 'noName' } {
  if (row.idNumber) {
    const hash = cipher.hash(row.idNumber);
    const byId = trainees.find((t) => t.idHash === hash);
    return byId ? { ok: true, trainee: byId } : { ok: false, field: 'idNumber', key: 'noTrainee' };
  }
  if (!row.name) return { ok: false, field: 'name', key: 'noName' };
  let found = trainees.filter((t) => plainName(t.name) === plainName(row.name!));
  if (row.phone) found = found.filter((t) => t.phone && digits(t.phone) === digits(row.phone!));
  if (found.length === 1) return { ok: true, trainee: found[0]! };
  return { ok: false, field: 'name', key: found.length ? 'ambiguous' : 'noTrainee' };
}

/** 2026-12-05, 2026/12/5, 2026.12.5, 2026年12月5日, or Excel's "2026-12-05 00:00": as YYYY-MM-DD. */
export const dateSchema = z
  .string()
  .transform((s) => s.normalize('NFKC').trim())
  .pipe(
    z
      .string()
      .regex(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$/)
      .transform((s) => {
        const [, y, m, d] = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(s)!;
        return `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
      })
      .refine((s) => {
        const date = new Date(`${s}T00:00:00Z`);
        return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === s;
      }),
  );

/** An exam mark 0–100 (whole numbers; "85.0" from Excel is 85). */
export const examScoreSchema = z.coerce.number().int().min(0).max(100);
