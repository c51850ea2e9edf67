import { readFileSync } from 'node:fs';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTY_NEIGHBOURS, countyDistance } from '../../src/core/courses/counties';
import type {
  CourseForMatching,
  MatchProfile,
  MatchResult,
  Translate,
} from '../../src/core/courses/course-types';
import { describeStart } from '../../src/core/courses/describe-start';
import { courseLine, courseList, translateReason } from '../../src/core/courses/format-course';
import { checkEligibility, matchCourses } from '../../src/core/courses/match';
import { parseSampleData } from '../../src/core/courses/sample-data-schema';
import { sampleCourseForMatching, sampleSessionTimes } from '../../src/core/courses/sample-schedule';
import { COUNTIES, type Locale } from '../../src/core/domain';

// Wednesday 2025-06-11, 10:00 in Zhaotong.
const NOW = new Date('2025-06-11T02:00:00Z');
const inDays = (d: number, hour = 9): Date =>
  new Date(NOW.getTime() + d * 86_400_000 + (hour - 10) * 3_600_000);

let seq = 0;
function course(over: Partial<CourseForMatching> = {}): CourseForMatching {
  seq += 1;
  return {
    id: `c${seq}`,
    code: `XX-AA-${String(seq).padStart(2, '0')}`,
    title: { 'zh-CN': `课程${seq}`, en: `Course ${seq}` },
    trade: 'ecommerce',
    trainingType: 'employment',
    county: 'zhaoyang',
    capacity: 30,
    seatsTaken: 0,
    feeYuan: 0,
    freeForGroups: [],
    eligibleGroups: [],
    minAge: 16,
    maxAge: 60,
    status: 'open',
    firstSessionStart: inDays(5),
    venue: { 'zh-CN': '培训点', en: 'Training site' },
    ...over,
  };
}
const profile = (over: Partial<MatchProfile> = {}): MatchProfile => ({ groups: [], interests: [], ...over });
const codes = (rs: MatchResult[]) => rs.map((r) => r.course.code);
const keys = (r: MatchResult | undefined) => (r?.reasons ?? []).map((x) => x.key);

const sample = parseSampleData(readFileSync('data/courses/zhaotong-sample.json', 'utf8'));
const sampleCourses = sample.courses.map((c) => sampleCourseForMatching(c, NOW));

const translators = {} as Record<Locale, Translate>;
const i18n = i18next.createInstance();
beforeAll(async () => {
  const load = (lng: string, ns: string) => JSON.parse(readFileSync(`locales/${lng}/${ns}.json`, 'utf8'));
  await i18n.init({
    lng: 'zh-CN',
    fallbackLng: false,
    ns: ['domain', 'courses'],
    interpolation: { escapeValue: false },
    resources: Object.fromEntries(
      (['zh-CN', 'en'] as const).map((l) => [l, { domain: load(l, 'domain'), courses: load(l, 'courses') }]),
    ),
  });
  for (const l of ['zh-CN', 'en'] as const) {
    const fixed = i18n.getFixedT(l);
    translators[l] = (key, params) => fixed(key, params ?? {});
  }
});

