import { spawnSync } from 'node:child_process';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/prisma-client';
import { cliEnv } from '../support/test-env';
import { type WebWorld, webWorld } from '../support/web-world';

/**
 * The report counts in SQL (docs/reports.md). Here a varied, seeded-at-random year of courses (cancelled and
 * future classes, a course with no classes, erased people, leave requests over check-ins, unanswered surveys,
 * unknown statuses) is counted again by hand, sign-up by sign-up, straight from the tables, and every figure
 * `jineng report --json` prints must be equal.
 */

const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;
const DAY = 86_400_000;
const COUNTIES = ['zhenxiong', 'ludian', 'weixin', 'yiliang'];
const GROUP_SETS = [
  ['poverty_registered'],
  ['poverty_registered', 'rural_worker'],
  ['two_after'],
  [],
  ['rural_worker'],
];
const ATTENDANCE = ['present', 'present', 'present', 'late', 'absent', 'excused'];
const RESULTS = ['passed', 'passed', 'passed', 'failed', null];
const EMPLOYMENT = ['employed', 'self_employed', 'looking', 'not_looking', null, 'moved_away'];
const SUBSIDY = ['not_applied', 'documents_missing', 'submitted', 'approved', 'paid', 'lost_track'];

let world: WebWorld;
const now = Date.now();

