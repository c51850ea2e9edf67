import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { z } from 'zod';
import { asLocale, inLocale, type Locale } from '../core/domain';
import type { Translator } from '../core/i18n';
import {
  afterQuietHours,
  documentLabel,
  documentsFor,
  type PersonClaims,
  SUBSIDY_STATUSES,
  type SubsidyDocuments,
  type SubsidyStatus,
  type SubsidyStatusLookup,
  subsidyDocumentsSchema,
  subsidyStatusSchema,
} from '../core/outcomes/subsidies';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { QuietHours } from '../core/reminders/reminder-plan';
import type { Db } from '../db/prisma-client';
import { sqlRunner } from '../db/repositories/sql-runner';
import type { Outbox } from '../delivery/outbox';
import type { Recipients } from '../delivery/recipients';
import type { CoordinatorService } from './coordinator-service';
import type { TableLimits } from './course-import/read-table';
import {
  findTrainee,
  type RowProblem,
  readOutcomeTable,
  type Trainee,
  traineesOf,
} from './course-results-table';

export const SUBSIDY_DOCUMENTS_FILE = new URL('../../data/subsidies/documents.json', import.meta.url);

/** The per-group document lists (data/subsidies/documents.json), checked once at start. */
export function loadSubsidyDocuments(file: URL = SUBSIDY_DOCUMENTS_FILE): SubsidyDocuments {
  return subsidyDocumentsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** A staff change to one or more claims: the status, and (optionally) what is missing and the amount. */
export const claimChangeSchema = z.object({
  status: subsidyStatusSchema,
  /** Document codes of the group's list, or words staff type; replaces the list when given. */
  missingDocs: z.array(z.string().trim().min(1).max(60)).max(12).optional(),
  amountYuan: z.number().int().min(0).max(100_000).nullable().optional(),
});
export type ClaimChange = z.infer<typeof claimChangeSchema>;

export interface ClaimRow {
  enrolmentId: string;
  claimId?: string;
  name: string;
  group?: string;
  status: SubsidyStatus;
  missingDocs: string[];
  needed: string[];
  amountYuan?: number;
  updatedAt?: Date;
}

export const CLAIM_COLUMNS = ['name', 'phone', 'idNumber', 'status', 'missingDocs', 'amountYuan'] as const;

/** A status typed in a file: its code, or its Chinese or English label. */
function statusOf(s: string | undefined, labels: Map<string, SubsidyStatus>): SubsidyStatus | undefined {
  const key = (s ?? '').normalize('NFKC').trim().toLowerCase();
  return labels.get(key);
}

/** The group a claim is under: the one recorded on it, else the first of the sign-up's groups with a list. */
const groupOf = (docs: SubsidyDocuments, trainee: Pick<Trainee, 'groups'>, recorded?: string | null) =>
  recorded ?? trainee.groups.find((g) => docs.groups[g]) ?? trainee.groups[0];

/**
 * Issue 20, item 5: subsidy claims per sign-up, kept by staff (console page, bulk change, file import); every
 * change of status is audited and told to the trainee (or the family member who signed them up) through the
 * outbound queue, keyed subsidy:<claim>:<status> so it is sent once.
 */
export function createSubsidyClaims(deps: {
  db: Db;
  cipher: PiiCipher;
  coordinators: CoordinatorService;
  outbox: Outbox;
  recipients: Recipients;
  translator: Translator;
  documents: SubsidyDocuments;
  timezone: string;
  /** REMINDER_QUIET_HOURS: news of a change made at night waits for the morning. */
  quiet?: QuietHours;
  clock?: () => Date;
}) {
  const { db, coordinators, documents: docs } = deps;
  const courseOf = (access: CoordinatorAccess, code: string) =>
    db.course.findFirst({ where: { AND: [coordinators.inScope(access), { code: code.toUpperCase() }] } });

  const labels = new Map<string, SubsidyStatus>();
  for (const status of SUBSIDY_STATUSES) {
    labels.set(status, status);
    for (const locale of deps.translator.locales)
      labels.set(
        deps.translator.forLocale(locale)(`outcomes:subsidy.status.${status}`).toLowerCase(),
        status,
      );
  }

  /** The status message in the receiver's language: the new status, and what is missing when it says so. */
  function message(
    locale: Locale,
    claim: { status: SubsidyStatus; missingDocs: string[]; amountYuan: number | null },
    course: { code: string; title: string; titleEn: string | null },
    memberName?: string,
  ): string {
    const t = deps.translator.forLocale(locale);
    const lines = [
      t(memberName ? 'outcomes:subsidy.notify.changedFamily' : 'outcomes:subsidy.notify.changed', {
        code: course.code,
        title: inLocale(locale, course.title, course.titleEn),
        status: t(`outcomes:subsidy.status.${claim.status}`),
        name: memberName ?? '',
      }),
    ];
    if (claim.status === 'documents_missing' && claim.missingDocs.length)
      lines.push(
        t('outcomes:subsidy.missing', {
          list: claim.missingDocs
            .map((d) => documentLabel(docs, d)[locale])
            .join(t('outcomes:listSeparator')),
        }),
      );
    if (claim.status === 'paid' && claim.amountYuan)
      lines.push(t('outcomes:subsidy.amount', { yuan: claim.amountYuan }));
    lines.push(t('outcomes:subsidy.notify.ask'));
    return lines.join('\n');
  }

  /** The trainee, or (with no chat of their own) the family member who signed them up. */
  async function notify(
    claim: { id: string; status: SubsidyStatus; missingDocs: string[]; amountYuan: number | null },
    personId: string,
    course: { code: string; title: string; titleEn: string | null },
  ): Promise<void> {
    const person = await db.person.findUnique({
      where: { id: personId },
      select: { locale: true, realName: true },
    });
    if (!person) return;
    let to = {
      personId,
      locale: asLocale(person.locale),
      address: (await deps.recipients.reachable([personId])).get(personId),
    };
    let member: string | undefined;
    if (!to.address) {
      const link = await db.familyLink.findFirst({
        where: { memberId: personId, proxy: { deletedAt: null } },
        orderBy: { createdAt: 'desc' },
        include: { proxy: { select: { locale: true } } },
      });
      const address = link && (await deps.recipients.reachable([link.proxyId])).get(link.proxyId);
      if (link && address) {
        to = { personId: link.proxyId, locale: asLocale(link.proxy.locale), address };
        member = person.realName ?? '';
      }
    }
    const now = deps.clock?.() ?? new Date();
    const sendAt = afterQuietHours(now, deps.timezone, deps.quiet);
    await deps.outbox.enqueue([
      {
        key: `subsidy:${claim.id}:${claim.status}`,
        kind: 'subsidy',
        personId: to.personId,
        address: to.address,
        message: {
          text: message(to.locale, claim, course, member),
          ...(sendAt > now ? { notBefore: sendAt.toISOString() } : {}),
        },
      },
    ]);
  }

  async function apply(
    course: { id: string; code: string; title: string; titleEn: string | null },
    trainee: Trainee,
    change: ClaimChange,
    actorId: string,
    via: 'console' | 'import',
  ): Promise<'changed' | 'same'> {
    const before = await db.subsidyClaim.findUnique({ where: { enrolmentId: trainee.enrolmentId } });
    const group = groupOf(docs, trainee, before?.groupCode);
    const missingDocs =
      change.missingDocs ??
      (change.status === 'documents_missing' && !before?.missingDocs.length
        ? documentsFor(docs, group).documents
        : (before?.missingDocs ?? []));
    const data = {
      groupCode: group ?? null,
      status: change.status,
      missingDocs:
        change.status === 'documents_missing' || change.status === 'not_applied' ? missingDocs : [],
      ...(change.amountYuan !== undefined ? { amountYuan: change.amountYuan } : {}),
      updatedBy: actorId,
    };
    const claim = await db.subsidyClaim.upsert({
      where: { enrolmentId: trainee.enrolmentId },
      create: { enrolmentId: trainee.enrolmentId, ...data },
      update: data,
    });
    const from = (before?.status ?? 'not_applied') as SubsidyStatus;
    const sameDocs = (before?.missingDocs ?? []).join('\n') === claim.missingDocs.join('\n');
    if (from === change.status && sameDocs && before?.amountYuan === claim.amountYuan) return 'same';
    await coordinators.audit(actorId, 'subsidy.changed', course.code, {
      claimId: claim.id,
      enrolmentId: trainee.enrolmentId,
      from,
      to: claim.status,
      missingDocs: claim.missingDocs,
      amountYuan: claim.amountYuan,
      via,
    });
    if (from !== change.status)
      await notify({ ...claim, status: claim.status as SubsidyStatus }, trainee.personId, course);
    return 'changed';
  }

  return {
    documents: docs,

    async forCourse(access: CoordinatorAccess, code: string) {
      const course = await courseOf(access, code);
      if (!course) return undefined;
      const trainees = await traineesOf(db, course.id);
      const claims = new Map(
        (
          await db.subsidyClaim.findMany({
            where: { enrolmentId: { in: trainees.map((t) => t.enrolmentId) } },
          })
        ).map((c) => [c.enrolmentId, c]),
      );
      const rows = trainees.map((t): ClaimRow => {
        const claim = claims.get(t.enrolmentId);
        const group = groupOf(docs, t, claim?.groupCode);
        return {
          enrolmentId: t.enrolmentId,
          claimId: claim?.id,
          name: t.name,
          group,
          status: (claim?.status ?? 'not_applied') as SubsidyStatus,
          missingDocs: claim?.missingDocs ?? [],
          needed: documentsFor(docs, group).documents,
          amountYuan: claim?.amountYuan ?? undefined,
          updatedAt: claim?.updatedAt,
        };
      });
      return { course, rows };
    },

    /** One change for several sign-ups of the course (the page's bulk change); others' ids are ignored. */
    async change(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      enrolmentIds: readonly string[],
      change: ClaimChange,
    ): Promise<{ changed: number; same: number } | undefined> {
      const course = await courseOf(access, code);
      if (!course) return undefined;
      const wanted = new Set(enrolmentIds);
      const result = { changed: 0, same: 0 };
      for (const trainee of (await traineesOf(db, course.id)).filter((t) => wanted.has(t.enrolmentId)))
        result[await apply(course, trainee, change, actorId, 'console')]++;
      return result;
    },

    /** Claims from a CSV or Excel file (name / phone / ID number, status, missing documents, amount). */
    async import(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      file: { name: string; data: Buffer },
      limits?: TableLimits,
    ) {
      const course = await courseOf(access, code);
      if (!course) return undefined;
      const { rows, found } = await readOutcomeTable(file.data, CLAIM_COLUMNS, limits);
      const missingColumns = [
        ...(found.includes('name') || found.includes('idNumber') ? [] : ['name']),
        ...(found.includes('status') ? [] : ['status']),
      ];
      const report = { rows: rows.length, changed: 0, problems: [] as RowProblem[], missingColumns };
      if (missingColumns.length) return report;
      const trainees = await traineesOf(db, course.id);
      const docCodes = new Map(
        Object.entries(docs.documents).flatMap(([code, label]) => [
          [label['zh-CN'], code],
          [label.en.toLowerCase(), code],
          [code, code],
        ]),
      );
      for (const { line, raw } of rows) {
        const who = findTrainee(trainees, raw, deps.cipher);
        if (!who.ok) {
          report.problems.push({ line, field: who.field, key: who.key });
          continue;
        }
        const status = statusOf(raw.status, labels);
        const amount =
          raw.amountYuan === undefined
            ? undefined
            : z.coerce.number().int().min(0).max(100_000).safeParse(raw.amountYuan);
        if (!status) report.problems.push({ line, field: 'status', key: 'badStatus' });
        if (amount && !amount.success) report.problems.push({ line, field: 'amountYuan', key: 'badAmount' });
        if (!status || (amount && !amount.success)) continue;
        const missingDocs = raw.missingDocs
          ?.split(/[、,，;；/\n]+/)
          .map((d) => d.trim())
          .filter(Boolean)
          .slice(0, 12)
          .map((d) => docCodes.get(d) ?? docCodes.get(d.toLowerCase()) ?? d.slice(0, 60));
        const outcome = await apply(
          course,
          who.trainee,
          { status, missingDocs, ...(amount?.success ? { amountYuan: amount.data } : {}) },
          actorId,
          'import',
        );
        if (outcome === 'changed') report.changed++;
      }
      await coordinators.audit(actorId, 'subsidy.imported', course.code, {
        file: file.name.slice(0, 120),
        rows: report.rows,
        changed: report.changed,
        problems: report.problems.length,
      });
      return report;
    },
  };
}

export type SubsidyClaims = ReturnType<typeof createSubsidyClaims>;

/**
 * Whether the person ($1) has a sign-up with a claim to show or a family member (most who ask have neither): the
 * Prisma reads below, whose query compiler alone costs several ms of CPU, are then skipped.
 */
const HAS_CLAIMS_SQL = `
  SELECT 1 WHERE EXISTS (
    SELECT 1 FROM enrolments WHERE person_id = $1::uuid AND status IN ('confirmed', 'attended')
  ) OR EXISTS (
    SELECT 1 FROM family_links f JOIN people m ON m.id = f.member_id AND m.deleted_at IS NULL
    WHERE f.proxy_id = $1::uuid
  )`;

/**
 * "补贴发了没": the writer's claims (every confirmed sign-up has one, 未申请 when staff made none), then their
 * family's. `pool` (the runtime's `pg` pool) carries the cheap check before the Prisma reads, when given.
 */
export function createSubsidyStatusLookup(
  db: Db,
  docs: SubsidyDocuments,
  pool?: pg.Pool,
): SubsidyStatusLookup {
  const sql = sqlRunner(db, pool, new Map([[HAS_CLAIMS_SQL, 'jineng_has_claims']]));
  async function claimsOf(personId: string, memberName?: string): Promise<PersonClaims> {
    const enrolments = await db.enrolment.findMany({
      where: { personId, status: { in: ['confirmed', 'attended'] } },
      include: { course: true, subsidyClaim: true, person: { select: { groups: true } } },
      orderBy: { createdAt: 'desc' },
    });
    return {
      memberName,
      claims: enrolments
        .filter((e) => e.subsidyClaim || e.course.realNameRequired)
        .map((e) => {
          const claim = e.subsidyClaim;
          const group = groupOf(docs, e.person, claim?.groupCode);
          const list = documentsFor(docs, group);
          return {
            course: {
              code: e.course.code,
              title: { 'zh-CN': e.course.title, en: e.course.titleEn ?? e.course.title },
            },
            status: (claim?.status ?? 'not_applied') as SubsidyStatus,
            group,
            missing: (claim?.missingDocs ?? []).map((d) => documentLabel(docs, d)),
            needed: list.documents.map((d) => documentLabel(docs, d)),
            clauses: list.clauses,
            amountYuan: claim?.amountYuan ?? undefined,
            updatedAt: claim?.updatedAt ?? e.createdAt,
          };
        }),
    };
  }
  return {
    async forPerson(personId) {
      if ((await sql.query(HAS_CLAIMS_SQL, [personId])).length === 0)
        return [{ memberName: undefined, claims: [] }];
      const links = await db.familyLink.findMany({
        where: { proxyId: personId, member: { deletedAt: null } },
        include: { member: { select: { realName: true } } },
        orderBy: { createdAt: 'asc' },
      });
      return [
        await claimsOf(personId),
        ...(await Promise.all(links.map((l) => claimsOf(l.memberId, l.member.realName ?? '')))),
      ];
    },
  };
}