describe('matchCourses', () => {
  const poorZhenxiong = profile({
    county: 'zhenxiong',
    age: 35,
    groups: ['poverty_registered'],
    interests: ['ecommerce'],
  });

  it('puts a nearby free e-commerce course first for a registered-poor worker in Zhenxiong', () => {
    const courses = [
      course({ code: 'ZY-DS-01', county: 'zhaoyang', feeYuan: 0 }),
      course({ code: 'ZX-DS-02', county: 'zhenxiong', feeYuan: 1200, freeForGroups: ['poverty_registered'] }),
      course({ code: 'ZX-CS-01', county: 'zhenxiong', trade: 'chef' }),
      course({ code: 'SF-DS-01', county: 'shuifu', feeYuan: 0, firstSessionStart: inDays(1) }),
    ];
    const [first, second] = matchCourses(poorZhenxiong, courses, { now: NOW });
    expect(first?.course.code).toBe('ZX-DS-02');
    expect(first?.reasons).toContainEqual({
      key: 'courses:reason.freeForGroup',
      params: { group: 'poverty_registered' },
    });
    expect(first?.reasons).toContainEqual({
      key: 'courses:reason.sameCounty',
      params: { county: 'zhenxiong' },
    });
    expect(second?.course.code).toBe('ZY-DS-01');
  });

  it('does the same on the real sample data', () => {
    const results = matchCourses(poorZhenxiong, sampleCourses, { now: NOW });
    expect(results).toHaveLength(3);
    const first = results[0]!;
    expect(first.course.trade).toBe('ecommerce');
    expect(['zhenxiong', ...COUNTY_NEIGHBOURS.zhenxiong]).toContain(first.course.county);
    expect(keys(first).some((k) => k === 'courses:reason.free' || k === 'courses:reason.freeForGroup')).toBe(
      true,
    );
    for (const r of results) expect(r.course.trade).toBe('ecommerce');
  });

  it('does not offer a maxAge-60 course to a 65-year-old, by age or by birth year', () => {
    const capped = course({ maxAge: 60, trade: 'tianma' });
    const open = course({ maxAge: undefined, trade: 'tianma' });
    const old = profile({ age: 65, interests: ['tianma'] });
    expect(codes(matchCourses(old, [capped, open], { now: NOW }))).toEqual([open.code]);
    expect(checkEligibility(old, capped, NOW)).toEqual({
      key: 'courses:excluded.tooOld',
      params: { maxAge: 60 },
    });
    expect(codes(matchCourses(profile({ birthYear: 1960 }), [capped], { now: NOW }))).toEqual([]);
    // Born 1964: 60 or 61 today, so the birth year alone must not rule them out.
    expect(codes(matchCourses(profile({ birthYear: 1964 }), [capped], { now: NOW }))).toEqual([capped.code]);
    expect(matchCourses(profile({ age: 15 }), [course({ minAge: 16 })], { now: NOW })).toEqual([]);
    for (const r of matchCourses(profile({ age: 65 }), sampleCourses, { now: NOW, limit: 100 })) {
      expect(r.course.maxAge === undefined || r.course.maxAge >= 65).toBe(true);
    }
  });

  it('never shows closed, draft, cancelled or already-started courses', () => {
    const ok = course();
    const courses = [
      course({ status: 'closed' }),
      course({ status: 'draft' }),
      course({ status: 'cancelled' }),
      course({ firstSessionStart: new Date(NOW.getTime() - 60_000) }),
      ok,
    ];
    expect(codes(matchCourses(profile(), courses, { now: NOW, limit: 10 }))).toEqual([ok.code]);
    const all = matchCourses(profile(), sampleCourses, { now: NOW, limit: 1000 });
    expect(all.length).toBeGreaterThan(30);
    expect(codes(all)).not.toContain('ZY-CS-01');
    const later = new Date(NOW.getTime() + 10 * 86_400_000);
    for (const r of matchCourses(profile(), sampleCourses, { now: later, limit: 1000 })) {
      expect(r.course.firstSessionStart!.getTime()).toBeGreaterThanOrEqual(later.getTime());
    }
  });

  it('shows group-restricted courses only to those groups', () => {
    const forVeterans = course({ trade: 'entrepreneurship', eligibleGroups: ['veteran'] });
    const anyone = course({ trade: 'entrepreneurship' });
    const wants = { interests: ['entrepreneurship' as const] };
    expect(codes(matchCourses(profile(wants), [forVeterans, anyone], { now: NOW }))).toEqual([anyone.code]);
    const veteran = matchCourses(profile({ ...wants, groups: ['veteran'] }), [forVeterans, anyone], {
      now: NOW,
    });
    expect(codes(veteran)).toContain(forVeterans.code);
    expect(checkEligibility(profile(), forVeterans, NOW)).toEqual({
      key: 'courses:excluded.groups',
      params: { groups: 'veteran' },
    });
  });

  it('offers graduates who ask about starting a business SYB courses first, then only related ones', () => {
    const grad = profile({
      county: 'zhaoyang',
      age: 23,
      groups: ['graduate'],
      interests: ['entrepreneurship'],
    });
    const results = matchCourses(grad, sampleCourses, { now: NOW });
    expect(results.map((r) => r.course.trade)).toEqual(['entrepreneurship', 'entrepreneurship', 'ecommerce']);
    expect(codes(results).slice(0, 2)).toEqual(['ZY-SYB-01', 'YL-SYB-01']);
    expect(keys(results[2])[0]).toBe('courses:reason.related');
    expect(codes(results)).not.toContain('YS-SYB-01'); // veterans only
    expect(keys(results[0])).toContain('courses:reason.forGroup');
  });

  it('ranks related trades after exact ones and returnees get entrepreneurship', () => {
    const care = course({ trade: 'maternal_infant_care' });
    const house = course({ trade: 'housekeeping' });
    const r = matchCourses(profile({ interests: ['maternal_infant_care'] }), [house, care], { now: NOW });
    expect(codes(r)).toEqual([care.code, house.code]);
    expect(r[1]?.reasons[0]).toEqual({
      key: 'courses:reason.related',
      params: { trade: 'housekeeping', interest: 'maternal_infant_care' },
    });
    const syb = course({ trade: 'entrepreneurship' });
    const chef = course({ trade: 'chef' });
    expect(codes(matchCourses(profile({ groups: ['returnee'] }), [chef, syb], { now: NOW }))[0]).toBe(
      syb.code,
    );
    const custom = matchCourses(profile({ interests: ['chef'] }), [house], {
      now: NOW,
      synonyms: { chef: ['housekeeping'] },
    });
    expect(codes(custom)).toEqual([house.code]);
  });

  it('prefers same county, then neighbours, sooner starts and open seats', () => {
    const p = profile({ county: 'zhenxiong', interests: ['welder'] });
    const far = course({ trade: 'welder', county: 'shuifu' });
    const near = course({ trade: 'welder', county: 'yiliang' });
    const home = course({ trade: 'welder', county: 'zhenxiong' });
    expect(codes(matchCourses(p, [far, near, home], { now: NOW }))).toEqual([home.code, near.code, far.code]);

    const soon = course({ trade: 'welder', county: 'zhenxiong', firstSessionStart: inDays(2) });
    const late = course({ trade: 'welder', county: 'zhenxiong', firstSessionStart: inDays(30) });
    expect(codes(matchCourses(p, [late, soon], { now: NOW }))).toEqual([soon.code, late.code]);

    const full = course({
      trade: 'welder',
      county: 'zhenxiong',
      capacity: 2,
      seatsTaken: 2,
      firstSessionStart: inDays(2),
    });
    const rs = matchCourses(p, [full, late], { now: NOW });
    expect(codes(rs)).toEqual([late.code, full.code]);
    expect(rs[1]).toMatchObject({ full: true });
    expect(keys(rs[1])).toContain('courses:reason.full');
    expect(rs[0]?.reasons).toContainEqual({ key: 'courses:reason.seatsLeft', params: { seats: 30 } });
  });

  it('is deterministic whatever the input order', () => {
    const p = profile({ county: 'ludian', interests: ['ecommerce', 'elderly_care'] });
    const twins = [course({ code: 'BB-DS-02' }), course({ code: 'AA-DS-01' }), course({ code: 'CC-DS-03' })];
    expect(codes(matchCourses(p, twins, { now: NOW }))).toEqual(['AA-DS-01', 'BB-DS-02', 'CC-DS-03']);
    const base = matchCourses(p, sampleCourses, { now: NOW, limit: 20 });
    for (let i = 0; i < 5; i++) {
      const shuffled = [...sampleCourses].sort(() => Math.random() - 0.5);
      expect(matchCourses(p, shuffled, { now: NOW, limit: 20 })).toEqual(base);
    }
  });
});

