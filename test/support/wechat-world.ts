import { PassThrough } from 'node:stream';
import { Friendship as FriendshipType, type Message as MessageType } from 'wechaty-puppet/types';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import {
  WechatChannel,
  type WechatChannelOptions,
  type WechatSettings,
} from '../../src/channels/wechat/wechat-channel';
import { loadConfig } from '../../src/config';
import type { InboundMessage } from '../../src/core/message';
import { createTranslator } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';
import type { SeenMessage } from './channel-conformance';
import { repliesOnly } from './echo-result';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;

const CHOICE = /^(?:回复 (\d+) |Reply (\d+): )(.+)$/;

/** How a person reads one bot message on WeChat: the text, and the "回复 1 …" lines as choices. */
export function seen(text: string): SeenMessage {
  const lines = text.split('\n');
  const choices = lines.flatMap((l) => CHOICE.exec(l)?.[3] ?? []);
  return {
    text: lines
      .filter((l) => !CHOICE.test(l))
      .join('\n')
      .trim(),
    choices,
  };
}

/** Test settings: the real defaults, but no pacing unless a test asks for it. */
export function wechatSettings(overrides: Record<string, string> = {}): WechatSettings {
  return loadConfig({
    WECHAT_MIN_INTERVAL_MS: '0',
    WECHAT_JITTER_MS: '0',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

/**
 * A WeChat world on wechaty-puppet-mock: the bot's account, a real Wechaty inside a WechatChannel, and
 * people who add the bot, write to it and read what it sends back.
 */
export function wechatWorld(options: Partial<WechatChannelOptions> = {}, settings = wechatSettings()) {
  const mocker = new mock.Mocker();
  // No heartbeats in the mock: keep the puppet's watchdog from restarting it during a long test.
  const puppet = new PuppetMock({ mocker, timeoutSeconds: 3600 });
  const botUser = mocker.createContact({ name: '技能助手' });
  const qrOutput = new PassThrough();
  const channel = new WechatChannel({
    puppet,
    settings,
    translator: createTranslator(),
    logger: createLogger('silent'),
    qrOutput,
    ...options,
  });

  let rawSeq = 0;
  const rawIds = new Set<string>();

  async function login(): Promise<void> {
    mocker.login(botUser);
    await channel.whenLoggedIn();
  }

  /** Collects what the bot sends to one chat (a person's private chat or a room). */
  function inbox(target: ContactMock | RoomMock) {
    const got: string[] = [];
    let taken = 0;
    const onMessage = (msg: { payload: { talkerId: string; roomId?: string; text?: string } }) => {
      const p = msg.payload;
      const inRoom = 'memberIdList' in target.payload;
      if (p.talkerId !== botUser.id || Boolean(p.roomId) !== inRoom) return;
      got.push(p.text ?? '');
    };
    target.on('message', onMessage as never);
    return {
      all: () => got.map(seen),
      /** Waits for `count` more bot messages (default 5 s) and returns them. */
      async next(count = 1, timeoutMs = 5000): Promise<SeenMessage[]> {
        const until = Date.now() + timeoutMs;
        while (got.length < taken + count && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
        if (got.length < taken + count)
          throw new Error(
            `expected ${count} more messages, got ${got.length - taken}: ${got.slice(taken).join(' | ')}`,
          );
        const out = got.slice(taken, taken + count).map(seen);
        taken += count;
        return out;
      },
      /** Waits for the bot's whole answer to one message: its first reply, then until the channel is idle. */
      async turn(timeoutMs = 8000): Promise<SeenMessage[]> {
        const until = Date.now() + timeoutMs;
        while (got.length === taken && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
        if (got.length === taken) throw new Error('the bot did not answer');
        await channel.whenIdle();
        const out = got.slice(taken).map(seen);
        taken = got.length;
        return out;
      },
      /** Returns what arrives within a moment (expected: nothing). */
      async quiet(ms = 300): Promise<SeenMessage[]> {
        await new Promise((r) => setTimeout(r, ms));
        return got.slice(taken).map(seen);
      },
    };
  }

  /** A WeChat user: talks to the bot in private and in rooms, and reads the bot's private messages. */
  function person(name = '王师傅') {
    const contact = mocker.createContact({ name });
    const box = inbox(contact);
    return {
      contact,
      ...box,
      say: (text: string) => contact.say(text).to(botUser),
      sayInRoom: (room: RoomMock, text: string, mentions: ContactMock[] = []) =>
        contact.say(text, mentions).to(room),
      /** Sends a friend request carrying `hello`, as WeChat delivers it to the bot. */
      async requestFriendship(hello: string): Promise<void> {
        const id = `friendship-${contact.id}`;
        await puppet.friendshipPayload(id, {
          id,
          contactId: contact.id,
          hello,
          ticket: 'ticket',
          timestamp: Date.now(),
          type: FriendshipType.Receive,
        });
        puppet.emit('friendship', { friendshipId: id });
      },
    };
  }

  /**
   * Delivers a message WeChat would produce but a mock contact cannot type (a voice note, a recall, a red
   * packet, a message from before the login…), exactly as the puppet delivers any message.
   */
  function deliver(
    from: ContactMock,
    fields: {
      type: MessageType;
      text?: string;
      timestamp?: number;
      id?: string;
      /** In a room (a join or leave notice), optionally @-mentioning these contacts. */
      room?: RoomMock;
      mentions?: ContactMock[];
    },
  ) {
    const id = fields.id ?? `raw-${++rawSeq}-${Date.now()}`;
    if (!fields.id || !rawIds.has(id)) {
      mocker.MessageMock.create({
        id,
        talkerId: from.id,
        ...(fields.room
          ? { roomId: fields.room.id, mentionIdList: fields.mentions?.map((m) => m.id) ?? [] }
          : { listenerId: botUser.id }),
        text: fields.text,
        timestamp: fields.timestamp ?? Date.now(),
        type: fields.type,
      });
      rawIds.add(id);
    }
    puppet.emit('message', { messageId: id });
    return id;
  }

  function room(topic: string, members: ContactMock[]) {
    const r = mocker.createRoom({ topic, memberIdList: [botUser.id, ...members.map((m) => m.id)] });
    return { room: r, ...inbox(r) };
  }

  return { mocker, puppet, botUser, channel, qrOutput, login, person, room, deliver };
}

export type WechatWorld = ReturnType<typeof wechatWorld>;

/** A started, logged-in channel whose dialog records what it is given and echoes it back. */
export async function startEcho(world: WechatWorld = wechatWorld()) {
  const inbound: InboundMessage[] = [];
  await world.channel.start(async (m) => {
    inbound.push(m);
    return repliesOnly([{ text: `echo ${m.kind}: ${m.text}` }]);
  });
  await world.login();
  return { world, inbound };
}
