import { afterEach, describe, expect, it, vi } from 'vitest';
import { Contact as ContactType, Message as MessageType } from 'wechaty-puppet/types';
import type { Channel } from '../../src/core/channel';
import { channelConformance } from '../support/channel-conformance';
import { startEcho, type WechatWorld, wechatWorld } from '../support/wechat-world';

channelConformance('wechat', async () => {
  const world = wechatWorld();
  const user = world.person();
  // The conformance suite starts the channel itself; the account logs in right after, as after a QR scan.
  const channel: Channel = {
    name: world.channel.name,
    capabilities: world.channel.capabilities,
    start: async (handler) => {
      await world.channel.start(handler);
      await world.login();
    },
    send: (address, message) => world.channel.send(address, message),
    stop: () => world.channel.stop(),
  };
  return {
    channel,
    userAddress: { channel: 'wechat', chatId: user.contact.id },
    userSends: async (text) => user.say(text),
    userChooses: async (index) => user.say(String(index)),
    received: (count) => user.next(count),
    close: async () => {},
  };
});

let current: WechatWorld | undefined;
afterEach(async () => {
  await current?.channel.stop();
  current = undefined;
});

async function setUp(world?: WechatWorld) {
  const s = await startEcho(world);
  current = s.world;
  return s;
}

describe('wechat channel: what is not for the dialog', () => {
  it("ignores the bot's own messages, from this process and from the phone", async () => {
    const { world, inbound } = await setUp();
    const user = world.person();
    await world.channel.send({ channel: 'wechat', chatId: user.contact.id }, { text: '通知' });
    world.botUser.say('我在手机上发的').to(user.contact);
    expect((await user.next(2)).map((m) => m.text)).toEqual(['通知', '我在手机上发的']);
    expect(await user.quiet()).toEqual([]);
    expect(inbound).toEqual([]);
  });

  it('ignores official accounts and system notices (拍一拍, recalls, joins and leaves)', async () => {
    const { world, inbound } = await setUp();
    const official = world.mocker.createContact({ name: '微信支付', type: ContactType.Official });
    official.say('您有一笔新的收款').to(world.botUser);
    const user = world.person();
    world.deliver(user.contact, { type: MessageType.Text, text: '"王师傅" 拍了拍我' });
    world.deliver(user.contact, { type: MessageType.Text, text: '你已添加了王师傅，现在可以开始聊天了。' });
    world.deliver(user.contact, { type: MessageType.Recalled, text: '王师傅撤回了一条消息' });
    world.deliver(user.contact, { type: MessageType.Unknown });
    const { room } = world.room('电商班', [user.contact]);
    // Puppets that deliver join and leave notices as room text, some naming (and so "mentioning") the bot.
    const notices = [
      '"王师傅"邀请"技能助手"加入了群聊',
      '"王师傅"邀请"李大姐"加入了群聊',
      '"李大姐"移出了群聊',
    ];
    for (const text of notices)
      world.deliver(user.contact, { type: MessageType.Text, text, room, mentions: [world.botUser] });
    expect(await user.quiet(400)).toEqual([]);
    expect(inbound).toEqual([]);
    // …and still answers the next real message.
    user.say('培训要钱吗');
    expect((await user.next())[0]!.text).toBe('echo text: 培训要钱吗');
  });

  it('passes voice notes, images, stickers, red packets, links and mini-programs on as media', async () => {
    const { world, inbound } = await setUp();
    const types = [
      MessageType.Audio,
      MessageType.Image,
      MessageType.Emoticon,
      MessageType.RedEnvelope,
      MessageType.Url,
      MessageType.MiniProgram,
    ];
    for (const type of types) {
      const user = world.person();
      world.deliver(user.contact, { type, text: '<msg>…</msg>' });
      expect((await user.next())[0]!.text).toMatch(/^echo (voice|media):$/);
    }
    expect(inbound.map((m) => m.kind)).toEqual(['voice', 'media', 'media', 'media', 'media', 'media']);
    expect(inbound.every((m) => m.text === '')).toBe(true);
  });

  it('answers a burst of stickers and images from one person once', async () => {
    const { world, inbound } = await setUp();
    const user = world.person();
    world.deliver(user.contact, { type: MessageType.Emoticon });
    world.deliver(user.contact, { type: MessageType.Emoticon });
    world.deliver(user.contact, { type: MessageType.Image });
    await user.next();
    expect(await user.quiet()).toEqual([]);
    expect(inbound).toHaveLength(1);
  });

  it('answers a message delivered twice (a replay after re-login) once, and rapid-fire repeats once', async () => {
    const { world, inbound } = await setUp();
    const user = world.person();
    const id = world.deliver(user.contact, { type: MessageType.Text, text: '你好', id: 'replayed-1' });
    await user.next(1);
    // Replayed after it was answered (as puppets do after a re-login): only the ledger of ids can tell.
    world.deliver(user.contact, { type: MessageType.Text, text: '你好', id });
    expect(await user.quiet()).toEqual([]);
    for (let i = 0; i < 4; i++) user.say('我要报名');
    await user.next(1);
    expect(await user.quiet()).toEqual([]);
    expect(inbound.map((m) => m.text)).toEqual(['你好', '我要报名']);
  });

  it('does not answer what was sent long before the bot logged in', async () => {
    const world = wechatWorld();
    const { inbound } = await setUp(world);
    const user = world.person();
    world.deliver(user.contact, {
      type: MessageType.Text,
      text: '昨天的问题',
      timestamp: Date.now() - 3 * 3_600_000,
    });
    world.deliver(user.contact, {
      type: MessageType.Text,
      text: '刚才的问题',
      timestamp: Date.now() - 60_000,
    });
    await user.next(1);
    expect(await user.quiet()).toEqual([]);
    expect(inbound.map((m) => m.text)).toEqual(['刚才的问题']);
  });

  it('takes empty texts and 5,000-character pastes without failing', async () => {
    const { world, inbound } = await setUp();
    const user = world.person();
    user.say('   ');
    await user.next();
    user.say('培训'.repeat(2500));
    await user.next();
    expect(inbound[0]!.text.trim()).toBe('');
    expect(inbound[1]!.text.length).toBeLessThanOrEqual(4000);
  });
});

