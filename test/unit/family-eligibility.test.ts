import { describe, expect, it } from 'vitest';
import type { CourseForMatching } from '../../src/core/courses/course-types';
import { ageOn, signUpRefusal } from '../../src/core/dialog/flows/enrol/sign-up-eligibility';
import { loadLexicon } from '../../src/core/nlu/lexicon';
import { extractSlots } from '../../src/core/nlu/slots/extract-slots';

const lexicon = loadLexicon(new URL('../../data/nlu/lexicon.json', import.meta.url).pathname);
const relation = (text: string) => extractSlots(text, lexicon).relation;
const TZ = 'Asia/Shanghai';

describe('who a sign-up is for', () => {
  it.each([
    ['帮我女儿报名', 'daughter'],
    ['给我爸报个名', 'father'],
    ['帮我儿子报名电工班', 'son'],
    ['替我老婆报个名', 'spouse'],
    ['给我妈妈报名 ZX-DS-01', 'mother'],
    ['我家娃想报名', 'other'],
    ['sign up my daughter', 'daughter'],
    ['my son wants to sign up for welding', 'son'],
  ])('"%s" is for the %s', (text, expected) => {
    expect(relation(text)).toBe(expected);
  });

  it.each(['我要报名', '帮我报个名', '给我报焊工', '我女儿在上学', '我爸说让我报名', 'sign me up'])(
    '"%s" is the writer\'s own',
    (text) => {
      expect(relation(text)).toBeUndefined();
    },
  );
});

describe('age at the first class', () => {
  it('counts a birthday on its day, in China time', () => {
    // 08:00 on 4 Dec in Shanghai is still 3 Dec in UTC.
    const start = new Date('2026-12-04T00:00:00+08:00');
    expect(ageOn('2008-12-04', start, TZ)).toBe(18);
    expect(ageOn('2008-12-05', start, TZ)).toBe(17);
  });

  const course = (minAge?: number, maxAge?: number): CourseForMatching => ({
    id: 'c',
    code: 'ZX-DG-01',
    title: { 'zh-CN': '电工', en: 'Electrician' },
    trade: 'electrician',
    trainingType: 'employment',
    county: 'zhenxiong',
    capacity: 10,
    seatsTaken: 0,
    feeYuan: 0,
    freeForGroups: [],
    eligibleGroups: ['veteran'],
    minAge,
    maxAge,
    status: 'open',
    firstSessionStart: new Date('2027-03-01T09:00:00+08:00'),
    venue: { 'zh-CN': '', en: '' },
  });
  const now = new Date('2026-12-04T10:00:00+08:00');

  it('is 18 at the start though 17 today: an 18+ course takes them', () => {
    expect(signUpRefusal(course(18), { birthDate: '2009-02-15', groups: [] }, now, TZ)).toBeUndefined();
    expect(signUpRefusal(course(18), { birthDate: '2009-03-02', groups: [] }, now, TZ)).toEqual({
      reason: 'tooYoung',
      age: 17,
      minAge: 18,
    });
  });

  it('refuses by a stated age only when no birthday could make it fit, and by groups only when known', () => {
    expect(signUpRefusal(course(18), { birthYear: 2009, groups: [] }, now, TZ)).toBeUndefined();
    expect(signUpRefusal(course(18), { birthYear: 2010, groups: [] }, now, TZ)?.reason).toBe(
      'tooYoungStated',
    );
    expect(signUpRefusal(course(16, 45), { birthYear: 1980, groups: [] }, now, TZ)?.reason).toBe(
      'tooOldStated',
    );
    expect(signUpRefusal(course(), { groups: ['graduate'] }, now, TZ)).toEqual({
      reason: 'groups',
      groups: ['veteran'],
    });
    expect(signUpRefusal(course(), { groups: ['veteran'] }, now, TZ)).toBeUndefined();
  });
});