describe('counties', () => {
  it('neighbour map covers all 11 counties and is symmetric', () => {
    expect(Object.keys(COUNTY_NEIGHBOURS).sort()).toEqual([...COUNTIES].sort());
    for (const [a, ns] of Object.entries(COUNTY_NEIGHBOURS)) {
      for (const b of ns) expect(COUNTY_NEIGHBOURS[b]).toContain(a);
    }
    expect(countyDistance('zhenxiong', 'zhenxiong')).toBe(0);
    expect(countyDistance('zhenxiong', 'weixin')).toBe(1);
    expect(countyDistance('zhenxiong', 'zhaoyang')).toBe(2);
    for (const a of COUNTIES) for (const b of COUNTIES) expect(countyDistance(a, b)).toBeLessThan(6);
  });
});

describe('describeStart', () => {
  const at = (iso: string) => describeStart(new Date(iso), NOW);
  it('says today, tomorrow, this week, next week or in N days, in China time', () => {
    expect(at('2025-06-11T06:00:00Z')).toEqual({ key: 'courses:start.today', params: { time: '14:00' } });
    expect(at('2025-06-12T01:00:00Z')).toEqual({ key: 'courses:start.tomorrow', params: { time: '09:00' } });
    expect(at('2025-06-13T01:00:00Z').key).toBe('courses:start.dayAfterTomorrow');
    expect(at('2025-06-15T01:00:00Z').key).toBe('courses:start.thisWeek.7');
    expect(at('2025-06-16T01:00:00Z').key).toBe('courses:start.nextWeek.1');
    expect(at('2025-06-22T01:00:00Z').key).toBe('courses:start.nextWeek.7');
    expect(at('2025-06-23T01:00:00Z')).toEqual({
      key: 'courses:start.inDays',
      params: { days: 12, month: 6, day: 23, time: '09:00' },
    });
    expect(at('2025-06-11T01:00:00Z').key).toBe('courses:start.started');
    // 23:30 in Zhaotong is still the same day there although UTC says otherwise.
    expect(describeStart(new Date('2025-06-12T01:00:00Z'), new Date('2025-06-11T15:30:00Z')).key).toBe(
      'courses:start.tomorrow',
    );
  });
});

