import { describe, expect, it } from 'vitest';
import { TelegramPacer } from '../../src/channels/telegram/telegram-pacer';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TelegramPacer', () => {
  it('lets a burst of one second through, then spaces messages at the rate', () => {
    const c = clock();
    const pacer = new TelegramPacer(25, 20, c.now);
    const waits = Array.from({ length: 27 }, (_, i) => pacer.reserve(String(1000 + i)));
    expect(waits.slice(0, 25).every((w) => w === 0)).toBe(true);
    expect(waits[25]).toBe(40);
    expect(waits[26]).toBe(80);
    c.advance(2000);
    expect(pacer.reserve('1')).toBe(0);
  });

  it('allows 20 messages a minute into one group, and says when the next may go', () => {
    const c = clock();
    const pacer = new TelegramPacer(1000, 20, c.now);
    for (let i = 0; i < 20; i++) {
      expect(pacer.groupWait('-100')).toBe(0);
      pacer.reserve('-100');
      c.advance(1000);
    }
    expect(pacer.groupWait('-100')).toBe(40_000);
    expect(pacer.groupWait('-200')).toBe(0);
    expect(pacer.groupWait('12345')).toBe(0);
    c.advance(40_000);
    expect(pacer.groupWait('-100')).toBe(0);
    expect(pacer.groupWait('-100', 2)).toBe(1000);
  });

  it('makes a direct reply into a full group wait instead of failing', () => {
    const c = clock();
    const pacer = new TelegramPacer(1000, 20, c.now);
    for (let i = 0; i < 20; i++) pacer.reserve('-100');
    expect(pacer.reserve('-100')).toBe(60_000);
  });
});
