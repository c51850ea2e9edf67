import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebChannel } from '../../src/channels/web/web-channel';
import { type ChannelHarness, channelConformance, type SeenMessage } from '../support/channel-conformance';
import { repliesOnly } from '../support/echo-result';
import { type openEvents, type WebWorld, webChatId, webClient, webWorld } from '../support/web-world';

let world: WebWorld;
beforeAll(async () => {
  // The conformance suite starts and stops the channel itself, with its own dialog.
  world = await webWorld({ channels: false, workers: false });
});
afterAll(async () => {
  await world?.close();
});

/** One visitor: replies come back in the HTTP response, proactive messages over the SSE stream. */
async function webHarness(): Promise<ChannelHarness> {
  const channel = world.runtime.channels.get('web');
  if (!(channel instanceof WebChannel)) throw new Error('no web channel');
  const client = await webClient(world.url);
  const seen: SeenMessage[] = [];
  let consumed = 0;
  let fromStream = 0;
  let events: Awaited<ReturnType<typeof openEvents>> | undefined;
  const post = async (body: { text: string; choice?: number }) => {
    const { status, body: result } = await client.say(body);
    expect(status).toBe(200);
    seen.push(...result.replies.map((r) => ({ text: r.text, choices: r.choices })));
  };
  /** Adds what the stream brought since the last look, in the order it came. */
  const pullStream = () => {
    const pushed = (events?.events ?? []).filter((e) => e.event === 'message');
    for (const e of pushed.slice(fromStream)) seen.push(e.data as SeenMessage);
    fromStream = pushed.length;
  };
  return {
    channel,
    userAddress: { channel: 'web', chatId: await webChatId(world.runtime, client.token) },
    userSends: (text) => post({ text }),
    userChooses: (index, message) => post({ text: message.choices[index - 1] ?? '', choice: index }),
    async received(count) {
      // The stream opens after the channel started; messages sent before wait in the inbox and come first.
      events ??= await client.events();
      const deadline = Date.now() + 15_000;
      for (pullStream(); seen.length < consumed + count && Date.now() < deadline; pullStream()) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const out = seen.slice(consumed, consumed + count).map((s) => ({ text: s.text, choices: s.choices }));
      consumed += count;
      return out;
    },
    close: async () => {
      await events?.close();
    },
  };
}

channelConformance('web', webHarness);

describe('web channel', () => {
  it('keeps a proactive message for a page that is not open, and shows it once on the next visit', async () => {
    const channel = world.runtime.channels.get('web') as WebChannel;
    await channel.start(async () => repliesOnly());
    try {
      const client = await webClient(world.url);
      const chatId = await webChatId(world.runtime, client.token);
      await channel.send({ channel: 'web', chatId }, { text: '周六的课改到周日', choices: ['收到'] });
      const first = await client.events();
      const [shown] = await first.waitFor((e) => e.some((x) => x.event === 'message'));
      expect(shown?.data).toMatchObject({ text: '周六的课改到周日', choices: ['收到'] });
      await first.close();
      const again = await client.events();
      await again.waitFor((e) => e.some((x) => x.event === 'ready'));
      expect(again.events.filter((e) => e.event === 'message')).toEqual([]);
      await again.close();
    } finally {
      await channel.stop();
    }
  });

  it('refuses a proactive send to a session that no longer exists (the person is unreachable)', async () => {
    const channel = world.runtime.channels.get('web') as WebChannel;
    await expect(
      channel.send({ channel: 'web', chatId: '00000000-0000-4000-8000-000000000000' }, { text: 'x' }),
    ).rejects.toMatchObject({ kind: 'blocked' });
  });
});
