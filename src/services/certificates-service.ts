import { z } from 'zod';
import {
  CERTIFICATE_TYPES,
  type CertificateLookup,
  type CertificateType,
  type PersonOutcomes,
} from '../core/outcomes/certificates';
import type { ResultOutcome } from '../core/outcomes/results';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { Db } from '../db/prisma-client';
import { Prisma } from '../generated/prisma/client';
import type { CoordinatorService } from './coordinator-service';
import type { TableLimits } from './course-import/read-table';
import {
  dateSchema,
  findTrainee,
  type RowProblem,
  readOutcomeTable,
  traineesOf,
} from './course-results-table';

/** Certificate numbers as printed: letters, digits and - / . ; no spaces, at most 40 characters. */
const certificateNumber = z
  .string()
  .transform((s) => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9\-/.]{2,39}$/));

export const certificateInputSchema = z.object({
  enrolmentId: z.uuid(),
  type: z.enum(CERTIFICATE_TYPES),
  number: certificateNumber,
  issuedOn: dateSchema,
});
export type CertificateInput = z.infer<typeof certificateInputSchema>;

export const CERTIFICATE_COLUMNS = [
  'name',
  'phone',
  'idNumber',
  'certificateType',
  'certificateNumber',
  'issuedOn',
] as const;

/** A type typed in a file: its code, or its Chinese name (职业技能等级证书 …), or a short form of it. */
const TYPE_WORDS: ReadonlyArray<[CertificateType, RegExp]> = [
  ['skill_level', /^(skill_?level|职业技能等级(证书)?|技能等级(证书)?|等级证)$/iu],
  ['special_ability', /^(special_?ability|专项职业能力(证书)?|专项能力(证书)?|专项证)$/iu],
  ['training', /^(training|培训合格(证|证书)?|合格证|结业证(书)?)$/iu],
];
const typeOf = (s: string | undefined) => TYPE_WORDS.find(([, re]) => re.test((s ?? '').trim()))?.[0];

export type RecordOutcome = 'ok' | 'duplicate' | 'notTrainee';

export interface CourseCertificates {
  course: { id: string; code: string; title: string; titleEn: string | null; completedAt: Date | null };
  trainees: {
    enrolmentId: string;
    name: string;
    outcome?: ResultOutcome;
    certificates: { id: string; type: CertificateType; number: string; issuedOn: Date }[];
  }[];
}

/** Certificates per trainee of a course: recorded by staff (form or file), read by the trainee ("我的证书"). Audited. */
export function createCertificates(deps: { db: Db; cipher: PiiCipher; coordinators: CoordinatorService }) {
  const { db, coordinators } = deps;
  const courseOf = (access: CoordinatorAccess, code: string) =>
    db.course.findFirst({ where: { AND: [coordinators.inScope(access), { code: code.toUpperCase() }] } });

  async function insert(
    course: { id: string },
    trainee: { enrolmentId: string; personId: string },
    input: Omit<CertificateInput, 'enrolmentId'>,
  ): Promise<RecordOutcome> {
    try {
      await db.certificate.create({
        data: {
          personId: trainee.personId,
          enrolmentId: trainee.enrolmentId,
          courseId: course.id,
          type: input.type,
          number: input.number,
          issuedOn: new Date(`${input.issuedOn}T00:00:00Z`),
        },
      });
      return 'ok';
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return 'duplicate';
      throw error;
    }
  }

  return {
    async forCourse(access: CoordinatorAccess, code: string): Promise<CourseCertificates | undefined> {
      const course = await courseOf(access, code);
      if (!course) return undefined;
      const trainees = await traineesOf(db, course.id);
      const ids = trainees.map((t) => t.enrolmentId);
      const [certificates, results] = await Promise.all([
        db.certificate.findMany({ where: { enrolmentId: { in: ids } }, orderBy: { createdAt: 'asc' } }),
        db.courseResult.findMany({ where: { enrolmentId: { in: ids } } }),
      ]);
      const outcome = new Map(results.map((r) => [r.enrolmentId, r.outcome as ResultOutcome]));
      return {
        course,
        trainees: trainees.map((t) => ({
          enrolmentId: t.enrolmentId,
          name: t.name,
          outcome: outcome.get(t.enrolmentId),
          certificates: certificates
            .filter((c) => c.enrolmentId === t.enrolmentId)
            .map((c) => ({
              id: c.id,
              type: c.type as CertificateType,
              number: c.number,
              issuedOn: c.issuedOn,
            })),
        })),
      };
    },

    async record(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      input: CertificateInput,
    ): Promise<RecordOutcome | undefined> {
      const course = await courseOf(access, code);
      if (!course) return undefined;
      const trainee = (await traineesOf(db, course.id)).find((t) => t.enrolmentId === input.enrolmentId);
      if (!trainee) return 'notTrainee';
      const outcome = await insert(course, trainee, input);
      if (outcome === 'ok')
        await coordinators.audit(actorId, 'certificate.recorded', course.code, {
          enrolmentId: trainee.enrolmentId,
          type: input.type,
          number: input.number,
          issuedOn: input.issuedOn,
        });
      return outcome;
    },

    async remove(access: CoordinatorAccess, actorId: string, code: string, id: string): Promise<boolean> {
      const course = await courseOf(access, code);
      if (!course) return false;
      const removed = await db.certificate.deleteMany({ where: { id, courseId: course.id } });
      if (removed.count)
        await coordinators.audit(actorId, 'certificate.removed', course.code, { certificateId: id });
      return removed.count > 0;
    },

    /** Certificates from a CSV or Excel file; every row on its own, a bad row reported by line and column. */
    async import(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      file: { name: string; data: Buffer },
      limits?: TableLimits,
    ) {
      const course = await courseOf(access, code);
      if (!course) return undefined;
      const { rows, found } = await readOutcomeTable(file.data, CERTIFICATE_COLUMNS, limits);
      const missingColumns = [
        ...(found.includes('name') || found.includes('idNumber') ? [] : ['name']),
        ...(['certificateType', 'certificateNumber', 'issuedOn'] as const).filter((c) => !found.includes(c)),
      ];
      const report = { rows: rows.length, recorded: 0, problems: [] as RowProblem[], missingColumns };
      if (missingColumns.length) return report;
      const trainees = await traineesOf(db, course.id);
      for (const { line, raw } of rows) {
        const who = findTrainee(trainees, raw, deps.cipher);
        if (!who.ok) {
          report.problems.push({ line, field: who.field, key: who.key });
          continue;
        }
        const type = typeOf(raw.certificateType);
        const number = certificateNumber.safeParse(raw.certificateNumber ?? '');
        const issuedOn = dateSchema.safeParse(raw.issuedOn ?? '');
        if (!type) report.problems.push({ line, field: 'certificateType', key: 'badType' });
        if (!number.success) report.problems.push({ line, field: 'certificateNumber', key: 'badNumber' });
        if (!issuedOn.success) report.problems.push({ line, field: 'issuedOn', key: 'badDate' });
        if (!type || !number.success || !issuedOn.success) continue;
        const outcome = await insert(course, who.trainee, {
          type,
          number: number.data,
          issuedOn: issuedOn.data,
        });
        if (outcome === 'ok') report.recorded++;
        else report.problems.push({ line, field: 'certificateNumber', key: 'duplicate' });
      }
      await coordinators.audit(actorId, 'certificate.imported', course.code, {
        file: file.name.slice(0, 120),
        rows: report.rows,
        recorded: report.recorded,
        problems: report.problems.length,
      });
      return report;
    },
  };
}