/** mulberry32: the same "random" data on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function seedVaried(db: Db) {
  const r = random(20);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  await db.provider.createMany({
    data: [
      { id: 'vp-1', name: '甲职业学校', county: 'zhenxiong' },
      { id: 'vp-2', name: '乙培训中心', county: 'ludian' },
      { id: 'vp-3', name: '丙技工学校', county: 'weixin' },
    ],
  });
  const people = [];
  for (let i = 0; i < 90; i++) {
    people.push(
      await db.person.create({
        data: {
          realName: `计数${i}`,
          county: pick(COUNTIES),
          groups: pick(GROUP_SETS),
          deletedAt: i % 17 === 5 ? new Date(now - DAY) : null,
        },
      }),
    );
  }
  // Start days before now: one course last year (outside the period), one starting in five days, one with no
  // classes at all (its creation counts as its start).
  const starts = [200, 150, 120, 90, 60, 45, 30, 20, 12, 8, 3, -5, 420, null];
  for (const [n, startDaysAgo] of starts.entries()) {
    const course = await db.course.create({
      data: {
        code: `VC-${String(n).padStart(2, '0')}`,
        title: `计数课程${n}`,
        trade: 'ecommerce',
        trainingType: 'employment',
        county: COUNTIES[n % COUNTIES.length]!,
        providerId: n % 4 === 3 ? null : `vp-${(n % 3) + 1}`,
        venue: 'v',
        capacity: 100,
      },
    });
    const sessions = [];
    if (startDaysAgo !== null) {
      const count = 2 + (n % 4);
      for (let k = 0; k < count; k++) {
        const startsAt = new Date(now - startDaysAgo * DAY + k * 3 * DAY);
        sessions.push(
          await db.classSession.create({
            data: {
              courseId: course.id,
              startsAt,
              endsAt: new Date(startsAt.getTime() + 3 * 3_600_000),
              venue: 'v',
              cancelled: r() < 0.15,
            },
          }),
        );
      }
    }
    const size = 1 + Math.floor(r() * 14);
    const taken = new Set<number>();
    for (let j = 0; j < size; j++) {
      const who = Math.floor(r() * people.length);
      if (taken.has(who)) continue;
      taken.add(who);
      const status = pick(['confirmed', 'attended', 'attended', 'confirmed', 'cancelled', 'waitlisted']);
      const enrolment = await db.enrolment.create({
        data: {
          personId: people[who]!.id,
          courseId: course.id,
          status,
          waitlistPosition: status === 'waitlisted' ? j + 1 : null,
        },
      });
      for (const session of sessions) {
        if (r() < 0.8)
          await db.attendance.create({
            data: {
              enrolmentId: enrolment.id,
              sessionId: session.id,
              status: pick(ATTENDANCE),
              method: 'code',
            },
          });
        if (r() < 0.2)
          await db.leaveRequest.create({ data: { enrolmentId: enrolment.id, sessionId: session.id } });
      }
      const result = pick(RESULTS);
      if (result)
        await db.courseResult.create({
          data: { enrolmentId: enrolment.id, courseId: course.id, outcome: result },
        });
      if (r() < 0.8) {
        const rating = r() < 0.8 ? 1 + Math.floor(r() * 5) : null;
        await db.satisfactionSurvey.create({
          data: {
            enrolmentId: enrolment.id,
            courseId: course.id,
            rating,
            answeredAt: rating !== null && r() < 0.9 ? new Date() : null,
          },
        });
      }
      for (const months of [3, 6, 12]) {
        if (r() < 0.3) continue;
        const status = pick(EMPLOYMENT);
        await db.employmentCheck.create({
          data: {
            enrolmentId: enrolment.id,
            courseId: course.id,
            months,
            dueAt: new Date(),
            answeredAt: status && r() < 0.85 ? new Date() : null,
            status,
          },
        });
      }
      if (r() < 0.85) {
        const claim = pick(SUBSIDY);
        await db.subsidyClaim.create({
          data: {
            enrolmentId: enrolment.id,
            status: claim,
            amountYuan: r() < 0.6 ? 100 * (1 + Math.floor(r() * 20)) : null,
          },
        });
      }
    }
  }
}

interface Expected {
  trained: number;
  trained_poverty: number;
  attendance_rate: number | null;
  pass_rate: number | null;
  results: number;
  employment_rate_3m: number | null;
  employment_answers_3m: number;
  employment_rate_6m: number | null;
  employment_answers_6m: number;
  satisfaction: number | null;
  satisfaction_responses: number;
  subsidies: Record<string, { count: number; yuan: number }>;
}

const shown = (n: number, d: number) => (d >= 5 ? Math.round((n / d) * 1000) / 1000 : null);

/** Reads the tables and counts the figures the plain way: each sign-up, each of its classes. */
async function countByHand(db: Db, from: Date, to: Date, group?: string) {
  const courses = await db.course.findMany({ include: { sessions: true, provider: true } });
  const enrolments = await db.enrolment.findMany({
    include: {
      person: true,
      attendance: true,
      result: true,
      satisfaction: true,
      employmentChecks: true,
      subsidyClaim: true,
    },
  });
  const leaves = await db.leaveRequest.findMany();
  const counted = enrolments.filter((e) => {
    if (e.status !== 'confirmed' && e.status !== 'attended') return false;
    if (group && !e.person.groups.includes(group)) return false;
    const course = courses.find((c) => c.id === e.courseId)!;
    let start = course.createdAt;
    if (course.sessions.length > 0) {
      start = course.sessions[0]!.startsAt;
      for (const s of course.sessions) if (s.startsAt < start) start = s.startsAt;
    }
    return start >= from && start <= to;
  });
  const figures = (list: typeof counted): Expected => {
    let due = 0;
    let came = 0;
    let passed = 0;
    let results = 0;
    const working = { 3: 0, 6: 0 } as Record<number, number>;
    const answers = { 3: 0, 6: 0 } as Record<number, number>;
    let ratings = 0;
    let ratingSum = 0;
    const subsidies: Expected['subsidies'] = {};
    for (const s of ['not_applied', 'documents_missing', 'submitted', 'approved', 'paid'])
      subsidies[s] = { count: 0, yuan: 0 };
    for (const e of list) {
      const course = courses.find((c) => c.id === e.courseId)!;
      if (e.person.deletedAt === null) {
        for (const session of course.sessions) {
          if (session.cancelled || session.endsAt.getTime() > Date.now()) continue;
          const mark = e.attendance.find((a) => a.sessionId === session.id);
          const present = mark?.status === 'present' || mark?.status === 'late';
          const onLeave = leaves.some((l) => l.enrolmentId === e.id && l.sessionId === session.id);
          if (present) came += 1;
          if (present || !(mark?.status === 'excused' || onLeave)) due += 1;
        }
      }
      if (e.result) {
        results += 1;
        if (e.result.outcome === 'passed') passed += 1;
      }
      for (const check of e.employmentChecks) {
        if (!check.answeredAt || (check.months !== 3 && check.months !== 6)) continue;
        if (!['employed', 'self_employed', 'looking', 'not_looking'].includes(check.status ?? '')) continue;
        answers[check.months]! += 1;
        if (check.status === 'employed' || check.status === 'self_employed') working[check.months]! += 1;
      }
      if (e.satisfaction?.rating != null) {
        ratings += 1;
        ratingSum += e.satisfaction.rating;
      }
      const claim = e.subsidyClaim;
      if (claim && subsidies[claim.status]) {
        subsidies[claim.status]!.count += 1;
        subsidies[claim.status]!.yuan += claim.amountYuan ?? 0;
      }
    }
    return {
      trained: list.length,
      trained_poverty: list.filter((e) => e.person.groups.includes('poverty_registered')).length,
      attendance_rate: shown(came, due),
      pass_rate: shown(passed, results),
      results,
      employment_rate_3m: shown(working[3]!, answers[3]!),
      employment_answers_3m: answers[3]!,
      employment_rate_6m: shown(working[6]!, answers[6]!),
      employment_answers_6m: answers[6]!,
      satisfaction: ratings >= 5 ? Math.round((ratingSum / ratings) * 100) / 100 : null,
      satisfaction_responses: ratings,
      subsidies,
    };
  };
  const courseOf = (e: (typeof counted)[number]) => courses.find((c) => c.id === e.courseId)!;
  const by = (key: (e: (typeof counted)[number]) => string) => {
    const keys = [...new Set(counted.map(key))].sort((a, b) => a.localeCompare(b));
    return keys.map((k) => ({ key: k, figures: figures(counted.filter((e) => key(e) === k)) }));
  };
  return {
    total: figures(counted),
    byCounty: by((e) => courseOf(e).county),
    byProvider: by((e) => courseOf(e).provider?.name ?? ''),
    byCourse: by((e) => courseOf(e).code),
  };
}

