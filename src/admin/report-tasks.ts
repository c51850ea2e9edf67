import type { Config } from '../config';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Database } from '../db/database';
import { createOutcomeReports, reportFilterSchema, reportJson } from '../services/outcome-report-service';

/** The operator at the command line reads the whole city, as an admin does (docs/reports.md). */
const OPERATOR: CoordinatorAccess = { role: 'admin', courseCodes: [], counties: [] };

interface Context {
  database: Database;
  config: Config;
}

/** `jineng report`: the outcome report as one JSON object, per county and in total. */
export const reportTasks = {
  'report.build': {
    input: reportFilterSchema,
    run: async ({ database, config }: Context, filter: ReturnType<typeof reportFilterSchema.parse>) =>
      reportJson(
        await createOutcomeReports({ db: database.prisma, timezone: config.TIMEZONE }).build(
          OPERATOR,
          filter,
        ),
      ),
  },
};
