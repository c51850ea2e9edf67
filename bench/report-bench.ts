import { performance } from 'node:perf_hooks';
import type { Runtime } from '../src/app/compose';
import { COUNTIES } from '../src/core/domain';
import { createTranslator } from '../src/i18n/i18n';
import { reportWorkbook } from '../src/services/outcome-report-xlsx';

export interface ReportBenchResult {
  suite: 'report';
  /** Sign-ups seeded (all statuses); `trained` of them confirmed or attended. */
  enrolments: number;
  trained: number;
  courses: number;
  /** The whole year for the city, as an admin sees it (console page, `jineng report --json`). */
  report_ms: number;
  /** One county's year, as its coordinator sees it. */
  county_report_ms: number;
  /** The city report written as .xlsx (four sheets). */
  xlsx_ms: number;
  /** Peak resident memory of the process while the reports ran. */
  rss_mb: number;
  /** Resident memory before the reports (after seeding). */
  rss_before_mb: number;
  /** Seconds spent seeding (0 when the database already held this seed). */
  seed_s: number;
}

/** The seed's year: wholly in the past, so every class is over (attendance, results and checks all apply). */
const YEAR = 2025;
const PREFIX = 'BR-';
const SEED_NAME = '报表压测';

/**
 * Seeds `enrolments` sign-ups over one year across the 11 counties (one course per ~200 sign-ups, 5 classes
 * each) with check-ins, leave requests, results, satisfaction answers, employment checks and subsidy claims in
 * plausible proportions, in SQL (generate_series: a 400,000 seed takes minutes, not hours). Kept between runs:
 * a database already holding a seed of the same size is not seeded again.
 */
