import { z } from 'zod';
import { COUNTIES } from '../core/domain';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import type { CoordinatorService } from './coordinator-service';

/** Most question variants one curated answer keeps. */
export const MAX_VARIANTS = 20;

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'valid_until')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'valid_until');

/** What staff write (console form, CLI, an imported row); clause ids are checked against the plan separately. */
export const curatedInputSchema = z.object({
  questions: z
    .array(z.string().trim().max(200, 'question_too_long'))
    .transform((qs) => [...new Set(qs.filter(Boolean))])
    .pipe(z.array(z.string()).min(1, 'questions').max(MAX_VARIANTS, 'questions')),
  answer: z.string().trim().min(1, 'answer').max(2_000, 'answer'),
  clauseIds: z
    .array(z.string().trim())
    .default([])
    .transform((ids) => [...new Set(ids.filter(Boolean))]),
  county: z.enum(COUNTIES).optional(),
  validUntil: day.optional(),
});
export type CuratedInput = z.input<typeof curatedInputSchema>;

export interface CuratedAnswerView {
  id: string;
  version: number;
  questions: string[];
  answer: string;
  clauseIds: string[];
  county?: string;
  validUntil?: string;
  retired: boolean;
  updatedAt: Date;
  updatedBy: string;
}

export type SaveResult =
  | { status: 'saved'; answer: CuratedAnswerView }
  | { status: 'invalid'; issues: string[] }
  | { status: 'not_found' };

/** Who saves: a console user (person id and scope) or an operator's CLI (`cli:<user>`, every scope). */
export type CuratedActor = { personId: string; access: CoordinatorAccess } | { cli: string };

export interface CuratedAnswersDeps {
  db: Db;
  coordinators: Pick<CoordinatorService, 'audit'>;
  /** Whether a clause id names a clause of the plan (docs: ../shared/docs/policy-clause-ids.md). */
  isClause: (id: string) => boolean;
  /** Called after every change so this process's dialog sees it at once (others notice within seconds). */
  changed?: () => void;
}

const dateOnly = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : undefined);

type Row = {
  id: string;
  version: number;
  questions: string[];
  answer: string;
  clauseIds: string[];
  county: string | null;
  validUntil: Date | null;
  retiredAt: Date | null;
  updatedAt: Date;
  updatedBy: string;
};

