import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebChannel } from '../../src/channels/web/web-channel';
import type { DeliveryRepository } from '../../src/delivery/delivery-repository';
import { until } from '../support/outreach-runtime';
import { type WebWorld, webChatId, webClient, webWorld } from '../support/web-world';

let world: WebWorld;
const web = () => world.runtime.channels.get('web') as WebChannel;

// Retries 2 s apart: time for the test to do what a crash does to a claim in between.
beforeAll(async () => {
  world = await webWorld({ env: { OUTBOUND_BACKOFF_MS: '2000' } });
});
afterAll(() => world.close());

async function openPage() {
  const client = await webClient(world.url);
  const chatId = await webChatId(world.runtime, client.token);
  const events = await client.events();
  await events.waitFor((e) => e.some((x) => x.event === 'ready'));
  const shown = () =>
    events.events.filter((e) => e.event === 'message').map((e) => (e.data as { text: string }).text);
  return { chatId, events, shown };
}

const inbox = (loginId: string) => world.runtime.db.webInboxMessage.findMany({ where: { loginId } });

describe('the web chat and the delivery key', () => {
  it('stores and shows a message sent twice under one delivery key once', async () => {
    const page = await openPage();
    const address = { channel: 'web' as const, chatId: page.chatId };
    const message = {
      text: '明天上午的课改到201教室',
      choices: ['收到'],
      deliveryKey: `test:${randomUUID()}`,
    };
    await web().send(address, message);
    await web().send(address, message);
    // Another message with the same words but its own key is a message of its own.
    await web().send(address, { ...message, deliveryKey: `test:${randomUUID()}` });
    await page.events.waitFor((e) => e.filter((x) => x.event === 'message').length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(page.shown()).toEqual(['明天上午的课改到201教室', '明天上午的课改到201教室']);
    expect(await inbox(page.chatId)).toHaveLength(2);
    await page.events.close();
  });

  it('refuses a chat id that is no web session as invalid (one failure), not as a network error to retry', async () => {
    const sent = web().send({ channel: 'web', chatId: 'web:not-a-session' }, { text: 'x', deliveryKey: 'k' });
    await expect(sent).rejects.toMatchObject({ name: 'ChannelSendError', kind: 'invalid' });
  });

  it('shows a notice once when the first attempt sent it but could not record it (an in-doubt resend)', async () => {
    const page = await openPage();
    const deliveries = world.runtime.delivery.ledger as DeliveryRepository;
    const key = `test:${randomUUID()}`;
    // The first attempt reaches the page, then its "sent" mark fails, as the uuid error once made it fail.
    const markSent = deliveries.markSent;
    let failed!: () => void;
    const failure = new Promise<void>((resolve) => {
      failed = resolve;
    });
    deliveries.markSent = async () => {
      deliveries.markSent = markSent;
      failed();
      throw new Error('lost the database after the send');
    };
    try {
      await world.runtime.delivery.outbox.enqueue([
        {
          key,
          kind: 'test',
          address: { channel: 'web', chatId: page.chatId },
          message: { text: '本周六停课' },
        },
      ]);
      await failure;
    } finally {
      deliveries.markSent = markSent;
    }
    // What a crash leaves: a claim whose lease ran out, so the retry takes it over in doubt and sends again.
    await world.runtime.db.delivery.update({
      where: { key },
      data: { claimedAt: new Date(Date.now() - 3_600_000) },
    });
    const row = await until('the resend to be recorded', async () => {
      const d = await world.runtime.db.delivery.findUniqueOrThrow({ where: { key } });
      return d.status === 'sent' ? d : undefined;
    });
    expect(row).toMatchObject({ inDoubt: true, attempts: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect(page.shown()).toEqual(['本周六停课']);
    expect(await inbox(page.chatId)).toHaveLength(1);
    await page.events.close();
  });
});
