import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { ChannelCapabilities } from '../../src/core/channel';
import { outboundLimits } from '../../src/delivery/outbound-limits';
import { jobIdFor } from '../../src/delivery/outbound-queues';

const caps = (sendRatePerSecond: number): ChannelCapabilities => ({
  buttons: true,
  maxTextLength: 4096,
  sendRatePerSecond,
  groups: true,
});

describe('outbound limits', () => {
  const config = loadConfig({});

  const perSecond = (l: { max: number; durationMs: number }) => (l.max * 1000) / l.durationMs;

  it('uses Telegram’s defaults: 25 per second overall, in ~0.1 s windows, and one per second per chat', () => {
    const limits = outboundLimits(config, 'telegram', caps(30));
    expect(limits).toEqual({ max: 3, durationMs: 120, perChatIntervalMs: 1000, concurrency: 20 });
    expect(perSecond(limits)).toBe(25);
  });

  it('never goes faster than the channel declares, and paces WeChat one at a time', () => {
    expect(perSecond(outboundLimits(config, 'telegram', caps(10)))).toBe(10);
    expect(outboundLimits(config, 'wechat', caps(1 / 4))).toEqual({
      max: 1,
      durationMs: 4000,
      perChatIntervalMs: 0,
      concurrency: 1,
    });
    // A burst never waits for a whole second's window to end: 100 per 0.1 s, not 1,000 per second.
    expect(
      outboundLimits(loadConfig({ OUTBOUND_DEFAULT_RATE_PER_SECOND: '1000' }), 'test', caps(1000)),
    ).toMatchObject({ max: 100, durationMs: 100 });
  });

  it('turns domain keys into BullMQ job ids (which may not contain ":")', () => {
    expect(jobIdFor('reminder:e:s:120')).toBe('reminder.e.s.120');
  });
});
