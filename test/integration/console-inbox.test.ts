import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxSubscriberName } from '../../src/app/inbox-subscriber';
import { consoleHttp, invite } from '../support/console';
import { openEvents, webClient, webWorld } from '../support/web-world';

/**
 * The console's inbox without a browser (issue 17): the event stream carries only items the login may see,
 * the pages work as plain forms, a refused reply says why, and the one Redis subscription of the process is
 * shared by every stream and closed with the app.
 */

let world: Awaited<ReturnType<typeof webWorld>>;
let redis: Redis;
let closed = false;

/** Connections to Redis named as this deployment's console inbox subscriber. */
async function subscribers(): Promise<number> {
  const name = inboxSubscriberName(world.runtime.config.QUEUE_PREFIX);
  const list = (await redis.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
}

beforeAll(async () => {
  world = await webWorld({ env: { OFFICE_HOURS: 'Mon-Sun 00:00-24:00' } });
  redis = new Redis(world.runtime.config.REDIS_URL);
}, 60_000);
afterAll(async () => {
  if (!closed) await world?.close();
  redis?.disconnect();
});

const cookieOf = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

describe('the console inbox', () => {
  it('streams a new handoff to the coordinator in scope only; the forms claim and reply without a script', {
    timeout: 60_000,
  }, async () => {
    const { url, runtime } = world;
    expect(await subscribers()).toBe(0);
    const zhenxiong = await consoleHttp(url, await invite(runtime, { counties: ['zhenxiong'] }));
    const weixin = await consoleHttp(url, await invite(runtime, { counties: ['weixin'] }));
    const mine = await openStream(zhenxiong.jar);
    const theirs = await openStream(weixin.jar);
    // Two pages, one subscription of this process.
    expect(await subscribers()).toBe(1);

    const user = await webClient(url);
    await user.say({ text: '你好' });
    await runtime.db.person.updateMany({
      where: { identities: { some: { channel: 'web' } } },
      data: { county: 'zhenxiong' },
    });
    await user.say({ text: '人工客服' });
    const [opened] = await mine.waitFor((events) => events.some((e) => e.event === 'inbox'));
    const change = mine.events.find((e) => e.event === 'inbox')!.data as { id: string; type: string };
    expect(opened?.event).toBe('ready');
    expect(change.type).toBe('opened');

    // No script: the list, the item, claim and reply are plain pages and forms.
    const list = await zhenxiong.get('/console/inbox');
    expect(list.text).toContain('人工客服');
    expect(list.text).toContain('人工服务（1）');
    const claimed = await zhenxiong.submit(
      `/console/inbox/${change.id}`,
      `/console/inbox/${change.id}/claim`,
    );
    expect(claimed.status).toBe(303);
    expect(claimed.headers.get('location')).toBe(`/console/inbox/${change.id}?done=claimed`);
    const replied = await zhenxiong.submit(
      `/console/inbox/${change.id}`,
      `/console/inbox/${change.id}/reply`,
      {
        text: '您好，请讲',
      },
    );
    expect(replied.headers.get('location')).toBe(`/console/inbox/${change.id}?done=replied`);
    await mine.waitFor((events) =>
      events.some((e) => e.event === 'inbox' && (e.data as { type: string }).type === 'replied'),
    );
    expect((await zhenxiong.get(`/console/inbox/${change.id}`)).text).toContain('您好，请讲');
    const audited = await runtime.db.auditLog.findMany({
      where: { target: change.id },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((a) => a.action)).toEqual(['inbox.claimed', 'inbox.replied']);
    expect(JSON.stringify(audited.map((a) => a.detail))).not.toContain('您好，请讲');

    // The Weixin coordinator's stream carried nothing of it, their list is empty, the item a 404.
    expect(theirs.events.map((e) => e.event)).toEqual(['ready']);
    expect((await weixin.get('/console/inbox')).text).toContain('现在没有人在等人工。');
    expect((await weixin.get(`/console/inbox/${change.id}`)).status).toBe(404);

    await mine.close();
    await theirs.close();
  });

  it('a reply the channel cannot carry is refused with the reason, the text kept, nothing sent', async () => {
    const { url, runtime } = world;
    const admin = await consoleHttp(url, await invite(runtime, { role: 'admin' }));
    const id = randomUUID();
    await runtime.database.pool.query(
      `INSERT INTO inbox_items (id, kind, channel, channel_user, chat_id, last_text, transcript)
       VALUES ($1, 'handoff', 'converse', 'terminal-user', 'terminal-user', '我要找人',
         '[{"who":"user","text":"我要找人","at":"2026-12-04T08:00:00.000Z"}]'::jsonb)`,
      [id],
    );
    const page = await admin.get(`/console/inbox/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('我要找人');
    const refused = await admin.post(
      `/console/inbox/${id}/reply`,
      new URLSearchParams({ _csrf: admin.tokenOf(page.text), text: '稍后给您回电' }),
    );
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('“命令行”渠道不能事后给本人发消息，回复没有发出。');
    expect(refused.text).toContain('>稍后给您回电</textarea>');
    expect(await runtime.db.delivery.count({ where: { chatId: 'terminal-user' } })).toBe(0);
  });

  it('closing the app ends open streams and its Redis subscription', { timeout: 60_000 }, async () => {
    const { url, runtime } = world;
    const coordinator = await consoleHttp(url, await invite(runtime, { counties: ['zhenxiong'] }));
    const stream = await openStream(coordinator.jar);
    expect(await subscribers()).toBe(1);
    closed = true;
    await world.close();
    expect(stream.ended || (await stream.waitEnded())).toBe(true);
    // Redis drops a closed connection from its list as soon as it reads the close.
    await expect.poll(subscribers).toBe(0);
  });
});

/** An EventSource-like reader of /console/inbox/events for a console login, once it says `ready`. */
async function openStream(jar: Map<string, string>) {
  const stream = await openEvents(`${world.url}/console/inbox/events`, { cookie: cookieOf(jar) });
  expect(stream.status).toBe(200);
  await stream.waitFor((events) => events.some((e) => e.event === 'ready'));
  return {
    ...stream,
    events: stream.events,
    get ended() {
      return stream.ended;
    },
    async waitEnded() {
      while (!stream.ended) await new Promise((r) => setTimeout(r, 20));
      return true;
    },
  };
}
