import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { openDatabase } from '../app/runtime';
import { COUNTIES, type County } from '../core/domain';
import { createPrisma } from '../db/prisma-client';
import { readLocaleResources } from '../i18n/i18n';
import { createCoordinatorService, parseCounty } from '../services/coordinator.service';
import { boot } from './run-cli';

const inviteOptions = z
  .object({
    course: z.array(z.string().min(1)).default([]),
    county: z.array(z.string().min(1)).default([]),
    role: z.enum(['admin', 'coordinator']).default('coordinator'),
    expiresDays: z.coerce.number().int().min(1).max(365).default(14),
    json: z.boolean().optional(),
  })
  .refine((o) => o.role === 'admin' || o.course.length > 0 || o.county.length > 0, {
    message: 'a coordinator invite needs --course <code> or --county <name> (or --role admin)',
  });

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',')];

/** `coordinators invite`: an admin makes a one-time code that a person redeems in chat ("/start CODE"). */
export function registerCoordinatorCommands(program: Command): void {
  const group = program.command('coordinators').description('training coordinators and their invite codes');
  group
    .command('invite')
    .description('create an invite code for a coordinator of some courses or counties, and print it')
    .option(
      '--course <code>',
      'a course code the coordinator manages (repeatable, or comma-separated)',
      collect,
    )
    .option(
      '--county <name>',
      'a county (id or name, e.g. zhenxiong or 镇雄县) whose courses they manage',
      collect,
    )
    .option('--role <role>', 'coordinator or admin', 'coordinator')
    .option('--expires-days <n>', 'days the code stays valid', '14')
    .option('--json', 'print {"code","role","courses","counties","expiresAt"}')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = inviteOptions.safeParse(raw);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
      const options = parsed.data;
      const domain = readLocaleResources()['zh-CN']?.['domain'] as
        | { county?: Record<string, string> }
        | undefined;
      const names = domain?.county ?? {};
      const counties = options.county.map((c) => {
        const id = parseCounty(c, names);
        if (!id) throw new Error(`unknown county "${c}"; one of: ${COUNTIES.join(', ')}`);
        return id;
      });
      const { config, logger } = boot();
      const database = await openDatabase(config, logger);
      const db = createPrisma(database.url);
      try {
        const codes = options.course.map((c) => c.trim().toUpperCase());
        const known = await db.course.findMany({ where: { code: { in: codes } }, select: { code: true } });
        const missing = codes.filter((c) => !known.some((k) => k.code === c));
        if (missing.length) throw new Error(`unknown course code(s): ${missing.join(', ')}`);
        const service = createCoordinatorService(db, config.ADMIN_IDENTITIES);
        const invite = await service.createInvite({
          role: options.role,
          courseCodes: codes,
          counties: counties as County[],
          expiresDays: options.expiresDays,
          createdBy: `cli:${userInfo().username}`,
        });
        const result = {
          code: invite.code,
          role: options.role,
          courses: codes,
          counties,
          expiresAt: invite.expiresAt,
        };
        process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${invite.code}\n`);
        if (!options.json) {
          process.stderr.write(
            `Valid until ${invite.expiresAt.toISOString()}, once. The person sends "/start ${invite.code}" ` +
              `or "邀请码 ${invite.code}" to the bot.\n`,
          );
        }
      } finally {
        await db.$disconnect();
        await database.embedded?.stop();
      }
    });
}
