import {
  ATTENDED,
  attendancePct,
  decideResult,
  type FailReason,
  type ResultOutcome,
} from '../core/outcomes/results';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { Db } from '../db/prisma-client';
import type { CoordinatorService } from './coordinator-service';
import type { TableLimits } from './course-import/read-table';
import {
  examScoreSchema,
  findTrainee,
  type RowProblem,
  readOutcomeTable,
  traineesOf,
} from './course-results-table';

export interface CompletionRow {
  enrolmentId: string;
  name: string;
  /** Classes attended (present or late) of those that took place. */
  attended: number;
  held: number;
  attendancePct: number | null;
  examScore: number | null;
  outcome: ResultOutcome;
  reasons: FailReason[];
  /** The result already recorded, if the course was completed before. */
  recorded?: ResultOutcome;
}

export interface CompletionPreview {
  course: {
    id: string;
    code: string;
    title: string;
    titleEn: string | null;
    passAttendancePct: number;
    passExamScore: number | null;
    completedAt: Date | null;
  };
  rows: CompletionRow[];
}

/** Exam marks by sign-up; null clears a mark. */
export type ExamScores = Record<string, number | null>;

export const SCORE_COLUMNS = ['name', 'phone', 'idNumber', 'examScore'] as const;

/**
 * Issue 20, item 2: completing a course. The preview computes each trainee's attendance (Attendance rows over
 * the classes that took place: past and not cancelled) and pass/fail by the course's thresholds and the exam
 * marks given; completing records exactly that as CourseResult rows and sets Course.completedAt. Audited.
 */
export function createCourseResults(deps: { db: Db; cipher: PiiCipher; coordinators: CoordinatorService }) {
  const { db, coordinators } = deps;

  async function courseOf(access: CoordinatorAccess, code: string) {
    return db.course.findFirst({
      where: { AND: [coordinators.inScope(access), { code: code.toUpperCase() }] },
    });
  }

  async function preview(
    access: CoordinatorAccess,
    code: string,
    scores: ExamScores = {},
    now = new Date(),
  ): Promise<CompletionPreview | undefined> {
    const course = await courseOf(access, code);
    if (!course) return undefined;
    const trainees = await traineesOf(db, course.id);
    const held = await db.classSession.findMany({
      where: { courseId: course.id, cancelled: false, startsAt: { lt: now } },
      select: { id: true },
    });
    const heldIds = held.map((s) => s.id);
    const ids = trainees.map((t) => t.enrolmentId);
    const marks = heldIds.length
      ? await db.attendance.groupBy({
          by: ['enrolmentId'],
          where: { enrolmentId: { in: ids }, sessionId: { in: heldIds }, status: { in: [...ATTENDED] } },
          _count: { _all: true },
        })
      : [];
    const attendedBy = new Map(marks.map((m) => [m.enrolmentId, m._count._all]));
    const recorded = new Map(
      (await db.courseResult.findMany({ where: { enrolmentId: { in: ids } } })).map((r) => [
        r.enrolmentId,
        r,
      ]),
    );
    const rows = trainees.map((t): CompletionRow => {
      const attended = attendedBy.get(t.enrolmentId) ?? 0;
      const pct = attendancePct(heldIds.length, attended);
      const previous = recorded.get(t.enrolmentId);
      const examScore =
        t.enrolmentId in scores ? (scores[t.enrolmentId] ?? null) : (previous?.examScore ?? null);
      const decision = decideResult({
        attendancePct: pct,
        passAttendancePct: course.passAttendancePct,
        examScore,
        passExamScore: course.passExamScore,
      });
      return {
        enrolmentId: t.enrolmentId,
        name: t.name,
        attended,
        held: heldIds.length,
        attendancePct: pct,
        examScore,
        ...decision,
        recorded: previous?.outcome as ResultOutcome | undefined,
      };
    });
    return { course, rows };
  }

  return {
    preview,

    /** The pass rules of the course: attendance share (0–100) and the exam's pass mark (null: no exam). */
    async setRules(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      rules: { passAttendancePct: number; passExamScore: number | null },
    ): Promise<boolean> {
      const course = await courseOf(access, code);
      if (!course) return false;
      await db.course.update({ where: { id: course.id }, data: rules });
      await coordinators.audit(actorId, 'course.passRules', course.code, {
        from: { passAttendancePct: course.passAttendancePct, passExamScore: course.passExamScore },
        to: rules,
      });
      return true;
    },

    /** Records every trainee's result as previewed with these marks, and marks the course completed. */
    async complete(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      scores: ExamScores,
      now = new Date(),
    ): Promise<CompletionPreview | undefined> {
      const found = await preview(access, code, scores, now);
      if (!found) return undefined;
      const { course, rows } = found;
      await db.$transaction([
        ...rows.map((r) =>
          db.courseResult.upsert({
            where: { enrolmentId: r.enrolmentId },
            create: {
              enrolmentId: r.enrolmentId,
              courseId: course.id,
              outcome: r.outcome,
              attendancePct: r.attendancePct,
              examScore: r.examScore,
              completedAt: now,
              decidedBy: actorId,
            },
            update: {
              outcome: r.outcome,
              attendancePct: r.attendancePct,
              examScore: r.examScore,
              decidedBy: actorId,
            },
          }),
        ),
        db.course.update({ where: { id: course.id }, data: { completedAt: course.completedAt ?? now } }),
      ]);
      await coordinators.audit(
        actorId,
        course.completedAt ? 'course.resultsChanged' : 'course.completed',
        course.code,
        {
          trainees: rows.length,
          passed: rows.filter((r) => r.outcome === 'passed').length,
          failed: rows.filter((r) => r.outcome === 'failed').length,
          changed: rows.filter((r) => r.recorded && r.recorded !== r.outcome).length,
        },
      );
      return { course: { ...course, completedAt: course.completedAt ?? now }, rows };
    },

    /**
     * Exam marks from a CSV or Excel file (name, phone or ID number, mark): nothing is recorded; the marks
     * fill the completion preview, which staff then confirm. Rows that name no trainee are reported.
     */
    async readScores(
      access: CoordinatorAccess,
      code: string,
      file: { data: Buffer },
      limits?: TableLimits,
    ): Promise<{ scores: ExamScores; problems: RowProblem[]; missingColumns: string[] } | undefined> {
      const course = await courseOf(access, code);
      if (!course) return undefined;
      const { rows, found } = await readOutcomeTable(file.data, SCORE_COLUMNS, limits);
      const missingColumns = [
        ...(found.includes('examScore') ? [] : ['examScore']),
        ...(found.includes('name') || found.includes('idNumber') ? [] : ['name']),
      ];
      const scores: ExamScores = {};
      const problems: RowProblem[] = [];
      if (missingColumns.length) return { scores, problems, missingColumns };
      const trainees = await traineesOf(db, course.id);
      for (const { line, raw } of rows) {
        const who = findTrainee(trainees, raw, deps.cipher);
        if (!who.ok) {
          problems.push({ line, field: who.field, key: who.key });
          continue;
        }
        const score = examScoreSchema.safeParse(raw.examScore);
        if (!score.success) {
          problems.push({ line, field: 'examScore', key: raw.examScore ? 'badScore' : 'noScore' });
          continue;
        }
        scores[who.trainee.enrolmentId] = score.data;
      }
      return { scores, problems, missingColumns };
    },
  };
}

export type CourseResults = ReturnType<typeof createCourseResults>;
