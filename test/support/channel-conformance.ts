import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/core/channel';
import type { ChatAddress, InboundMessage, OutboundMessage } from '../../src/core/message';
import { repliesOnly } from './echo-result';

/** What a person sees of one bot message on the platform. */
export interface SeenMessage {
  text: string;
  /** Choices as the platform shows them (button labels or numbered lines). */
  choices: string[];
}

/**
 * A channel wired to its platform or the platform's emulator, plus a way to act as one user there.
 * Every channel's tests build one and run `channelConformance` on it.
 */
export interface ChannelHarness {
  channel: Channel;
  /** The user's private chat, for proactive sends. */
  userAddress: ChatAddress;
  /** The user types a message. */
  userSends(text: string): Promise<void>;
  /** The user picks choice `index` (1-based) of the last message, the platform's way (button or number). */
  userChooses(index: number, seen: SeenMessage): Promise<void>;
  /** Waits until the user has received `count` more messages from the bot, and returns them. */
  received(count: number): Promise<SeenMessage[]>;
  close(): Promise<void>;
}

/** The behaviour every channel must share, whatever the platform. */
export function channelConformance(name: string, makeHarness: () => Promise<ChannelHarness>): void {
  describe(`${name} channel conformance`, () => {
    let h: ChannelHarness;
    let inbound: InboundMessage[];
    let reply: (m: InboundMessage) => OutboundMessage[];

    beforeEach(async () => {
      h = await makeHarness();
      inbound = [];
      reply = (m) => [{ text: `echo: ${m.text}` }];
      await h.channel.start(async (m) => {
        inbound.push(m);
        return repliesOnly(reply(m));
      });
    });
    afterEach(async () => {
      await h.channel.stop();
      await h.close();
    });

    it('declares sane capabilities', () => {
      expect(h.channel.name).toBe(h.userAddress.channel);
      expect(h.channel.capabilities.maxTextLength).toBeGreaterThan(100);
      expect(h.channel.capabilities.sendRatePerSecond).toBeGreaterThan(0);
    });

    it('passes what the user typed to the dialog and delivers its replies in order', async () => {
      reply = () => [{ text: '第一条' }, { text: 'second' }];
      await h.userSends('你好 hello');
      const seen = await h.received(2);
      expect(seen.map((s) => s.text)).toEqual(['第一条', 'second']);
      expect(inbound).toHaveLength(1);
      const m = inbound[0]!;
      expect(m.text).toBe('你好 hello');
      expect(m.address.channel).toBe(name);
      expect(m.id).toBeTruthy();
      expect(m.senderId).toBeTruthy();
    });

    it('shows choices and brings a pick back as that choice', async () => {
      reply = (m) =>
        m.choiceIndex !== undefined || /^\d$/.test(m.text.trim())
          ? [{ text: `picked ${m.choiceIndex ?? m.text.trim()}` }]
          : [{ text: '请选择', choices: ['报名', '看看其他课程'] }];
      await h.userSends('menu');
      const [menu] = await h.received(1);
      expect(menu!.text).toContain('请选择');
      expect(menu!.choices.join('\n')).toContain('报名');
      expect(menu!.choices.join('\n')).toContain('看看其他课程');
      await h.userChooses(2, menu!);
      const [picked] = await h.received(1);
      expect(picked!.text).toBe('picked 2');
    });

    it('delivers a proactive message to the user', async () => {
      await h.channel.send(h.userAddress, { text: '明天上午9点改到201教室' });
      const [seen] = await h.received(1);
      expect(seen!.text).toContain('明天上午9点改到201教室');
    });

    it('delivers a text longer than the platform limit completely, in order', async () => {
      const limit = Math.min(h.channel.capabilities.maxTextLength, 5000);
      const sentence = '这是一句很长的通知内容。';
      const long = sentence.repeat(Math.ceil((limit * 1.5) / sentence.length));
      await h.channel.send(h.userAddress, { text: long });
      const parts = Math.ceil(long.length / h.channel.capabilities.maxTextLength);
      const seen = await h.received(parts);
      expect(
        seen
          .map((s) => s.text)
          .join('')
          .replace(/\s/g, ''),
      ).toBe(long);
    });
  });
}
