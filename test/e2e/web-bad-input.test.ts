import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { WebChannel } from '../../src/channels/web/web-channel';
import { consoleHttp, invite } from '../support/console';
import { webSuite } from '../support/web-suite';
import { webChatId, webClient, webWorld } from '../support/web-world';

const suite = webSuite({ env: { WEB_RATE_PER_MINUTE: '5', WEB_IP_RATE_PER_MINUTE: '100000' } });

const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${suite.world.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('the web chat API with bad input', () => {
  it('answers an oversized body with 413', async () => {
    const client = await webClient(suite.world.url);
    const response = await postJson(
      '/api/webchat/messages',
      JSON.stringify({ sessionId: client.token, text: '长'.repeat(20_000) }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'too_large' });
  });

  it('answers a broken address (a half %-escape) with a short page in both languages', async () => {
    const response = await fetch(`${suite.world.url}/console/courses/%E0%A4%A/roster`);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('这个链接不完整或有误');
    expect(page).toContain('This link is incomplete or wrong');
    expect((await fetch(`${suite.world.url}/healthz`)).status).toBe(200);
  });

  it('answers missing fields, wrong types and broken JSON with 400 and a message naming the field', async () => {
    const { token } = await webClient(suite.world.url);
    const cases: [string, RegExp][] = [
      [JSON.stringify({ sessionId: token }), /text/],
      [JSON.stringify({ sessionId: token, text: 42 }), /text.*string/],
      [JSON.stringify({ sessionId: token, text: 'hi', choice: '2' }), /choice/],
      [JSON.stringify({ sessionId: 'short', text: 'hi' }), /sessionId/],
      [JSON.stringify(['hi']), /expected object/],
      ['{"text": "unterminated', /JSON/i],
    ];
    for (const [body, message] of cases) {
      const response = await postJson('/api/webchat/messages', body);
      expect(response.status, body).toBe(400);
      const json = (await response.json()) as { error: string; message: string };
      expect(json.message, body).toMatch(message);
    }
  });

  it('refuses forged, unknown and missing sessions, and never hands out someone else’s', async () => {
    const forgedCookie = await postJson('/api/webchat/messages', JSON.stringify({ text: 'hi' }), {
      cookie: 'jineng_chat=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.forgedsignature',
    });
    expect(forgedCookie.status).toBe(401);
    expect(await forgedCookie.json()).toMatchObject({ error: 'invalid_session' });
    const unknown = await postJson(
      '/api/webchat/messages',
      JSON.stringify({ sessionId: 'A'.repeat(43), text: 'hi' }),
    );
    expect(unknown.status).toBe(401);
    expect((await postJson('/api/webchat/messages', JSON.stringify({ text: 'hi' }))).status).toBe(401);
    // The chat id (what the outbound queue knows) is not a session token.
    const victim = await webClient(suite.world.url);
    const chatId = await webChatId(suite.world.runtime, victim.token);
    const asChatId = await postJson(
      '/api/webchat/messages',
      JSON.stringify({ sessionId: chatId, text: 'hi' }),
    );
    expect(asChatId.status).toBe(400);
    const events = await fetch(`${suite.world.url}/api/webchat/events`, {
      headers: { 'x-webchat-session': 'B'.repeat(43) },
    });
    expect(events.status).toBe(401);
  });

  it('pushes a notice only to the session it is for', async () => {
    const alice = await webClient(suite.world.url);
    const bob = await webClient(suite.world.url);
    const aliceEvents = await alice.events();
    const bobEvents = await bob.events();
    await bobEvents.waitFor((e) => e.some((x) => x.event === 'ready'));
    await aliceEvents.waitFor((e) => e.some((x) => x.event === 'ready'));
    const web = suite.world.runtime.channels.get('web') as WebChannel;
    await web.send(
      { channel: 'web', chatId: await webChatId(suite.world.runtime, bob.token) },
      { text: '只给 Bob 的通知' },
    );
    await bobEvents.waitFor((e) => e.some((x) => x.event === 'message'));
    await new Promise((r) => setTimeout(r, 300));
    expect(aliceEvents.events.filter((e) => e.event === 'message')).toEqual([]);
    await Promise.all([aliceEvents.close(), bobEvents.close()]);
  });

  it('answers a flood of messages from one session with 429 and keeps serving everyone else', async () => {
    const client = await webClient(suite.world.url);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await client.say({ text: `第${i}条` })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const other = await webClient(suite.world.url);
    expect((await other.say({ text: '你好' })).status).toBe(200);
    expect((await fetch(`${suite.world.url}/healthz`)).status).toBe(200);
  });
});

describe('course import with bad files', () => {
  async function upload(session: Awaited<ReturnType<typeof consoleHttp>>, name: string, data: Buffer) {
    const page = await session.get('/console/import');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)]), name);
    return session.post(`/console/import?_csrf=${encodeURIComponent(session.tokenOf(page.text))}`, form);
  }

  it('reports broken rows of a GBK CSV line by line and imports the good ones', async () => {
    const session = await consoleHttp(
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['zhenxiong'] }),
    );
    const csv = [
      '课程编号,课程名称,工种,县区,地点,名额',
      'ZX-GB-01,镇雄家政服务班,家政服务,镇雄,镇雄县人社局培训中心,25',
      'ZX-GB-02,名额不对,家政服务,镇雄县,某地,很多',
      'zx_gb_03,编号不对,家政服务,镇雄县,某地,10',
      'ZX-GB-04,<script>alert(1)</script>,家政服务,镇雄县,某地,10',
      'ZX-GB-05,"没关上的引号,家政服务,镇雄县,某地,10',
    ].join('\r\n');
    const result = await upload(session, 'courses.csv', iconv.encode(csv, 'gbk'));
    expect(result.status).toBe(200);
    expect(result.text).toContain('新建 2 门');
    expect(result.text).toMatch(/<td>3<\/td><td>ZX-GB-02<\/td><td>名额<\/td><td>请填数字<\/td>/);
    expect(result.text).toContain('课程编号格式应像 ZX-DS-01');
    expect(result.text).toContain('格式坏了');
    const course = await suite.world.runtime.db.course.findUniqueOrThrow({ where: { code: 'ZX-GB-01' } });
    expect(course.title).toBe('镇雄家政服务班');
    // A script in a title is stored as text and shown escaped.
    const list = await session.get('/console/courses?q=ZX-GB');
    expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(list.text).not.toContain('<script>alert(1)</script>');
  });

  it('reads Excel files, and refuses files that are no table or too large', async () => {
    const session = await consoleHttp(
      suite.world.url,
      await invite(suite.world.runtime, { counties: ['zhenxiong'] }),
    );
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('课程');
    sheet.addRow(['code', 'title', 'trade', 'county', 'venue', 'capacity', 'startsAt', 'endsAt']);
    sheet.addRow([
      'ZX-XL-01',
      'Excel 导入的班',
      'chef',
      'zhenxiong',
      '镇雄县',
      20,
      new Date(Date.UTC(2030, 2, 2, 9)),
      new Date(Date.UTC(2030, 2, 2, 17)),
    ]);
    sheet.addRow(['ZX-XL-02', '', 'chef', 'zhenxiong', '镇雄县', 20]);
    const xlsx = await upload(session, 'courses.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(xlsx.text).toContain('新建 1 门');
    expect(xlsx.text).toMatch(/<td>3<\/td><td>ZX-XL-02<\/td><td>课程名称<\/td><td>必填<\/td>/);
    const session0 = await suite.world.runtime.db.classSession.findFirstOrThrow({
      where: { course: { code: 'ZX-XL-01' } },
    });
    expect(session0.startsAt.toISOString()).toBe('2030-03-02T01:00:00.000Z'); // 09:00 in Asia/Shanghai

    const garbage = await upload(session, 'x.xlsx', Buffer.from('PK\u0003\u0004 not really a zip'));
    expect(garbage.status).toBe(400);
    expect(garbage.text).toContain('读不出这个文件');
    const huge = await upload(session, 'big.csv', Buffer.alloc(6 * 1024 * 1024, 'a'));
    expect(huge.status).toBe(413);
    expect((await fetch(`${suite.world.url}/healthz`)).status).toBe(200);
  });
});

describe('a flood from one address', () => {
  it('is answered with 429 on the chat API and the console alike, and the server keeps running', async () => {
    const small = await webWorld({ env: { WEB_IP_RATE_PER_MINUTE: '20' }, workers: false });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        const path = i % 2 ? '/api/webchat/session' : '/console/login';
        statuses.push((await fetch(`${small.url}${path}`, { method: i % 2 ? 'POST' : 'GET' })).status);
      }
      expect(statuses.slice(0, 20).every((s) => s < 400)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
      const limited = await fetch(`${small.url}/api/webchat/session`, { method: 'POST' });
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
      expect((await fetch(`${small.url}/healthz`)).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
