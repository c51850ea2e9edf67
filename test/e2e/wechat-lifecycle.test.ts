import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/core/channel';
import { repliesOnly } from '../support/echo-result';
import { startEcho, type WechatWorld, wechatSettings, wechatWorld } from '../support/wechat-world';

let current: WechatWorld | undefined;
afterEach(async () => {
  await current?.channel.stop();
  current = undefined;
});

/** Makes the puppet's `n`-th text send from now fail once with `message`, as a flaky connection would. */
function failSend(world: WechatWorld, n: number, message: string): void {
  const original = world.puppet.messageSendText.bind(world.puppet);
  let calls = 0;
  world.puppet.messageSendText = (async (chatId: string, text: string) => {
    calls += 1;
    if (calls === n) throw new Error(message);
    return original(chatId, text);
  }) as typeof world.puppet.messageSendText;
}

const squeeze = (text: string) => text.replace(/\s/g, '');

async function setUp(world?: WechatWorld) {
  const s = await startEcho(world);
  current = s.world;
  return s;
}

describe('wechat channel: login and lifecycle', () => {
  it('prints the login QR code in the terminal, logs it as a link, and logs login, logout and re-login', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const world = wechatWorld({ logger });
    current = world;
    let drawn = '';
    world.qrOutput.on('data', (chunk: Buffer) => {
      drawn += chunk.toString('utf8');
    });
    await world.channel.start(async () => repliesOnly());
    world.mocker.scan('https://login.weixin.qq.com/l/jineng-test');
    await new Promise((r) => setTimeout(r, 50));
    expect(drawn.split('\n').length).toBeGreaterThan(10);
    expect(lines.join('\n')).toContain(
      'https://wechaty.js.org/qrcode/https%3A%2F%2Flogin.weixin.qq.com%2Fl%2Fjineng-test',
    );

    await world.login();
    const user = world.person();
    await world.puppet.logout('kicked out by the phone');
    await new Promise((r) => setTimeout(r, 50));
    await expect(
      world.channel.send({ channel: 'wechat', chatId: user.contact.id }, { text: 'x' }),
    ).rejects.toMatchObject({
      kind: 'unavailable',
    });
    await world.login();
    await world.channel.send({ channel: 'wechat', chatId: user.contact.id }, { text: '又上线了' });
    expect((await user.next())[0]!.text).toBe('又上线了');
    const messages = lines.map((l) => JSON.parse(l).msg as string);
    expect(messages).toContain('WeChat: logged in');
    expect(messages.some((m) => m.startsWith('WeChat: logged out'))).toBe(true);
    expect(messages).toContain('WeChat: logged in again');
  });

  it('classifies a send to a chat that no longer exists as blocked', async () => {
    const { world } = await setUp();
    await expect(
      world.channel.send({ channel: 'wechat', chatId: 'wxid_gone' }, { text: '提醒' }),
    ).rejects.toMatchObject({
      kind: 'blocked',
    });
  });
});

