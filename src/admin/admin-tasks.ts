import { z } from 'zod';
import type { Config } from '../config';
import { COUNTIES, type County } from '../core/domain';
import type { Database } from '../db/database';
import { migrate } from '../db/migrate';
import { seedDatabase } from '../db/seed';
import { createCoordinatorService } from '../services/coordinator-service';

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
};

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
