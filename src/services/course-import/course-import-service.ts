import type { CoordinatorAccess } from '../../core/outreach-ports';
import type { Db } from '../../db/prisma-client';
import { readLocaleResources } from '../../i18n/i18n';
import type { CoordinatorService } from '../coordinator-service';
import type { CourseAdmin } from '../course-admin-service';
import { fieldErrors, type ImportRow, importRowSchema, scheduleOf } from '../course-input-schema';
import { readTable, type TableLimits } from './read-table';
import { diffSchedule, type ScheduleDiff } from './schedule-diff';

/**
 * Course facts a file may leave out: a column the file does not have keeps what the course holds (an older
 * template must not wipe them), while an empty cell in a column it has clears that fact.
 */
export const FACT_COLUMNS = [
  'durationDays',
  'dailyHours',
  'lodging',
  'meals',
  'lodgingNote',
  'address',
  'contactPhone',
  'materials',
  'materialsEn',
  'certificate',
  'certificateEn',
  'minAge',
  'maxAge',
  'eligibleGroups',
  'eligibleCounties',
  'prerequisiteCourseCodes',
  'prerequisiteNote',
] as const;
/** Columns of the import file, in the order of the template. */
export const IMPORT_COLUMNS = [
  'code',
  'title',
  'titleEn',
  'trade',
  'trainingType',
  'county',
  'venue',
  'venueEn',
  'capacity',
  'feeYuan',
  'realNameRequired',
  'status',
  'startsAt',
  'endsAt',
  'sessions',
  'everyDays',
  'description',
  'subsidyText',
  ...FACT_COLUMNS,
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: ImportColumn[] = ['code', 'title', 'trade', 'county', 'venue', 'capacity'];

/** One problem, by line of the file: a column's value (field + error key) or the whole row (field ''). */
export interface ImportProblem {
  line: number;
  code?: string;
  field: string;
  key: string;
}

export interface ImportReport {
  rows: number;
  created: string[];
  updated: string[];
  problems: ImportProblem[];
  /** Required columns the header lacks; nothing was imported then. */
  missingColumns: ImportColumn[];
  encoding?: string;
  /**
   * Changes to existing courses' class sessions the file asks for: none is made by the import itself; the
   * report previews them and a confirmation makes them (schedule-import.ts), telling the people concerned.
   */
  schedule: ScheduleProposal[];
}

/** One existing course's session changes from one row, with how many people they concern. */
export interface ScheduleProposal extends ScheduleDiff {
  line: number;
  code: string;
  title: string;
  /** The course venue the file changes, kept as it was until the moves to the new place are confirmed. */
  venue?: { from: string; to: string; toEn?: string };
  confirmed: number;
  waitlisted: number;
}

const squash = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）*]/g, '');

/** Header cell → column: the column id, snake_case, or its Chinese or English label from locales/console.json. */
function headerAliases(): Map<string, ImportColumn> {
  const map = new Map<string, ImportColumn>();
  const labels = Object.values(readLocaleResources()).map(
    (lng) => (lng['console'] as { import: { column: Record<string, string> } }).import.column,
  );
  for (const column of IMPORT_COLUMNS) {
    map.set(squash(column), column);
    for (const names of labels) if (names[column]) map.set(squash(names[column]), column);
  }
  return map;
}

/**
 * Courses from a CSV or Excel file: every row is checked on its own and the good ones are created (with their
 * sessions) or, for a code the coordinator already manages, updated; a bad row never stops the others and
 * is reported with its line, column and what is wrong.
 */