describe('sample data', () => {
  it('covers all counties, the plan trades and the demo cases', () => {
    expect(new Set(sample.courses.map((c) => c.county)).size).toBe(11);
    expect(sample.courses.length).toBeGreaterThanOrEqual(36);
    expect(sample.providers.length).toBeGreaterThanOrEqual(6);
    const trades = new Set(sample.courses.map((c) => c.trade));
    for (const t of [
      'ecommerce',
      'housekeeping',
      'elderly_care',
      'maternal_infant_care',
      'security',
      'electrician',
      'welder',
      'chef',
      'tianma',
      'apple',
      'potato',
      'sichuan_pepper',
      'livestock',
      'handicraft',
      'entrepreneurship',
      'apprenticeship',
      'advanced_skill',
    ] as const) {
      expect(trades).toContain(t);
    }
    expect(sample.courses.filter((c) => c.status === 'closed')).toHaveLength(1);
    expect(sample.courses.some((c) => c.capacity <= 2)).toBe(true);
    expect(sample.courses.filter((c) => c.trade === 'entrepreneurship').length).toBeGreaterThanOrEqual(3);
  });

  it('schedules sessions in China time from the seeding day', () => {
    const zx = sample.courses.find((c) => c.code === 'ZX-DS-01')!;
    const sessions = sampleSessionTimes(zx, NOW);
    expect(sessions).toHaveLength(zx.sessionCount);
    expect(sessions[0]?.startsAt.toISOString()).toBe('2025-06-16T01:00:00.000Z'); // 09:00 +08:00, 5 days on
    expect(sessions[0]?.endsAt.toISOString()).toBe('2025-06-16T09:00:00.000Z');
  });

  it('rejects duplicate codes and unknown providers', () => {
    const bad = structuredClone(sample);
    bad.courses.push({ ...bad.courses[0]!, providerId: 'nobody' });
    expect(() => parseSampleData(JSON.stringify(bad))).toThrow(
      /duplicate course code[\s\S]*unknown provider/,
    );
  });
});

describe('courseLine', () => {
  it('renders a two-line summary in Chinese and English', () => {
    const p = profile({ county: 'zhenxiong', groups: ['poverty_registered'], interests: ['ecommerce'] });
    const c = course({
      code: 'ZX-DS-02',
      county: 'zhenxiong',
      feeYuan: 1200,
      freeForGroups: ['poverty_registered'],
      seatsTaken: 18,
      title: { 'zh-CN': '电商直播带货提升班', en: 'Live-stream selling' },
      firstSessionStart: inDays(3),
    });
    const [r] = matchCourses(p, [c], { now: NOW });
    expect(courseLine(r!, 'zh-CN', translators['zh-CN'])).toBe(
      '【ZX-DS-02】电商直播带货提升班（镇雄县）\n和您想学的电子商务对口；免费：建档立卡户可享受培训补贴；在镇雄县，离您近；本周六开班；还有12个名额',
    );
    const en = courseLine(r!, 'en', translators.en);
    expect(en).toMatch(/^\[ZX-DS-02\] Live-stream selling \(Zhenxiong County\)\n/);
    expect(en).toContain('Places left: 12');
    expect(courseList([r!, r!], 'zh-CN', translators['zh-CN'])).toMatch(
      /^1\. 【ZX-DS-02】[\s\S]*\n\n2\. 【ZX-DS-02】/,
    );
  });

  it('has every key the matcher can produce in both locales', () => {
    const results = [
      ...matchCourses(profile(), sampleCourses, { now: NOW, limit: 1000 }),
      ...matchCourses(
        profile({
          county: 'weixin',
          groups: ['graduate', 'employee'],
          interests: ['entrepreneurship', 'advanced_skill', 'housekeeping', 'apple'],
        }),
        sampleCourses,
        { now: NOW, limit: 1000 },
      ),
    ];
    const reasons = results.flatMap((r) => r.reasons);
    for (const c of sampleCourses) {
      const why =
        checkEligibility(profile({ age: 70 }), c, NOW) ?? checkEligibility(profile({ age: 10 }), c, NOW);
      if (why) reasons.push(why);
    }
    for (let d = 0; d < 40; d++) reasons.push(describeStart(inDays(d, 12), NOW));
    for (const l of ['zh-CN', 'en'] as const) {
      for (const reason of reasons) {
        expect(i18n.exists(reason.key, { lng: l }), `${l} ${reason.key}`).toBe(true);
        expect(translateReason(reason, translators[l])).not.toMatch(/\{\{|domain:|courses:/);
      }
    }
  });
});
