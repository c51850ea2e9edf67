import type { Command } from 'commander';
import { COUNTIES } from '../core/domain';
import { readLocaleResources } from '../i18n/i18n';
import { parseCounty } from '../services/coordinator-service';
import { reportFilterSchema } from '../services/outcome-report-service';
import { runDatabaseTask } from './database-task';

/**
 * `jineng report --json [--county X] [--from D --to D] [--group G]`: the outcome report (docs/reports.md) as
 * one JSON object, per county and in total, for a bureau's own systems. Without --json, a short summary.
 */
export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description(
      'training outcomes per county and in total: trained, attendance, pass, employment, satisfaction, subsidies',
    )
    .option('--county <name>', 'one county (id or name, e.g. zhenxiong or 镇雄县)')
    .option('--from <date>', 'first day of the period (course start), YYYY-MM-DD; default 1 January')
    .option('--to <date>', 'last day of the period, YYYY-MM-DD; default today')
    .option('--group <group>', 'only people of this group, e.g. poverty_registered, two_after, rural_worker')
    .option('--course <code>', 'one course')
    .option('--provider <name>', 'one training provider (id or name)')
    .option('--json', 'print the report as one JSON object')
    .action(async (raw: Record<string, string | boolean | undefined>) => {
      let county: string | undefined;
      if (typeof raw.county === 'string') {
        const domain = readLocaleResources()['zh-CN']?.['domain'] as
          | { county?: Record<string, string> }
          | undefined;
        county = parseCounty(raw.county, domain?.county ?? {});
        if (!county) throw new Error(`unknown county "${raw.county}"; one of: ${COUNTIES.join(', ')}`);
      }
      const parsed = reportFilterSchema.safeParse({
        county,
        from: raw.from,
        to: raw.to,
        group: raw.group,
        course: raw.course,
        provider: raw.provider,
      });
      if (!parsed.success)
        throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const report = (await runDatabaseTask('report.build', parsed.data)) as Record<string, unknown> & {
        period: { from: string; to: string };
        total: {
          trained: number;
          trained_poverty: number;
          pass_rate: number | null;
          satisfaction: number | null;
        };
      };
      if (raw.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const t = report.total;
      const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
      process.stdout.write(
        `${report.period.from} … ${report.period.to}: trained ${t.trained} (建档立卡 ${t.trained_poverty}), pass ${pct(t.pass_rate)}, satisfaction ${t.satisfaction ?? '—'}\n`,
      );
    });
}