export function createCourseImport(deps: {
  db: Db;
  courses: CourseAdmin;
  coordinators: CoordinatorService;
  timezone: string;
}) {
  const aliases = headerAliases();
  const rowSchema = importRowSchema(deps.timezone);

  /** What the row would change in the course's class sessions, or nothing when it changes none. */
  async function proposeSchedule(
    course: NonNullable<Awaited<ReturnType<CourseAdmin['find']>>>,
    row: ImportRow,
    line: number,
    given: { sessions: boolean; everyDays: boolean },
  ): Promise<ScheduleProposal | undefined> {
    if (course.status === 'cancelled') return undefined;
    const diff = diffSchedule(course.sessions, course.venue, row, given, deps.timezone, new Date());
    if (!diff.moves.length && !diff.cancels.length && !diff.adds.length && !diff.past.length)
      return undefined;
    const venueMoves = diff.moves.some((m) => m.before.venue !== m.after.venue);
    const counts = await deps.db.enrolment.groupBy({
      by: ['status'],
      where: {
        courseId: course.id,
        status: { in: ['confirmed', 'waitlisted'] },
        person: { deletedAt: null },
      },
      _count: true,
    });
    const n = (s: string) => counts.find((r) => r.status === s)?._count ?? 0;
    return {
      line,
      code: course.code,
      title: course.title,
      ...diff,
      ...(venueMoves ? { venue: { from: course.venue, to: row.venue, toEn: row.venueEn } } : {}),
      confirmed: n('confirmed'),
      waitlisted: n('waitlisted'),
    };
  }

  return {
    async run(
      access: CoordinatorAccess,
      actorId: string,
      file: { name: string; data: Buffer },
      limits?: TableLimits,
    ): Promise<ImportReport> {
      const table = await readTable(file.data, limits);
      const columns = table.header.map((h) => aliases.get(squash(h)));
      const missingColumns = REQUIRED.filter((c) => !columns.includes(c));
      const report: ImportReport = {
        rows: table.rows.length + table.broken.length,
        created: [],
        updated: [],
        problems: table.broken.map((b) => ({ line: b.line, field: '', key: b.reason })),
        missingColumns,
        encoding: table.encoding,
        schedule: [],
      };
      if (missingColumns.length) return report;
      const seen = new Set<string>();
      for (const { line, cells } of table.rows) {
        const raw: Record<string, string> = {};
        columns.forEach((column, i) => {
          const value = cells[i]?.trim();
          if (column && value) raw[column] = value;
        });
        const parsed = rowSchema.safeParse(raw);
        const code = raw['code']?.toUpperCase();
        if (!parsed.success) {
          for (const e of fieldErrors(parsed.error)) report.problems.push({ line, code, ...e });
          continue;
        }
        const row = parsed.data;
        if (seen.has(row.code)) {
          report.problems.push({ line, code: row.code, field: 'code', key: 'duplicate' });
          continue;
        }
        seen.add(row.code);
        const absent = FACT_COLUMNS.filter((c) => !columns.includes(c));
        const given = { sessions: Boolean(raw['sessions']), everyDays: Boolean(raw['everyDays']) };
        await this.apply(access, actorId, row, line, report, absent, given);
      }
      report.problems.sort((a, b) => a.line - b.line);
      await deps.coordinators.audit(actorId, 'course.imported', file.name.slice(0, 120), {
        rows: report.rows,
        created: report.created.length,
        updated: report.updated.length,
        problems: report.problems.length,
        scheduleChanges: report.schedule.length,
      });
      return report;
    },

    async apply(
      access: CoordinatorAccess,
      actorId: string,
      row: ImportRow,
      line: number,
      report: ImportReport,
      absentFacts: readonly (typeof FACT_COLUMNS)[number][] = [],
      given = { sessions: true, everyDays: true },
    ) {
      const mine = await deps.courses.find(access, row.code);
      if (mine) row = { ...row, ...keptFacts(mine, absentFacts) };
      const proposal = mine && (await proposeSchedule(mine, row, line, given));
      // The new course venue waits for the confirmation that moves the classes there.
      if (proposal?.venue && mine) row = { ...row, venue: mine.venue, venueEn: mine.venueEn ?? undefined };
      const exists =
        mine ?? (await deps.db.course.findUnique({ where: { code: row.code }, select: { id: true } }));
      if (exists && !mine) {
        report.problems.push({ line, code: row.code, field: 'code', key: 'not_in_scope' });
        return;
      }
      const change = mine
        ? await deps.courses.update(access, actorId, row.code, row)
        : await deps.courses.create(access, actorId, row, scheduleOf(row, deps.timezone));
      if (change.status === 'ok') {
        (mine ? report.updated : report.created).push(row.code);
        if (proposal) report.schedule.push(proposal);
      } else
        report.problems.push({
          line,
          code: row.code,
          field: change.status === 'not_in_scope' ? 'county' : 'capacity',
          key: change.status,
        });
    },
  };
}

export type CourseImport = ReturnType<typeof createCourseImport>;

/** The stored facts of the columns a file does not have, as import values. */
function keptFacts(
  course: Record<(typeof FACT_COLUMNS)[number], string | number | string[] | null>,
  absent: readonly (typeof FACT_COLUMNS)[number][],
): Partial<ImportRow> {
  return Object.fromEntries(absent.map((c) => [c, course[c] ?? undefined])) as Partial<ImportRow>;
}
