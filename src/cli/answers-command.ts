import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { COUNTIES } from '../core/domain';
import { readLocaleResources } from '../i18n/i18n';
import { parseCounty } from '../services/coordinator-service';
import { runDatabaseTask } from './database-task';

const addOptions = z.object({
  question: z.array(z.string()).min(1, 'answers add needs at least one --question "…"'),
  answer: z.string({ error: 'answers add needs --answer "…"' }).min(1, 'answers add needs --answer "…"'),
  clause: z.array(z.string()).default([]),
  county: z.string().optional(),
  validUntil: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '--valid-until must be a date YYYY-MM-DD')
    .optional(),
  json: z.boolean().optional(),
});

const repeat = (value: string, previous: string[] = []) => [...previous, value];
const commaList = (value: string, previous: string[] = []) => [...previous, ...value.split(',')];

/**
 * `answers add` and `answers list`: curated answers from scripts (docs/curated-answers.md). They write to the
 * database the bot reads (or, with the embedded database, through the running bot): the bot answers with a
 * new one within seconds.
 */
export function registerAnswerCommands(program: Command): void {
  const group = program
    .command('answers')
    .description('curated answers: staff-written answers given before the plan');
  group
    .command('add')
    .description('add a curated answer and print it')
    .option('--question <text>', 'a way people ask it (repeatable)', repeat)
    .option('--answer <text>', 'the answer people get')
    .option(
      '--clause <id>',
      'a plan clause id it relies on, e.g. s2.2 (repeatable, or comma-separated)',
      commaList,
    )
    .option('--county <name>', 'only for people of this county (id or name, e.g. zhenxiong or 镇雄县)')
    .option('--valid-until <date>', 'last day it answers, YYYY-MM-DD')
    .option('--json', 'print the answer as one JSON line')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = addOptions.safeParse({ question: [], ...raw });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
      const options = parsed.data;
      let county: string | undefined;
      if (options.county) {
        const domain = readLocaleResources()['zh-CN']?.['domain'] as
          | { county?: Record<string, string> }
          | undefined;
        county = parseCounty(options.county, domain?.county ?? {});
        if (!county) throw new Error(`unknown county "${options.county}"; one of: ${COUNTIES.join(', ')}`);
      }
      const answer = await runDatabaseTask('answers.add', {
        questions: options.question,
        answer: options.answer,
        clauseIds: options.clause,
        county,
        validUntil: options.validUntil,
        by: `cli:${userInfo().username}`,
      });
      process.stdout.write(options.json ? `${JSON.stringify(answer)}\n` : `${answer.id}\n`);
    });
  group
    .command('list')
    .description('list the curated answers in force')
    .option('--retired', 'include withdrawn answers')
    .option('--json', 'one JSON line per answer')
    .action(async (raw: { retired?: boolean; json?: boolean }) => {
      const answers = await runDatabaseTask('answers.list', { retired: Boolean(raw.retired) });
      for (const a of answers) {
        process.stdout.write(
          raw.json
            ? `${JSON.stringify(a)}\n`
            : `${a.id}  v${a.version}  ${a.questions[0] ?? ''} → ${a.answer.slice(0, 60)}\n`,
        );
      }
    });
}