describe('wechat channel: rooms and friends', () => {
  it('answers in a room only when @-mentioned, in the room, without the mention', async () => {
    const { world, inbound } = await setUp();
    const user = world.person();
    const group = world.room('镇雄电商班', [user.contact]);
    user.sayInRoom(group.room, '大家好，明天几点上课？');
    expect(await group.quiet()).toEqual([]);
    user.sayInRoom(group.room, '@技能助手\u2005培训要钱吗', [world.botUser]);
    expect((await group.next())[0]!.text).toBe('echo text: 培训要钱吗');
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ isGroup: true, mentioned: true, senderId: user.contact.id });
    expect(inbound[0]!.address.chatId).toBe(group.room.id);
    expect(await user.quiet(100)).toEqual([]);
  });

  it('links a room to a course when asked "@bot 绑定 <code>", without bothering the dialog', async () => {
    const requests: unknown[] = [];
    const world = wechatWorld({
      linkRoom: async (request) => {
        requests.push(request);
        return {
          status: 'linked',
          course: { code: request.code, title: { 'zh-CN': '电子商务班', en: 'E-commerce' } },
        };
      },
    });
    const { inbound } = await setUp(world);
    const coordinator = world.person('张老师');
    const group = world.room('镇雄电商班', [coordinator.contact]);
    coordinator.sayInRoom(group.room, '@技能助手 绑定 zx-ds-01', [world.botUser]);
    expect((await group.next())[0]!.text).toContain('【ZX-DS-01】电子商务班');
    expect(requests).toEqual([
      { channel: 'wechat', chatId: group.room.id, externalId: coordinator.contact.id, code: 'ZX-DS-01' },
    ]);
    expect(inbound).toEqual([]);
  });

  it('accepts and greets a friend request that mentions 培训, and leaves others for a person', async () => {
    const { world } = await setUp();
    const accepted = vi.spyOn(world.puppet, 'friendshipAccept');
    const worker = world.person();
    await worker.requestFriendship('你好，我想问问培训的事');
    expect((await worker.next())[0]!.text).toContain('培训助手');
    expect(accepted).toHaveBeenCalledTimes(1);
    const stranger = world.person('卖保险的');
    await stranger.requestFriendship('交个朋友');
    expect(await stranger.quiet()).toEqual([]);
    expect(accepted).toHaveBeenCalledTimes(1);
  });
});