export type Certificates = ReturnType<typeof createCertificates>;

/** "我的证书": the writer's certificates and course results, then those of each family member they manage. */
export function createCertificateLookup(db: Db): CertificateLookup {
  const titleOf = (c: { title: string; titleEn: string | null }) => ({
    'zh-CN': c.title,
    en: c.titleEn ?? c.title,
  });
  async function outcomesOf(personId: string, memberName?: string): Promise<PersonOutcomes> {
    const [certificates, enrolments] = await Promise.all([
      db.certificate.findMany({ where: { personId }, orderBy: { issuedOn: 'desc' } }),
      db.enrolment.findMany({
        where: { personId, status: { in: ['confirmed', 'attended'] } },
        include: { course: true, result: true },
        orderBy: { createdAt: 'desc' },
      }),
    ]);
    const courses = new Map(enrolments.map((e) => [e.courseId, e.course]));
    const missing = certificates
      .filter((c) => c.courseId && !courses.has(c.courseId))
      .map((c) => c.courseId!);
    for (const c of missing.length ? await db.course.findMany({ where: { id: { in: missing } } }) : [])
      courses.set(c.id, c);
    return {
      memberName,
      certificates: certificates.map((c) => {
        const course = c.courseId ? courses.get(c.courseId) : undefined;
        return {
          type: c.type as CertificateType,
          number: c.number,
          issuedOn: c.issuedOn.toISOString().slice(0, 10),
          course: course ? { code: course.code, title: titleOf(course) } : undefined,
        };
      }),
      results: enrolments.flatMap((e) =>
        e.result
          ? [
              {
                course: { code: e.course.code, title: titleOf(e.course) },
                outcome: e.result.outcome as ResultOutcome,
                completedAt: e.result.completedAt,
              },
            ]
          : [],
      ),
      pending: enrolments
        .filter((e) => !e.result && e.status === 'confirmed')
        .map((e) => ({ code: e.course.code, title: titleOf(e.course) })),
    };
  }
  return {
    async forPerson(personId) {
      const links = await db.familyLink.findMany({
        where: { proxyId: personId, member: { deletedAt: null } },
        include: { member: { select: { realName: true } } },
        orderBy: { createdAt: 'asc' },
      });
      return [
        await outcomesOf(personId),
        ...(await Promise.all(links.map((l) => outcomesOf(l.memberId, l.member.realName ?? '')))),
      ];
    },
  };
}
