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

  it('uses Telegram’s defaults: 25 per second overall and one per second per chat', () => {
    expect(outboundLimits(config, 'telegram', caps(30))).toEqual({
      max: 25,
      durationMs: 1000,
      perChatIntervalMs: 1000,
      concurrency: 20,
    });
  });

  it('never goes faster than the channel declares, and paces WeChat one at a time', () => {
    expect(outboundLimits(config, 'telegram', caps(10)).max).toBe(10);
    expect(outboundLimits(config, 'wechat', caps(1 / 4))).toEqual({
      max: 1,
      durationMs: 4000,
      perChatIntervalMs: 0,
      concurrency: 1,
    });
    expect(
      outboundLimits(loadConfig({ OUTBOUND_DEFAULT_RATE_PER_SECOND: '1000' }), 'test', caps(1000)),
    ).toMatchObject({
      max: 1000,
      durationMs: 1000,
    });
  });

  it('turns domain keys into BullMQ job ids (which may not contain ":")', () => {
    expect(jobIdFor('reminder:e:s:120')).toBe('reminder.e.s.120');
  });
});
