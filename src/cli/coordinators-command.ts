import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { COUNTIES } from '../core/domain';
import { readLocaleResources } from '../i18n/i18n';
import { parseCounty } from '../services/coordinator-service';
import { runDatabaseTask } from './database-task';

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
      const result = await runDatabaseTask('coordinators.invite', {
        role: options.role,
        courseCodes: options.course,
        counties,
        expiresDays: options.expiresDays,
        createdBy: `cli:${userInfo().username}`,
      });
      process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${result.code}\n`);
      if (!options.json) {
        process.stderr.write(
          `Valid until ${result.expiresAt}, once. The person sends "/start ${result.code}" ` +
            `or "邀请码 ${result.code}" to the bot.\n`,
        );
      }
    });
}
