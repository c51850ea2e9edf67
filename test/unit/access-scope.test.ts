import { describe, expect, it } from 'vitest';
import { courseInScope, personInScope } from '../../src/core/access-scope';
import type { CoordinatorAccess } from '../../src/core/outreach-ports';

const admin: CoordinatorAccess = { role: 'admin', courseCodes: [], counties: [] };
const county: CoordinatorAccess = { role: 'coordinator', courseCodes: [], counties: ['zhenxiong'] };
const course: CoordinatorAccess = { role: 'coordinator', courseCodes: ['ZX-DS-01'], counties: [] };
const A1 = { code: 'ZX-DS-01', county: 'zhenxiong' };
const A2 = { code: 'ZX-CF-02', county: 'zhenxiong' };
const B = { code: 'WX-DS-01', county: 'weixin' };

describe('who may act on a course', () => {
  it.each([
    [admin, B, true],
    [county, A2, true],
    [county, B, false],
    [course, A1, true],
    [course, A2, false],
  ] as const)('%o on %o: %s', (access, c, expected) => {
    expect(courseInScope(access, c)).toBe(expected);
  });
});

describe('who may act on a person', () => {
  it.each([
    ['an admin, anyone', admin, { county: 'weixin', courses: [B] }, true],
    [
      'a county coordinator, someone of the county signed up there',
      county,
      { county: 'zhenxiong', courses: [A1, A2] },
      true,
    ],
    [
      'a county coordinator, someone of the county not signed up yet',
      county,
      { county: 'zhenxiong', courses: [] },
      true,
    ],
    [
      'a county coordinator, someone registered in another county',
      county,
      { county: 'weixin', courses: [] },
      false,
    ],
    [
      'a county coordinator, someone also signed up in another county',
      county,
      { county: 'zhenxiong', courses: [A1, B] },
      false,
    ],
    [
      'a county coordinator, someone of another county signed up here',
      county,
      { county: 'weixin', courses: [A1] },
      false,
    ],
    [
      'a course coordinator, someone of the course’s county signed up only for it',
      course,
      { county: 'zhenxiong', courses: [A1] },
      true,
    ],
    [
      'a course coordinator, someone with no county signed up only for it',
      course,
      { county: null, courses: [A1] },
      true,
    ],
    [
      'a course coordinator, someone also in another course',
      course,
      { county: 'zhenxiong', courses: [A1, A2] },
      false,
    ],
    [
      'nobody but an admin, someone with no county and no sign-up',
      county,
      { county: null, courses: [] },
      false,
    ],
  ] as const)('%s: %s', (_what, access, p, expected) => {
    expect(personInScope(access, { county: p.county, courses: [...p.courses] })).toBe(expected);
  });
});