async function seed(runtime: Runtime, enrolments: number): Promise<{ seconds: number; courses: number }> {
  const courses = Math.max(COUNTIES.length, Math.round(enrolments / 200));
  const people = Math.max(250, Math.ceil(enrolments * 0.8));
  const client = await runtime.database.pool.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE c.code LIKE '${PREFIX}%'`,
    );
    if (Number(rows[0]!.n) === enrolments) return { seconds: 0, courses };
    const started = performance.now();
    const counties = `ARRAY[${COUNTIES.map((c) => `'${c}'`).join(',')}]`;
    await client.query(`
      DELETE FROM leave_requests WHERE enrolment_id IN
        (SELECT e.id FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE c.code LIKE '${PREFIX}%');
      DELETE FROM courses WHERE code LIKE '${PREFIX}%';
      DELETE FROM providers WHERE id LIKE '${PREFIX}%';
      DELETE FROM people WHERE real_name LIKE '${SEED_NAME}%';
      SELECT setseed(0.2025);
      INSERT INTO providers (id, name, county)
        SELECT '${PREFIX}P' || g, '压测培训机构' || g, (${counties})[1 + g % 11]
        FROM generate_series(0, 65) g;
      INSERT INTO people (id, real_name, county, groups, updated_at, deleted_at)
        SELECT gen_random_uuid(), '${SEED_NAME}' || g, (${counties})[1 + g % 11],
          CASE
            WHEN g % 100 < 8 THEN ARRAY['poverty_registered', 'rural_worker']
            WHEN g % 100 < 20 THEN ARRAY['two_after']
            WHEN g % 100 < 60 THEN ARRAY['rural_worker']
            WHEN g % 100 < 65 THEN ARRAY['unemployed']
            ELSE ARRAY[]::text[]
          END,
          now(), CASE WHEN g % 1000 = 999 THEN now() END
        FROM generate_series(0, ${people - 1}) g;
      INSERT INTO courses (id, code, title, trade, training_type, county, provider_id, venue, capacity,
                           seats_taken, status, updated_at, completed_at)
        SELECT gen_random_uuid(), '${PREFIX}' || lpad(g::text, 5, '0'), '压测课程' || g, 'ecommerce', 'employment',
          (${counties})[1 + g % 11],
          CASE WHEN g % 20 = 19 THEN NULL ELSE '${PREFIX}P' || ((g % 11) + 11 * ((g / 11) % 6)) END,
          'bench', 250, 200, 'closed', now(), now()
        FROM generate_series(0, ${courses - 1}) g;
      INSERT INTO class_sessions (id, course_id, starts_at, ends_at, venue, cancelled)
        SELECT gen_random_uuid(), c.id,
          timestamptz '${YEAR}-01-02 01:00:00+00' + (((substr(c.code, 4)::int * 7919) % 355) + k) * interval '1 day',
          timestamptz '${YEAR}-01-02 04:00:00+00' + (((substr(c.code, 4)::int * 7919) % 355) + k) * interval '1 day',
          'bench', substr(c.code, 4)::int % 30 = 0 AND k = 4
        FROM courses c CROSS JOIN generate_series(0, 4) k WHERE c.code LIKE '${PREFIX}%';
      CREATE TEMP TABLE br_courses AS
        SELECT id, substr(code, 4)::int AS n FROM courses WHERE code LIKE '${PREFIX}%';
      CREATE TEMP TABLE br_people AS
        SELECT id, substr(real_name, ${SEED_NAME.length + 1})::int AS n FROM people WHERE real_name LIKE '${SEED_NAME}%';
      CREATE INDEX ON br_people (n);
      INSERT INTO enrolments (id, person_id, course_id, status, waitlist_position, updated_at)
        SELECT gen_random_uuid(), p.id, c.id,
          CASE WHEN (g / ${courses}) % 50 = 0 THEN 'cancelled' WHEN (g / ${courses}) % 50 = 1 THEN 'waitlisted'
               WHEN random() < 0.6 THEN 'attended' ELSE 'confirmed' END,
          CASE WHEN (g / ${courses}) % 50 = 1 THEN g END, now()
        FROM generate_series(0, ${enrolments - 1}) g
        JOIN br_courses c ON c.n = g % ${courses}
        JOIN br_people p ON p.n = ((g % ${courses}) * 211 + g / ${courses}) % ${people};
      CREATE TEMP TABLE br_enrolments AS
        SELECT e.id, e.course_id FROM enrolments e JOIN br_courses c ON c.id = e.course_id
        WHERE e.status IN ('confirmed', 'attended');
      INSERT INTO attendance (id, enrolment_id, session_id, status, method, checked_in_at, updated_at)
        SELECT gen_random_uuid(), x.id, x.session_id,
          CASE WHEN x.r < 0.80 THEN 'present' WHEN x.r < 0.86 THEN 'late'
               WHEN x.r < 0.89 THEN 'absent' ELSE 'excused' END,
          CASE WHEN x.r < 0.86 THEN 'code' ELSE 'manual' END, x.starts_at, now()
        FROM (SELECT e.id, s.id AS session_id, s.starts_at, random() AS r
              FROM br_enrolments e JOIN class_sessions s ON s.course_id = e.course_id AND NOT s.cancelled) x
        WHERE x.r < 0.91;
      INSERT INTO leave_requests (id, enrolment_id, session_id)
        SELECT gen_random_uuid(), e.id, s.id
        FROM br_enrolments e JOIN class_sessions s ON s.course_id = e.course_id
        WHERE random() < 0.02;
      INSERT INTO course_results (id, enrolment_id, course_id, outcome, attendance_pct)
        SELECT gen_random_uuid(), id, course_id, CASE WHEN random() < 0.86 THEN 'passed' ELSE 'failed' END, 90
        FROM br_enrolments WHERE random() < 0.9;
      INSERT INTO satisfaction_surveys (id, enrolment_id, course_id, asked_at, answered_at, rating)
        SELECT gen_random_uuid(), id, course_id, now(), CASE WHEN r < 0.6 THEN now() END,
          CASE WHEN r < 0.6 THEN 1 + floor(random() * 5)::int END
        FROM (SELECT id, course_id, random() AS r FROM br_enrolments WHERE random() < 0.8) x;
      INSERT INTO employment_checks (id, enrolment_id, course_id, months, due_at, asked_at, answered_at, status)
        SELECT gen_random_uuid(), id, course_id, 3, now(), now(), CASE WHEN r < 0.6 THEN now() END,
          CASE WHEN r >= 0.6 THEN NULL WHEN r < 0.27 THEN 'employed' WHEN r < 0.36 THEN 'self_employed'
               WHEN r < 0.54 THEN 'looking' ELSE 'not_looking' END
        FROM (SELECT id, course_id, random() AS r FROM br_enrolments WHERE random() < 0.75) x;
      INSERT INTO employment_checks (id, enrolment_id, course_id, months, due_at, asked_at, answered_at, status)
        SELECT gen_random_uuid(), id, course_id, 6, now(), now(), CASE WHEN r < 0.6 THEN now() END,
          CASE WHEN r >= 0.6 THEN NULL WHEN r < 0.27 THEN 'employed' WHEN r < 0.36 THEN 'self_employed'
               WHEN r < 0.54 THEN 'looking' ELSE 'not_looking' END
        FROM (SELECT id, course_id, random() AS r FROM br_enrolments WHERE random() < 0.6) x;
      INSERT INTO subsidy_claims (id, enrolment_id, status, amount_yuan, updated_at)
        SELECT gen_random_uuid(), id,
          CASE WHEN r < 0.15 THEN 'not_applied' WHEN r < 0.25 THEN 'documents_missing'
               WHEN r < 0.45 THEN 'submitted' WHEN r < 0.6 THEN 'approved' ELSE 'paid' END,
          CASE WHEN r >= 0.6 THEN 800 + 100 * floor(random() * 17)::int END, now()
        FROM (SELECT id, random() AS r FROM br_enrolments WHERE random() < 0.85) x;
      DROP TABLE br_courses, br_people, br_enrolments;
    `);
    await client.query('ANALYZE');
    return { seconds: Math.round((performance.now() - started) / 100) / 10, courses };
  } finally {
    client.release();
  }
}

const mb = (bytes: number) => Math.round(bytes / 1_048_576);

/**
 * `npm run bench -- report [--enrolments N] --json`: the outcome report (docs/reports.md) over a year of
 * `enrolments` sign-ups (default 400,000, the plan's yearly figure): the city for an admin, one county for its
 * coordinator, and the Excel export; with the process's peak memory.
 */
export async function benchReport(runtime: Runtime, enrolments = 400_000): Promise<ReportBenchResult> {
  const seeded = await seed(runtime, enrolments);
  const reports = runtime.console.reports;
  const filter = { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` };
  const admin = { role: 'admin' as const, courseCodes: [], counties: [] };
  const county = { role: 'coordinator' as const, courseCodes: [], counties: ['zhenxiong'] };
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    let t = performance.now();
    const report = await reports.build(admin, filter);
    const reportMs = performance.now() - t;
    t = performance.now();
    await reports.build(county, filter);
    const countyMs = performance.now() - t;
    const translate = createTranslator().forLocale('zh-CN');
    t = performance.now();
    await reportWorkbook(report, translate, (id) => translate(`domain:county.${id}`));
    const xlsxMs = performance.now() - t;
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      suite: 'report',
      enrolments,
      trained: report.total.trained,
      courses: report.byCourse.length,
      report_ms: Math.round(reportMs),
      county_report_ms: Math.round(countyMs),
      xlsx_ms: Math.round(xlsxMs),
      rss_mb: mb(peak),
      rss_before_mb: mb(before),
      seed_s: seeded.seconds,
    };
  } finally {
    clearInterval(sampler);
  }
}
