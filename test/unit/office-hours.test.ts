import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { maskPersonalText } from '../../src/core/inbox/mask-text';
import { officeStatus, parseCountyOfficeHours, parseOfficeHours } from '../../src/core/inbox/office-hours';
import { findTrackingNumber } from '../../src/core/inbox/tracking-number';

const TZ = 'Asia/Shanghai';
const hours = (spec: string) => {
  const parsed = parseOfficeHours(spec);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('office hours', () => {
  it('are open inside the span and closed outside it, in the programme time zone', () => {
    const week = hours('Mon-Fri 09:00-17:30');
    expect(officeStatus(week, new Date('2026-12-07T01:00:00Z'), TZ)).toEqual({ open: true }); // Mon 09:00
    expect(officeStatus(week, new Date('2026-12-07T09:29:00Z'), TZ)).toEqual({ open: true }); // Mon 17:29
    // Mon 17:30 → back Tue 09:00 (Tue 01:00 UTC)
    expect(officeStatus(week, new Date('2026-12-07T09:30:00Z'), TZ)).toEqual({
      open: false,
      back: new Date('2026-12-08T01:00:00Z'),
    });
    // Sat 10:00 → back Mon 09:00
    expect(officeStatus(week, new Date('2026-12-12T02:00:00Z'), TZ)).toEqual({
      open: false,
      back: new Date('2026-12-14T01:00:00Z'),
    });
  });

  it('take several spans and per-county overrides, and name what they cannot read', () => {
    const split = hours('Mon-Fri 09:00-12:00; Mon-Fri 14:00-17:30; Sat 09:00-12:00');
    expect(officeStatus(split, new Date('2026-12-07T05:00:00Z'), TZ)).toMatchObject({ open: false }); // Mon 13:00
    expect(officeStatus(split, new Date('2026-12-12T02:00:00Z'), TZ)).toEqual({ open: true }); // Sat 10:00
    const counties = parseCountyOfficeHours('zhenxiong=Mon-Sat 08:30-18:00|weixin=Mon-Fri 09:00-17:00');
    expect(counties instanceof Map && [...counties.keys()]).toEqual(['zhenxiong', 'weixin']);
    expect(parseOfficeHours('weekdays 9-5')).toMatch(/not like/);
    expect(() => loadConfig({ OFFICE_HOURS: 'Mon-Fri 17:00-09:00' })).toThrow(/OFFICE_HOURS/);
    expect(loadConfig({}).INBOX_REPLY_MINUTES).toBe(30);
  });
});

describe('inbox texts', () => {
  it('mask ID numbers and mobile numbers', () => {
    expect(maskPersonalText('我的电话 138 1234 5678，身份证530621199001011234')).toBe(
      '我的电话 138****5678，身份证5306**********1234',
    );
  });

  it('find a complaint tracking number however it is typed', () => {
    expect(findTrackingNumber('投诉 ts-2026-123 进度')).toBe('TS-2026-000123');
    expect(findTrackingNumber('my complaint TS 2026 000045?')).toBe('TS-2026-000045');
    expect(findTrackingNumber('课程 QX-ABCD-12')).toBeUndefined();
  });
});
