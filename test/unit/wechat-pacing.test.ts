import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WechatSettings } from '../../src/channels/wechat/wechat-channel';
import { classifySendError } from '../../src/channels/wechat/wechat-errors';
import { createWechatChannel } from '../../src/channels/wechat/wechat-factory';
import { ProactiveGuard } from '../../src/channels/wechat/wechat-guard';
import { memoryLedger } from '../../src/channels/wechat/wechat-ledger';
import {
  dayKey,
  estimateWechatFinish,
  nextSendingDay,
  Pacer,
  type PacingConfig,
} from '../../src/channels/wechat/wechat-pacing';
import { ReplyWindow } from '../../src/channels/wechat/wechat-window';
import { loadConfig } from '../../src/config';
import { ChannelSendError } from '../../src/core/channel';
import type { Db } from '../../src/db/prisma-client';
import { createChannelActivity } from '../../src/db/repositories/channel-activity-repository';
import { createTranslator } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';

const config: PacingConfig = {
  WECHAT_ACCOUNT_KIND: 'personal',
  WECHAT_MIN_INTERVAL_MS: 3000,
  WECHAT_JITTER_MS: 2000,
  WECHAT_DAILY_CAP: 200,
  TIMEZONE: 'Asia/Shanghai',
  REMINDER_QUIET_HOURS: '22-7',
};
// 10:00 in Zhaotong.
const now = new Date('2026-11-27T02:00:00Z');

describe('estimateWechatFinish', () => {
  it('finishes today when the broadcast fits under the cap', () => {
    const e = estimateWechatFinish(120, now, config);
    expect(e).toMatchObject({ days: 1, spread: false, perDay: 200 });
    expect(e.finishAt.getTime()).toBe(now.getTime() + 120 * 5000);
  });

  it('spreads a broadcast larger than the daily cap over the following days', () => {
    const e = estimateWechatFinish(450, now, config);
    expect(e.days).toBe(3);
    expect(e.spread).toBe(true);
    // 200 today, 200 tomorrow, 50 on the 29th: sending resumes after the quiet hours (07:00 Beijing time),
    // within an hour, so at the latest from 08:00 (00:00 UTC).
    expect(e.finishAt.toISOString()).toBe(
      new Date(Date.parse('2026-11-29T00:00:00Z') + 50 * 5000).toISOString(),
    );
    expect(dayKey(e.finishAt, 'Asia/Shanghai')).toBe('2026-11-29');
  });

  it('counts what already went out today', () => {
    const e = estimateWechatFinish(10, now, config, 200);
    expect(e).toMatchObject({ days: 1, spread: true });
    expect(dayKey(e.finishAt, 'Asia/Shanghai')).toBe('2026-11-28');
  });

  it('has no cap for an Official Account, and nothing to do for an empty list', () => {
    expect(estimateWechatFinish(1000, now, { ...config, WECHAT_ACCOUNT_KIND: 'official' })).toMatchObject({
      days: 1,
      spread: false,
    });
    expect(estimateWechatFinish(0, now, config)).toMatchObject({ days: 0, spread: false, finishAt: now });
  });
});

describe('the daily cap', () => {
  const settings = { ...config, WECHAT_DAILY_CAP: 1 } as WechatSettings;

  it('holds the rest back until the next morning after the quiet hours, spread over an hour', async () => {
    const guard = new ProactiveGuard({ settings, ledger: memoryLedger(), random: () => 0.5 });
    await guard.admit('a', now);
    const error = (await guard.admit('b', now).catch((e) => e)) as ChannelSendError;
    expect(error.kind).toBe('rate_limited');
    // 10:00 today → 07:00 tomorrow (21 h) plus half of the one-hour spread.
    expect(error.retryAfterMs).toBe(21 * 3_600_000 + 1_800_000);
  });

  it('resumes at midnight when no quiet hours are configured', () => {
    expect(nextSendingDay(now, { ...config, REMINDER_QUIET_HOURS: '' }).toISOString()).toBe(
      '2026-11-27T16:00:00.000Z',
    );
  });

  it('gives back the count of a send that was refused, so it does not use up tomorrow', async () => {
    const ledger = memoryLedger();
    const guard = new ProactiveGuard({ settings, ledger });
    const undo = await guard.admit('a', now);
    await undo();
    await guard.admit('b', now);
    expect(await ledger.sentOn(dayKey(now, 'Asia/Shanghai'))).toBe(1);
  });
});

