import { describe, expect, it } from 'vitest';
import { commandAction } from '../../src/channels/telegram/telegram-commands';
import {
  checkinToken,
  codeAt,
  matchCode,
  parseCheckinToken,
  shownCode,
  timeStep,
} from '../../src/core/attendance/checkin-code';
import {
  checkinStatus,
  effectiveAttendance,
  DEFAULT_CHECKIN_RULES as RULES,
  windowState,
} from '../../src/core/attendance/checkin-rules';
import { readCheckinRequest } from '../../src/core/attendance/checkin-text';

const SECRET = 'x'.repeat(40);
const SESSION = '6f1c2a4e-9b3d-4c5e-8f70-112233445566';
const START = new Date('2026-12-07T01:00:00Z');
const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000);

describe('check-in codes', () => {
  it('are six digits, differ per session and per step, and the previous step is still accepted', () => {
    const now = at(0);
    const step = timeStep(now, RULES);
    const code = codeAt(SECRET, SESSION, step);
    expect(code).toMatch(/^\d{6}$/);
    expect(codeAt(SECRET, '00000000-0000-4000-8000-000000000000', step)).not.toBe(code);
    expect(codeAt('y'.repeat(40), SESSION, step)).not.toBe(code);
    expect(matchCode(SECRET, SESSION, code, now, RULES)).toBe('current');
    expect(matchCode(SECRET, SESSION, code, at(5), RULES)).toBe('current');
    expect(matchCode(SECRET, SESSION, code, at(10), RULES, 20)).toBe('stale');
    expect(matchCode(SECRET, SESSION, code, at(10), RULES)).toBe('none');
  });

  it('are valid until the end of the next step, never past the window', () => {
    const shown = shownCode(SECRET, SESSION, START, at(0), RULES);
    expect(shown.validUntil.getTime()).toBe(at(10).getTime());
    expect(shown.changesAt.getTime()).toBe(at(5).getTime());
    expect(shownCode(SECRET, SESSION, START, at(28), RULES).validUntil.getTime()).toBe(at(30).getTime());
  });

  it('travel in a 28-character token that reads back as the same session and code', () => {
    const token = checkinToken(SESSION, '012345');
    expect(token).toMatch(/^[A-Za-z0-9_-]{28}$/);
    expect(parseCheckinToken(token)).toEqual({ sessionId: SESSION, code: '012345' });
    expect(parseCheckinToken('short')).toBeUndefined();
  });
});

describe('the check-in window', () => {
  it('opens 30 minutes before, closes 30 after; late after 10', () => {
    expect(windowState(at(-31), START, RULES)).toBe('before');
    expect(windowState(at(-30), START, RULES)).toBe('open');
    expect(windowState(at(30), START, RULES)).toBe('open');
    expect(windowState(at(31), START, RULES)).toBe('closed');
    expect(checkinStatus(at(10), START, RULES)).toBe('present');
    expect(checkinStatus(at(11), START, RULES)).toBe('late');
  });

  it('derives absent and excused when nothing was recorded', () => {
    const base = { startsAt: START, cancelled: false, rules: RULES };
    expect(effectiveAttendance({ ...base, leave: false, now: at(60) })).toBe('absent');
    expect(effectiveAttendance({ ...base, leave: true, now: at(60) })).toBe('excused');
    expect(effectiveAttendance({ ...base, leave: true, recorded: 'late', now: at(60) })).toBe('late');
    expect(effectiveAttendance({ ...base, leave: false, now: at(0) })).toBe('open');
    expect(effectiveAttendance({ ...base, leave: false, now: at(-60) })).toBe('upcoming');
  });
});

describe('reading a check-in message', () => {
  it('takes codes, QR tokens and the coordinator command; leaves questions alone', () => {
    const token = checkinToken(SESSION, '654321');
    expect(readCheckinRequest('签到 123456')).toEqual({ kind: 'code', code: '123456' });
    expect(readCheckinRequest('签到：１２３ ４５６')).toEqual({ kind: 'code', code: '123456' });
    expect(readCheckinRequest('Check-in 123456')).toEqual({ kind: 'code', code: '123456' });
    expect(readCheckinRequest(`/start ci_${token}`)).toEqual({
      kind: 'token',
      sessionId: SESSION,
      code: '654321',
    });
    expect(readCheckinRequest(`签到 ${token}`)).toEqual({
      kind: 'token',
      sessionId: SESSION,
      code: '654321',
    });
    expect(readCheckinRequest('签到')).toEqual({ kind: 'ask', malformed: false });
    expect(readCheckinRequest('签到 12345')).toEqual({ kind: 'ask', malformed: true });
    expect(readCheckinRequest('签到码 zx-ds-01')).toEqual({ kind: 'show', courseCode: 'ZX-DS-01' });
    expect(readCheckinRequest('签到码 123456')).toEqual({ kind: 'code', code: '123456' });
    expect(readCheckinRequest('123 456')).toEqual({ kind: 'digits', code: '123456' });
    expect(readCheckinRequest('1234567')).toBeUndefined();
    expect(readCheckinRequest('签到怎么弄？')).toBeUndefined();
    expect(readCheckinRequest('培训签到有补贴吗')).toBeUndefined();
    expect(readCheckinRequest(`签到 ${'😀'.repeat(5000)}`)).toBeUndefined();
  });
});

describe("Telegram's deep link", () => {
  it('passes the check-in token to the dialog as "/start ci_<token>", which reads it back', () => {
    const token = checkinToken(SESSION, '246810');
    const action = commandAction('start', `ci_${token}`, (key) => key);
    expect(action).toEqual({ type: 'dialog', text: `/start ci_${token}` });
    if (action.type !== 'dialog') return;
    expect(readCheckinRequest(action.text)).toEqual({ kind: 'token', sessionId: SESSION, code: '246810' });
  });
});
