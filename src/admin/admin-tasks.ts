import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DATA_DIR } from '../app/knowledge';
import type { Config } from '../config';
import { COUNTIES, type County } from '../core/domain';
import { parsePolicyDocument } from '../core/policy/policy-loader';
import type { Database } from '../db/database';
import { migrate } from '../db/migrate';
import { seedDatabase } from '../db/seed';
import { createCoordinatorService } from '../services/coordinator-service';
import { type CuratedAnswerView, createCuratedAnswers } from '../services/curated-answers-service';
import { attendanceTasks } from './attendance-tasks';
import { inboxTasks } from './inbox-tasks';
import { reportTasks } from './report-tasks';

/**
 * The CLI's database tasks, each a name, a zod input and a handler. The CLI runs one either on a database it
 * opened itself or, when the embedded database is owned by a running bot, inside that bot through its control
 * socket (src/admin/control-server.ts): the same code either way, and never a second writer.
 */
const inviteInput = z.object({
  role: z.enum(['admin', 'coordinator']),
  courseCodes: z.array(z.string().min(1)),
  counties: z.array(z.enum(COUNTIES)),
  expiresDays: z.number().int().min(1).max(365),
  createdBy: z.string().min(1),
});

const seedInput = z.object({ sampleJson: z.string().min(2), now: z.coerce.date().optional() });

const answersAddInput = z.object({
  questions: z.array(z.string()),
  answer: z.string(),
  clauseIds: z.array(z.string()).default([]),
  county: z.string().optional(),
  validUntil: z.string().optional(),
  by: z.string().min(1),
});

/** Clause ids of the plan the bot answers from (curated answers may cite only these). */
function planClauseIds(): Set<string> {
  const doc = parsePolicyDocument(readFileSync(`${DATA_DIR}policies/zhaotong-2019.json`, 'utf8'));
  return new Set(doc.clauses.map((c) => c.id));
}

function curatedAnswers({ database, config }: TaskContext) {
  const clauses = planClauseIds();
  return createCuratedAnswers({
    db: database.prisma,
    coordinators: createCoordinatorService(database.prisma, config.ADMIN_IDENTITIES),
    isClause: (id) => clauses.has(id),
  });
}

export interface TaskContext {
  database: Database;
  config: Config;
}

function task<S extends z.ZodType, R>(input: S, run: (ctx: TaskContext, input: z.infer<S>) => Promise<R>) {
  return { input, run };
}

export const adminTasks = {
  'db.migrate': task(z.object({}), async ({ database }) =>
    migrate(database.embedded ? database.pool : database.url),
  ),
  'db.seed': task(seedInput, async ({ database, config }, input) =>
    seedDatabase(database.prisma, {
      now: input.now ?? new Date(),
      sampleJson: input.sampleJson,
      timezone: config.TIMEZONE,
    }),
  ),
  'coordinators.invite': task(inviteInput, async ({ database, config }, input) => {
    const db = database.prisma;
    const codes = input.courseCodes.map((c) => c.trim().toUpperCase());
    const known = await db.course.findMany({ where: { code: { in: codes } }, select: { code: true } });
    const missing = codes.filter((c) => !known.some((k) => k.code === c));
    if (missing.length) throw new AdminTaskError(`unknown course code(s): ${missing.join(', ')}`);
    const invite = await createCoordinatorService(db, config.ADMIN_IDENTITIES).createInvite({
      role: input.role,
      courseCodes: codes,
      counties: input.counties as County[],
      expiresDays: input.expiresDays,
      createdBy: input.createdBy,
    });
    return {
      code: invite.code,
      role: input.role,
      courses: codes,
      counties: input.counties,
      expiresAt: invite.expiresAt.toISOString(),
    };
  }),
  /** A curated answer from the operator (docs/curated-answers.md); refused with the reasons when invalid. */
  'answers.add': task(answersAddInput, async (ctx, input) => {
    const { by, ...fields } = input;
    const result = await curatedAnswers(ctx).add({ cli: by }, fields);
    if (result.status !== 'saved')
      throw new AdminTaskError(
        `not saved: ${result.status === 'invalid' ? result.issues.map(issueText).join('; ') : 'not found'}`,
      );
    return jsonOf(result.answer);
  }),
  /** The staff inbox from the command line (docs/staff-inbox.md). */
  ...inboxTasks,
  /** The current check-in code of a class session (docs/attendance.md). */
  ...attendanceTasks,
  /** The outcome report (docs/reports.md). */
  ...reportTasks,
  'answers.list': task(z.object({ retired: z.boolean().default(false) }), async (ctx, input) =>
    (await curatedAnswers(ctx).list({ cli: 'cli' }, { retired: input.retired })).map(jsonOf),
  ),
};

/** A refused curated answer's issue for the operator, its code kept in brackets. */
function issueText(issue: string): string {
  const [code, id] = issue.split(':');
  const words: Record<string, string> = {
    clause: `the plan has no clause ${id}`,
    valid_until: '--valid-until must be a real date YYYY-MM-DD',
    questions: 'give 1 to 20 --question',
    question_too_long: 'a --question is longer than 200 characters',
    answer: '--answer must be 1 to 2000 characters',
  };
  return `${words[code ?? ''] ?? code} (${issue})`;
}

/** A curated answer as the CLI prints it. */
function jsonOf(a: Omit<CuratedAnswerView, 'updatedBy'>) {
  return {
    id: a.id,
    version: a.version,
    questions: a.questions,
    answer: a.answer,
    clauses: a.clauseIds,
    county: a.county ?? null,
    validUntil: a.validUntil ?? null,
    retired: a.retired,
    updatedAt: a.updatedAt.toISOString(),
  };
}

export type AdminTaskName = keyof typeof adminTasks;
export type AdminTaskInput<N extends AdminTaskName> = z.input<(typeof adminTasks)[N]['input']>;
export type AdminTaskResult<N extends AdminTaskName> = Awaited<ReturnType<(typeof adminTasks)[N]['run']>>;

/** A task refused for its input (unknown course…): its message is for the operator, as it is. */
export class AdminTaskError extends Error {}

export const isAdminTaskName = (name: string): name is AdminTaskName => Object.hasOwn(adminTasks, name);

/** Validates the input and runs the task. */
export async function runAdminTask(ctx: TaskContext, name: AdminTaskName, raw: unknown): Promise<unknown> {
  const definition = adminTasks[name];
  const parsed = definition.input.safeParse(raw);
  if (!parsed.success) throw new AdminTaskError(parsed.error.issues.map((i) => i.message).join('; '));
  return (definition.run as (ctx: TaskContext, input: unknown) => Promise<unknown>)(ctx, parsed.data);
}
