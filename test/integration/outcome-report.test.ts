import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPiiCipher } from '../../src/app/pii-keys';
import { deletePersonData } from '../../src/db/repositories/person-erasure';
import { consoleHttp, invite } from '../support/console';
import { seedOutcomes } from '../support/outcome-fixtures';
import { cliEnv } from '../support/test-env';
import { type WebWorld, webWorld } from '../support/web-world';

const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;

let world: WebWorld;
let databaseUrl: string;

beforeAll(async () => {
  world = await webWorld({ channels: false, workers: false });
  databaseUrl = world.runtime.databaseUrl;
  await seedOutcomes(world.runtime.db);
});
afterAll(() => world.close());

function report(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'report', ...args], {
    encoding: 'utf8',
    timeout: 110_000,
    env: cliEnv('report', { DATABASE_URL: databaseUrl }),
  });
  return {
    ...result,
    json: result.status === 0 && args.includes('--json') ? JSON.parse(result.stdout) : undefined,
  };
}

describe('jineng report --json', () => {
  it('prints the plan’s measures per county and in total, equal to what was recorded', () => {
    const { json, status, stderr } = report(['--json']);
    expect(status, stderr).toBe(0);
    const zx = json.by_county.find((c: { county: string }) => c.county === 'zhenxiong');
    expect(zx).toMatchObject({
      trained: 6,
      trained_poverty: 2,
      // Attended 4+4+3+2+4+0 = 17 of 6×4 = 24 sessions less 1 excused = 23.
      attendance_rate: Math.round((17 / 23) * 1000) / 1000,
      pass_rate: Math.round((4 / 6) * 1000) / 1000,
      results: 6,
      // Employed or self-employed, and the one still looking: 3 of 5 answers (employed twice, self-employed once).
      employment_rate_3m: 0.6,
      employment_answers_3m: 5,
      satisfaction: 4.2,
      satisfaction_responses: 5,
      subsidies: {
        paid: { count: 2, yuan: 2400 },
        approved: { count: 1, yuan: 0 },
        documents_missing: { count: 1, yuan: 0 },
        submitted: { count: 1, yuan: 0 },
        not_applied: { count: 1, yuan: 0 },
      },
      target: { source: 'plan' },
    });
    // Two sign-ups in 鲁甸县: counts shown, the satisfaction of two people is not.
    const ld = json.by_county.find((c: { county: string }) => c.county === 'ludian');
    expect(ld).toMatchObject({
      trained: 2,
      trained_poverty: 2,
      satisfaction: null,
      satisfaction_responses: 2,
    });
    expect(json.total).toMatchObject({ trained: 8, trained_poverty: 4, satisfaction_responses: 7 });
    expect(json.total.target).toMatchObject({ clause: 's1.1' });
    expect(json.by_county).toHaveLength(11);
    expect(json.by_provider).toEqual([
      expect.objectContaining({ provider: null, trained: 2 }),
      expect.objectContaining({ provider: '镇雄县职业技术学校', trained: 6 }),
    ]);
  });

  it('filters by county, group and period, and refuses a bad date politely', () => {
    const zx = report(['--json', '--county', '镇雄县']).json;
    expect(zx.by_county.map((c: { county: string }) => c.county)).toEqual(['zhenxiong']);
    expect(zx.total.trained).toBe(6);
    const poor = report(['--json', '--group', 'poverty_registered']).json;
    expect(poor.total.trained).toBe(4);
    // Two 建档立卡 in a county: rates for fewer than five are held back.
    expect(poor.by_county.find((c: { county: string }) => c.county === 'zhenxiong').pass_rate).toBeNull();
    const bad = report(['--json', '--from', '2026-02-30']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('not a real date');
  });
});

describe('the console report', () => {
  it('shows an admin the city, a county coordinator only their county, and exports the same figures', async () => {
    const admin = await consoleHttp(world.url, await invite(world.runtime, { role: 'admin' }));
    const page = await admin.get('/console/reports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('培训成效报表');
    expect(page.text).toContain('镇雄县职业技术学校');
    expect(page.text).toContain('RP-LD-01');
    expect(page.text).toContain('不足 5 人');
    expect(page.text).not.toContain('学员0');

    const coordinator = await consoleHttp(
      world.url,
      await invite(world.runtime, { counties: ['zhenxiong'] }),
    );
    const own = await coordinator.get('/console/reports');
    expect(own.text).toContain('RP-ZX-01');
    expect(own.text).not.toContain('RP-LD-01');
    // A county coordinator sees and sets the targets of their own county only.
    expect(own.text).toContain('年度培训目标');
    expect(own.text).toContain('id="target-zhenxiong"');
    expect(own.text).not.toContain('id="target-ludian"');

    const year = new Date().getFullYear();
    const refused = await coordinator.submit('/console/reports', '/console/reports/targets', {
      county: 'ludian',
      year: String(year),
      sessions: '100',
      povertySessions: '10',
    });
    expect(refused.status).toBe(404);
    expect(await world.runtime.db.trainingTarget.count({ where: { county: 'ludian' } })).toBe(0);
    const tooMany = await coordinator.submit('/console/reports', '/console/reports/targets', {
      county: 'zhenxiong',
      year: String(year),
      sessions: '100',
      povertySessions: '101',
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('建档立卡目标不能大于培训人次目标');
    const ownSaved = await coordinator.submit('/console/reports', '/console/reports/targets', {
      county: 'zhenxiong',
      year: String(year),
      sessions: '100',
      povertySessions: '10',
    });
    expect(ownSaved.status).toBe(303);

    // The admin changes it for the city; progress follows the new target.
    const target = { county: 'zhenxiong', year: String(year), sessions: '36500', povertySessions: '3650' };
    const saved = await admin.submit('/console/reports', '/console/reports/targets', target);
    expect(saved.status).toBe(303);
    const withTarget = await admin.get(
      `/console/reports?county=zhenxiong&from=${year}-01-01&to=${year}-12-31`,
    );
    expect(withTarget.text).toContain('36500');
    // Marked as the county's own target.
    expect(withTarget.text).toContain('本县区自定');
    const stored = await world.runtime.db.trainingTarget.findUniqueOrThrow({
      where: { county_year: { county: 'zhenxiong', year } },
    });
    expect(stored).toMatchObject({ sessions: 36500, povertySessions: 3650 });
    const audits = await world.runtime.db.auditLog.findMany({
      where: { action: 'report.target' },
      orderBy: { createdAt: 'asc' },
    });
    expect(audits).toHaveLength(2);
    expect(audits[1]!.detail).toMatchObject({
      sessions: 36500,
      previous: { sessions: 100, povertySessions: 10 },
    });
    const json = report([
      '--json',
      '--county',
      '镇雄县',
      '--from',
      `${year}-01-01`,
      '--to',
      `${year}-12-31`,
    ]).json;
    expect(json.by_county[0].target).toMatchObject({ sessions: 36500, source: 'county' });
    expect(json.by_county[0].progress.sessions).toBe(Math.round((6 / 36500) * 1000) / 1000);

    // Back to the even share of the plan: the row goes, the change is logged.
    const cleared = await admin.submit('/console/reports', '/console/reports/targets', {
      county: 'zhenxiong',
      year: String(year),
      clear: 'yes',
    });
    expect(cleared.status).toBe(303);
    expect(await world.runtime.db.trainingTarget.count({ where: { county: 'zhenxiong' } })).toBe(0);
    expect(await world.runtime.db.auditLog.count({ where: { action: 'report.target_cleared' } })).toBe(1);
    const planShare = await admin.get(
      `/console/reports?county=zhenxiong&from=${year}-01-01&to=${year}-12-31`,
    );
    expect(planShare.text).toContain('36364');

    const future = await admin.get('/console/reports?from=2099-01-01&to=2099-12-31');
    expect(future.text).toContain('这段时间没有学员。');
    expect(future.text).not.toContain('RP-ZX-01');

    const bad = await admin.get('/console/reports?from=2026-99-01');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('筛选条件有误');

    const file = await fetch(`${world.url}/console/reports.xlsx?county=zhenxiong`, {
      headers: { cookie: [...admin.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/attachment; filename="jineng-report-.*\.xlsx"/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await file.arrayBuffer());
    const sheet = book.getWorksheet('按县区')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(row[0]).toBe('镇雄县');
    expect(row[header.indexOf('人次')]).toBe(6);
    expect(row[header.indexOf('合格率')]).toBeCloseTo(0.667, 3);
    expect(row[header.indexOf('补贴已发放（元）')]).toBe(2400);
  });
});

describe('erasure', () => {
  it('takes a person’s check-ins and answers out of the report', async () => {
    const db = world.runtime.db;
    const enrolment = await db.enrolment.findFirstOrThrow({
      where: { course: { code: 'RP-ZX-01' }, person: { realName: '学员0' } },
    });
    await deletePersonData(db, loadPiiCipher(world.runtime.config, world.runtime.logger), enrolment.personId);
    const after = report(['--json', '--course', 'RP-ZX-01']).json;
    // Their five-star answer and four check-ins are gone; the sign-up itself still counts as trained.
    expect(after.total.satisfaction_responses).toBe(4);
    expect(after.total.attendance_rate).toBe(Math.round((13 / 19) * 1000) / 1000);
    expect(await db.attendance.count({ where: { enrolmentId: enrolment.id } })).toBe(0);
  });
});