function report(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'report', '--json', ...args], {
    encoding: 'utf8',
    timeout: 110_000,
    env: cliEnv('report-counts', { DATABASE_URL: world.runtime.databaseUrl }),
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const FIELDS = [
  'trained',
  'trained_poverty',
  'attendance_rate',
  'pass_rate',
  'results',
  'employment_rate_3m',
  'employment_answers_3m',
  'employment_rate_6m',
  'employment_answers_6m',
  'satisfaction',
  'satisfaction_responses',
  'subsidies',
] as const;
const pickFigures = (row: Record<string, unknown>) => Object.fromEntries(FIELDS.map((f) => [f, row[f]]));

beforeAll(async () => {
  world = await webWorld({ channels: false, workers: false });
  await seedVaried(world.runtime.db);
});
afterAll(() => world.close());

describe('jineng report --json on a varied year', () => {
  const zone = 'Asia/Shanghai';
  const fromDay = DateTime.fromMillis(now - 300 * DAY, { zone }).toISODate()!;
  const toDay = DateTime.fromMillis(now + 30 * DAY, { zone }).toISODate()!;
  const from = DateTime.fromISO(fromDay, { zone }).startOf('day').toJSDate();
  const to = DateTime.fromISO(toDay, { zone }).endOf('day').toJSDate();

  for (const group of [undefined, 'poverty_registered']) {
    it(`gives every figure a count by hand gives${group ? ` (${group} only)` : ''}`, async () => {
      const json = report(['--from', fromDay, '--to', toDay, ...(group ? ['--group', group] : [])]);
      const expected = await countByHand(world.runtime.db, from, to, group);
      // The data is varied enough to test something: held-back and shown rates, a course outside the period.
      expect(expected.total.trained).toBeGreaterThan(group ? 5 : 40);
      expect(expected.byCourse.some((c) => c.figures.pass_rate === null && c.figures.results > 0)).toBe(true);
      expect(expected.byCourse.map((c) => c.key)).not.toContain('VC-12');

      expect(pickFigures(json.total)).toEqual(expected.total);
      expect(json.by_course.map((c: { course: string }) => c.course)).toEqual(
        expected.byCourse.map((c) => c.key),
      );
      for (const c of expected.byCourse)
        expect(
          pickFigures(json.by_course.find((x: { course: string }) => x.course === c.key)),
          c.key,
        ).toEqual(c.figures);
      expect(json.by_provider.map((p: { provider: string | null }) => p.provider ?? '')).toEqual(
        expected.byProvider.map((p) => p.key),
      );
      for (const p of expected.byProvider)
        expect(
          pickFigures(
            json.by_provider.find((x: { provider: string | null }) => (x.provider ?? '') === p.key),
          ),
        ).toEqual(p.figures);
      for (const c of expected.byCounty)
        expect(
          pickFigures(json.by_county.find((x: { county: string }) => x.county === c.key)),
          c.key,
        ).toEqual(c.figures);
    });
  }
});