export function viewOf(r: Row): CuratedAnswerView {
  return {
    id: r.id,
    version: r.version,
    questions: r.questions,
    answer: r.answer,
    clauseIds: r.clauseIds,
    county: r.county ?? undefined,
    validUntil: dateOnly(r.validUntil),
    retired: r.retiredAt !== null,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
}

/**
 * Scope (docs/curated-answers.md): admins and the CLI may write any answer; a county coordinator only answers
 * scoped to one of their counties; others none.
 */
export function mayWrite(actor: CuratedActor, county: string | undefined): boolean {
  if ('cli' in actor) return true;
  if (actor.access.role === 'admin') return true;
  return county !== undefined && actor.access.counties.includes(county);
}

export function mayRead(actor: CuratedActor, county: string | undefined | null): boolean {
  if ('cli' in actor || actor.access.role === 'admin') return true;
  return Boolean(county) && actor.access.counties.includes(county!);
}

/**
 * Staff-written answers (issue 17): versioned (each save a new version row, the old ones kept), audited, and
 * scoped. The dialog reads the live ones through services/curated-answer-book.ts.
 */
export function createCuratedAnswers(deps: CuratedAnswersDeps) {
  const { db } = deps;
  const actorId = (actor: CuratedActor) => ('cli' in actor ? null : actor.personId);
  const actorName = (actor: CuratedActor) => ('cli' in actor ? actor.cli : actor.personId);

  function check(
    raw: unknown,
  ): { ok: true; data: z.output<typeof curatedInputSchema> } | { ok: false; issues: string[] } {
    const parsed = curatedInputSchema.safeParse(raw);
    if (!parsed.success)
      return { ok: false, issues: [...new Set(parsed.error.issues.map((i) => i.message))] };
    const unknown = parsed.data.clauseIds.filter((id) => !deps.isClause(id));
    if (unknown.length) return { ok: false, issues: unknown.map((id) => `clause:${id}`) };
    return { ok: true, data: parsed.data };
  }

  async function audit(actor: CuratedActor, action: 'created' | 'updated' | 'retired', row: Row) {
    const detail = { version: row.version, questions: row.questions.length, by: actorName(actor) };
    if (action === 'created')
      await deps.coordinators.audit(actorId(actor), 'curated.created', row.id, detail);
    else if (action === 'updated')
      await deps.coordinators.audit(actorId(actor), 'curated.updated', row.id, detail);
    else await deps.coordinators.audit(actorId(actor), 'curated.retired', row.id, detail);
  }

  const versionData = (row: Row, by: string) => ({
    answerId: row.id,
    version: row.version,
    questions: row.questions,
    answer: row.answer,
    clauseIds: row.clauseIds,
    county: row.county,
    validUntil: row.validUntil,
    retired: row.retiredAt !== null,
    savedAt: row.updatedAt,
    savedBy: by,
  });

  const fields = (d: z.output<typeof curatedInputSchema>) => ({
    questions: d.questions,
    answer: d.answer,
    clauseIds: d.clauseIds,
    county: d.county ?? null,
    validUntil: d.validUntil ? new Date(`${d.validUntil}T00:00:00Z`) : null,
  });

  return {
    /** A new curated answer (version 1); `fromGroup`: the unanswered questions it answers are closed. */
    async add(actor: CuratedActor, raw: unknown, fromQuestionIds: bigint[] = []): Promise<SaveResult> {
      const checked = check(raw);
      if (!checked.ok) return { status: 'invalid', issues: checked.issues };
      if (!mayWrite(actor, checked.data.county)) return { status: 'invalid', issues: ['county_scope'] };
      const by = actorName(actor);
      const row = await db.$transaction(async (tx) => {
        const created = await tx.curatedAnswer.create({
          data: { ...fields(checked.data), version: 1, updatedBy: by },
        });
        await tx.curatedAnswerVersion.create({ data: versionData(created, by) });
        if (fromQuestionIds.length)
          await tx.unansweredQuestion.updateMany({
            where: { id: { in: fromQuestionIds }, closedAt: null },
            data: { closedAt: new Date(), curatedAnswerId: created.id },
          });
        return created;
      });
      await audit(actor, 'created', row);
      deps.changed?.();
      return { status: 'saved', answer: viewOf(row) };
    },

    /** A new version of an answer the actor may write (and may write to the new county). */
    async update(actor: CuratedActor, id: string, raw: unknown): Promise<SaveResult> {
      const current = await db.curatedAnswer.findUnique({ where: { id } });
      if (!current || !mayRead(actor, current.county) || !mayWrite(actor, current.county ?? undefined))
        return { status: 'not_found' };
      const checked = check(raw);
      if (!checked.ok) return { status: 'invalid', issues: checked.issues };
      if (!mayWrite(actor, checked.data.county)) return { status: 'invalid', issues: ['county_scope'] };
      const by = actorName(actor);
      const row = await db.$transaction(async (tx) => {
        const updated = await tx.curatedAnswer.update({
          where: { id },
          data: { ...fields(checked.data), version: { increment: 1 }, updatedAt: new Date(), updatedBy: by },
        });
        await tx.curatedAnswerVersion.create({ data: versionData(updated, by) });
        return updated;
      });
      await audit(actor, 'updated', row);
      deps.changed?.();
      return { status: 'saved', answer: viewOf(row) };
    },

    /** Withdraws an answer (a new version marked retired): it answers no more. */
    async retire(actor: CuratedActor, id: string): Promise<'retired' | 'not_found'> {
      const current = await db.curatedAnswer.findUnique({ where: { id } });
      if (!current || current.retiredAt || !mayWrite(actor, current.county ?? undefined)) return 'not_found';
      const by = actorName(actor);
      const row = await db.$transaction(async (tx) => {
        const updated = await tx.curatedAnswer.update({
          where: { id },
          data: { retiredAt: new Date(), version: { increment: 1 }, updatedAt: new Date(), updatedBy: by },
        });
        await tx.curatedAnswerVersion.create({ data: versionData(updated, by) });
        return updated;
      });
      await audit(actor, 'retired', row);
      deps.changed?.();
      return 'retired';
    },

    /** The answers the actor may see, newest first (retired ones too when asked). */
    async list(actor: CuratedActor, options: { retired?: boolean } = {}): Promise<CuratedAnswerView[]> {
      const rows = await db.curatedAnswer.findMany({
        where: options.retired ? {} : { retiredAt: null },
        orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
      });
      return rows.filter((r) => mayRead(actor, r.county)).map(viewOf);
    },

    async get(actor: CuratedActor, id: string) {
      const row = await db.curatedAnswer.findUnique({
        where: { id },
        include: { versions: { orderBy: { version: 'desc' } } },
      });
      if (!row || !mayRead(actor, row.county)) return undefined;
      return {
        ...viewOf(row),
        versions: row.versions.map((v) => ({
          version: v.version,
          questions: v.questions,
          answer: v.answer,
          clauseIds: v.clauseIds,
          county: v.county ?? undefined,
          validUntil: dateOnly(v.validUntil),
          retired: v.retired,
          savedAt: v.savedAt,
          savedBy: v.savedBy,
        })),
      };
    },
  };
}

export type CuratedAnswers = ReturnType<typeof createCuratedAnswers>;