describe('Pacer', () => {
  it('waits the interval plus jitter between sends, not before the first', async () => {
    let clock = 0;
    const waits: number[] = [];
    const pacer = new Pacer({
      minIntervalMs: 3000,
      jitterMs: 2000,
      random: () => 0.5,
      clock: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    const sent: number[] = [];
    await Promise.all([1, 2, 3].map((n) => pacer.run(async () => sent.push(n))));
    expect(sent).toEqual([1, 2, 3]);
    expect(waits).toEqual([4000, 4000]);
  });

  it('sends nothing while held after WeChat said "too often", then goes on', async () => {
    let clock = 1_000;
    const waits: number[] = [];
    const pacer = new Pacer({
      minIntervalMs: 100,
      jitterMs: 0,
      clock: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    await pacer.run(async () => 'first');
    pacer.holdFor(60_000);
    await pacer.run(async () => 'after the hold');
    expect(waits).toEqual([60_000]);
  });

  it('keeps going after a failed send', async () => {
    const pacer = new Pacer({ minIntervalMs: 0, jitterMs: 0 });
    await expect(pacer.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await pacer.run(async () => 'ok')).toBe('ok');
  });
});

describe('ReplyWindow', () => {
  it('opens for 48 hours after the last inbound message and for 5 messages', () => {
    const w = new ReplyWindow();
    expect(w.check('u', now)).toBe('expired');
    w.noteInbound('u', now);
    for (let i = 0; i < 5; i++) {
      expect(w.check('u', now)).toBe('open');
      w.noteSent('u');
    }
    expect(w.check('u', now)).toBe('exhausted');
    w.noteInbound('u', new Date(now.getTime() + 1000));
    expect(w.check('u', new Date(now.getTime() + 47 * 3_600_000))).toBe('open');
    expect(w.check('u', new Date(now.getTime() + 49 * 3_600_000))).toBe('expired');
  });

  it('counts to 5 when the stored time of the last message is read on every send', () => {
    const w = new ReplyWindow();
    w.noteInbound('u', now);
    // What ChannelIdentity.lastInboundAt holds: written a few milliseconds after the message's own time.
    const stored = new Date(now.getTime() + 7);
    const states = Array.from({ length: 7 }, () => {
      const state = w.check('u', now, stored);
      if (state === 'open') w.noteSent('u');
      return state;
    });
    expect(states).toEqual(['open', 'open', 'open', 'open', 'open', 'exhausted', 'exhausted']);
  });

  it('trusts the stored time after a restart, and a clearly newer one from another process', () => {
    const restarted = new ReplyWindow();
    expect(restarted.check('u', now, new Date(now.getTime() - 3_600_000))).toBe('open');
    expect(restarted.check('v', now, new Date(now.getTime() - 49 * 3_600_000))).toBe('expired');
    const w = new ReplyWindow();
    w.noteInbound('u', new Date(now.getTime() - 50 * 3_600_000));
    expect(w.check('u', now)).toBe('expired');
    expect(w.check('u', now, new Date(now.getTime() - 3_600_000))).toBe('open');
  });
});

describe('classifySendError', () => {
  it.each([
    ['response out of time limit or subscription is canceled (errcode 45015)', 'outside_window'],
    ['errcode 45047 out of response count limit', 'outside_window'],
    ['操作过于频繁，请稍后再试', 'rate_limited'],
    ['对方开启了朋友验证，你还不是他（她）朋友', 'blocked'],
    ['MockContact.load(): wxid_x not exist.', 'blocked'],
    ['not logged in', 'unavailable'],
    ['invalid token', 'unavailable'],
    ['session expired, 登录失效', 'unavailable'],
    ['invalid media id', 'invalid'],
    ['socket hang up', 'network'],
  ] as const)('%s → %s', (message, kind) => {
    expect(classifySendError(new Error(message)).kind).toBe(kind);
  });

  it('keeps an already classified error', () => {
    const e = new ChannelSendError('window', 'outside_window');
    expect(classifySendError(e)).toBe(e);
  });
});

describe('WeChat channel factory', () => {
  const context = (env: Record<string, string>) => ({
    config: loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: join(tmpdir(), 'jineng-wechat-factory'), ...env }),
    logger: createLogger('silent'),
    translator: createTranslator(),
    redis: {} as never,
    activity: createChannelActivity({} as Db),
    links: { link: async () => ({ status: 'not_coordinator' as const }) },
  });

  it('leaves WeChat off until WECHATY_PUPPET names a puppet', () => {
    expect(createWechatChannel(context({}))).toBeUndefined();
    const channel = createWechatChannel(context({ WECHATY_PUPPET: 'wechaty-puppet-wechat4u' }));
    expect(channel?.name).toBe('wechat');
    expect(channel?.capabilities).toMatchObject({ buttons: false, maxTextLength: 2000, groups: true });
    expect(channel?.capabilities.sendRatePerSecond).toBeCloseTo(0.25);
  });

  it('declares the Official Account window', () => {
    const channel = createWechatChannel(
      context({ WECHATY_PUPPET: 'wechaty-puppet-official-account', WECHAT_ACCOUNT_KIND: 'official' }),
    );
    expect(channel?.capabilities.replyWindowHours).toBe(48);
  });

  it('refuses a puppet name that is not a Wechaty puppet', () => {
    expect(() => loadConfig({ WECHATY_PUPPET: 'left-pad' })).toThrow(/WECHATY_PUPPET/);
  });
});
