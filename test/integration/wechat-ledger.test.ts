import { describe, expect, it } from 'vitest';
import { memoryLedger, redisLedger, type WechatLedger } from '../../src/channels/wechat/wechat-ledger';
import { testRedis, uniquePrefix } from '../support/test-env';

describe.each([
  ['Redis', () => redisLedger(testRedis(), uniquePrefix('wechat'))],
  ['memory', () => memoryLedger()],
] as Array<[string, () => WechatLedger]>)('WeChat ledger (%s)', (_name, make) => {
  it('sees a message id once', async () => {
    const ledger = make();
    expect(await ledger.firstSight('m1')).toBe(true);
    expect(await ledger.firstSight('m1')).toBe(false);
    expect(await ledger.firstSight('m2')).toBe(true);
  });

  it('counts proactive sends per day and takes one back', async () => {
    const ledger = make();
    expect(await ledger.addSent('2026-11-27')).toBe(1);
    expect(await ledger.addSent('2026-11-27')).toBe(2);
    await ledger.removeSent('2026-11-27');
    expect(await ledger.sentOn('2026-11-27')).toBe(1);
    expect(await ledger.sentOn('2026-11-28')).toBe(0);
  });

  it('remembers how many parts of a long message went out, until told the message is done', async () => {
    const ledger = make();
    expect(await ledger.partsSent('chat-a:abc')).toBe(0);
    await ledger.setPartsSent('chat-a:abc', 2);
    expect(await ledger.partsSent('chat-a:abc')).toBe(2);
    expect(await ledger.partsSent('chat-b:abc')).toBe(0);
    await ledger.setPartsSent('chat-a:abc', 0);
    expect(await ledger.partsSent('chat-a:abc')).toBe(0);
  });
});

it('keeps what it saw across a restart when backed by Redis', async () => {
  const prefix = uniquePrefix('wechat');
  expect(await redisLedger(testRedis(), prefix).firstSight('before-restart')).toBe(true);
  expect(await redisLedger(testRedis(), prefix).firstSight('before-restart')).toBe(false);
});
