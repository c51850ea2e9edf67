import { describe, expect, it } from 'vitest';
import { isCertificateQuery } from '../../src/core/dialog/flows/certificates/certificates-module';
import { isSubsidyStatusQuery } from '../../src/core/dialog/flows/subsidy-status/subsidy-status-module';
import { attendancePct, decideResult } from '../../src/core/outcomes/results';
import { afterQuietHours } from '../../src/core/outcomes/subsidies';

describe('pass or fail (issue 20, item 2)', () => {
  it('rounds attendance down, so 79.9 % never passes an 80 % rule', () => {
    expect(attendancePct(0, 0)).toBeNull();
    expect(attendancePct(3, 2)).toBe(66);
    expect(attendancePct(5, 4)).toBe(80);
    expect(attendancePct(2, 5)).toBe(100);
  });

  it('needs the attendance share and, when the course has an exam, the pass mark', () => {
    const rules = { passAttendancePct: 80, passExamScore: 60 };
    expect(decideResult({ ...rules, attendancePct: 80, examScore: 60 })).toEqual({
      outcome: 'passed',
      reasons: [],
    });
    expect(decideResult({ ...rules, attendancePct: 50, examScore: 40 }).reasons).toEqual([
      'attendance',
      'exam',
    ]);
    expect(decideResult({ ...rules, attendancePct: 100, examScore: null }).reasons).toEqual(['noExamScore']);
    expect(decideResult({ passAttendancePct: 80, passExamScore: null, attendancePct: 90 }).outcome).toBe(
      'passed',
    );
    expect(decideResult({ passAttendancePct: 80, attendancePct: null }).outcome).toBe('failed');
  });
});

describe('which words ask for one’s own records', () => {
  it('takes "我的证书" and its ways of asking, not questions about certificates in general', () => {
    for (const q of [
      '我的证书',
      '证书查询',
      '查一下我的证书',
      '我的证书发了没',
      '查一下我女儿的证书',
      '我拿到证书了没',
      'my certificates',
      'Check my certificate',
    ])
      expect(isCertificateQuery(q), q).toBe(true);
    for (const q of [
      '证书有什么用',
      '技能证书哪里考',
      '证书在网上能查到吗',
      '学完有证书拿吗',
      '考个技能证书',
      '职业资格证书',
    ])
      expect(isCertificateQuery(q), q).toBe(false);
  });

  it('takes "补贴发了没" and "我的补贴", leaves "能拿多少补贴" and other policy questions to the plan', () => {
    for (const q of [
      '补贴发了没',
      '补贴到账了吗',
      '到账了吗',
      '我的补贴',
      '我女儿的补贴审核了没',
      '补助什么时候到账',
      '补贴好久发',
      '我的补贴啥时候到',
      'has my subsidy been paid?',
      'my subsidy',
    ])
      expect(isSubsidyStatusQuery(q), q).toBe(true);
    for (const q of [
      '能拿多少补贴',
      '有什么补贴',
      '补助多久到账',
      '职业培训补贴政策落实了没有',
      '学徒志有补贴没得',
      '我能拿多少补贴',
      'what subsidies can I get',
      '两后生有补贴吗',
    ])
      expect(isSubsidyStatusQuery(q), q).toBe(false);
  });
});

describe('news of a claim changed at night', () => {
  const quiet = { start: 22, end: 7 };
  it('waits for the end of the quiet hours, and goes at once by day', () => {
    // 23:30 and 02:00 in Zhaotong (UTC+8) wait for 07:00; 10:00 goes at once.
    expect(afterQuietHours(new Date('2026-12-05T15:30:00Z'), 'Asia/Shanghai', quiet).toISOString()).toBe(
      '2026-12-05T23:00:00.000Z',
    );
    expect(afterQuietHours(new Date('2026-12-05T18:00:00Z'), 'Asia/Shanghai', quiet).toISOString()).toBe(
      '2026-12-05T23:00:00.000Z',
    );
    const day = new Date('2026-12-05T02:00:00Z');
    expect(afterQuietHours(day, 'Asia/Shanghai', quiet)).toBe(day);
    expect(afterQuietHours(day, 'Asia/Shanghai', undefined)).toBe(day);
  });
});