describe('wechat channel: risk control', () => {
  it('spaces out what a personal account sends by the minimum interval plus jitter', async () => {
    const world = wechatWorld({}, wechatSettings({ WECHAT_MIN_INTERVAL_MS: '150', WECHAT_JITTER_MS: '100' }));
    await setUp(world);
    const user = world.person();
    const times: number[] = [];
    user.contact.on('message', (msg) => {
      if (msg.payload.talkerId === world.botUser.id) times.push(Date.now());
    });
    const to = { channel: 'wechat' as const, chatId: user.contact.id };
    await Promise.all([1, 2, 3].map((n) => world.channel.send(to, { text: `通知 ${n}` })));
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(145);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(145);
    expect(world.channel.capabilities.sendRatePerSecond).toBeCloseTo(1000 / 200);
  });

  it('refuses proactive sends over the daily cap with a retry time, but still answers people', async () => {
    const world = wechatWorld({}, wechatSettings({ WECHAT_DAILY_CAP: '2' }));
    await setUp(world);
    const user = world.person();
    const to = { channel: 'wechat' as const, chatId: user.contact.id };
    await world.channel.send(to, { text: '1' });
    await world.channel.send(to, { text: '2' });
    const refused = world.channel.send(to, { text: '3' });
    await expect(refused).rejects.toBeInstanceOf(ChannelSendError);
    await expect(refused).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(((await refused.catch((e) => e)) as ChannelSendError).retryAfterMs).toBeGreaterThan(0);
    await user.next(2);
    user.say('你好');
    expect((await user.next())[0]!.text).toBe('echo text: 你好');
  });

  it('finishes a long notice that failed partway on retry, without sending its beginning twice', async () => {
    const world = wechatWorld({}, wechatSettings({ WECHAT_MAX_TEXT: '500' }));
    await setUp(world);
    const user = world.person();
    const to = { channel: 'wechat' as const, chatId: user.contact.id };
    const notice = '本周六的实操课改到县职校二楼201教室，请带身份证和笔记本。'.repeat(40);
    failSend(world, 2, 'socket hang up');
    // As the outbound job sends it: with its delivery key, which its retry repeats.
    const delivery = { text: notice, deliveryKey: 'broadcast:b1:p1' };
    await expect(world.channel.send(to, delivery)).rejects.toMatchObject({ kind: 'network' });
    // The outbound queue's retry.
    await world.channel.send(to, delivery);
    const got = await user.quiet(300);
    expect(got.length).toBeGreaterThan(2);
    expect(squeeze(got.map((m) => m.text).join(''))).toBe(squeeze(notice));
    // A new notice with the same words, and a half-sent one never retried, do not skip anything.
    failSend(world, 2, 'socket hang up');
    await expect(world.channel.send(to, { text: notice, deliveryKey: 'broadcast:b2:p1' })).rejects.toThrow();
    await world.channel.send(to, { text: notice, deliveryKey: 'broadcast:b3:p1' });
    const all = await user.quiet(300);
    // The first notice whole, the first part of the one that failed, then the third whole.
    expect(all).toHaveLength(got.length * 2 + 1);
    expect(
      squeeze(
        all
          .slice(got.length + 1)
          .map((m) => m.text)
          .join(''),
      ),
    ).toBe(squeeze(notice));
  });

  it('takes the daily cap for every part of a long notice at once: all of it today, or none', async () => {
    const notice = '本周六的实操课改到县职校二楼201教室，请带身份证和笔记本。'.repeat(50);
    // About 1,350 characters: three parts of at most 500.
    const tight = wechatWorld({}, wechatSettings({ WECHAT_MAX_TEXT: '500', WECHAT_DAILY_CAP: '2' }));
    await setUp(tight);
    const user = tight.person();
    const to = { channel: 'wechat' as const, chatId: user.contact.id };
    await expect(tight.channel.send(to, { text: notice })).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(await user.quiet(300)).toEqual([]);
    // Nothing was used up: a one-part reminder still fits today.
    await tight.channel.send(to, { text: '明天上午9点上课' });
    expect(await user.next(1)).toHaveLength(1);
  });

  it('treats "session expired" from the puppet as a logout until the next login', async () => {
    const world = wechatWorld();
    await setUp(world);
    const user = world.person();
    const to = { channel: 'wechat' as const, chatId: user.contact.id };
    const heard: boolean[] = [];
    world.channel.availability.subscribe((available) => heard.push(available));
    failSend(world, 1, 'invalid session, 登录已失效');
    await expect(world.channel.send(to, { text: '提醒' })).rejects.toMatchObject({ kind: 'unavailable' });
    // The outbound worker follows this and pauses, instead of cycling every message.
    expect(world.channel.availability.current()).toBe(false);
    expect(heard).toEqual([false]);
    // The account is scanned in again.
    await world.puppet.logout('session expired');
    await world.login();
    expect(heard.at(-1)).toBe(true);
    await world.channel.send(to, { text: '又上线了' });
    expect((await user.next())[0]!.text).toBe('又上线了');
  });

  it('tries a reply again when the network fails, so the person still gets an answer', async () => {
    const world = wechatWorld();
    await setUp(world);
    const user = world.person();
    failSend(world, 1, 'socket hang up');
    user.say('你好');
    expect((await user.next(1, 10_000))[0]!.text).toBe('echo text: 你好');
    expect(await user.quiet(300)).toEqual([]);
  });

  it('respects the Official Account window: 48 hours after the last message, at most 5 messages', async () => {
    const persisted = new Map<string, Date>();
    const world = wechatWorld(
      { lastInboundAt: async (chatId) => persisted.get(chatId) },
      wechatSettings({ WECHAT_ACCOUNT_KIND: 'official' }),
    );
    await setUp(world);
    expect(world.channel.capabilities).toMatchObject({ buttons: false, replyWindowHours: 48, groups: false });
    const user = world.person();
    const to = { channel: 'wechat' as const, chatId: user.contact.id };
    await expect(world.channel.send(to, { text: '提醒' })).rejects.toMatchObject({ kind: 'outside_window' });
    user.say('你好');
    await user.next();
    for (let i = 0; i < 4; i++) await world.channel.send(to, { text: `提醒 ${i}` });
    await expect(world.channel.send(to, { text: '第六条' })).rejects.toMatchObject({
      kind: 'outside_window',
    });

    const earlier = world.person('老用户');
    persisted.set(earlier.contact.id, new Date(Date.now() - 50 * 3_600_000));
    const toEarlier = { channel: 'wechat' as const, chatId: earlier.contact.id };
    await expect(world.channel.send(toEarlier, { text: '提醒' })).rejects.toMatchObject({
      kind: 'outside_window',
    });
    persisted.set(earlier.contact.id, new Date(Date.now() - 47 * 3_600_000));
    await world.channel.send(toEarlier, { text: '提醒' });
    expect((await earlier.next())[0]!.text).toBe('提醒');
  });
});
