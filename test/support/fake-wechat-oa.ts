import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { encryptPush, pushSignature } from '../../src/channels/wechat-oa/wechat-oa-crypto';
import { buildXml } from '../../src/channels/wechat-oa/wechat-oa-mapper';

/**
 * A protocol-level fake of the Official Account API, exactly the endpoints the wechat-oa channel uses:
 * GET /cgi-bin/token, POST /cgi-bin/message/custom/send, /message/template/send, /message/subscribe/bizsend,
 * and GET /cgi-bin/ticket/getticket?type=jsapi (the JS-SDK's jsapi_ticket, 7200 s, for the subscribe page).
 * Like the platform, fetching a token makes the previous one invalid (40001), a token can be expired (42001),
 * and a test can make any call answer one of the documented error codes.
 */
export type FakeApi = 'custom' | 'template' | 'subscribe' | 'ticket';
const PATHS: Record<string, FakeApi> = {
  '/cgi-bin/message/custom/send': 'custom',
  '/cgi-bin/message/template/send': 'template',
  '/cgi-bin/message/subscribe/bizsend': 'subscribe',
};
/** The platform's own words for the codes the channel must tell apart. */
export const ERRMSG: Record<number, string> = {
  40001: 'invalid credential, access_token is invalid or not latest',
  42001: 'access_token expired',
  45009: 'reach max api daily quota limit',
  43101: 'user refuse to accept the msg',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  40125: 'invalid appsecret',
  41001: 'access_token missing',
  40037: 'invalid template_id',
  47003: 'argument invalid! data.thing1.value invalid',
  40097: 'invalid args',
};

const customSchema = z.object({
  touser: z.string().min(1),
  msgtype: z.literal('text'),
  text: z.object({ content: z.string().min(1) }),
});
const templateSchema = z.object({
  touser: z.string().min(1),
  template_id: z.string().min(1),
  url: z.string().optional(),
  page: z.string().optional(),
  data: z.record(z.string(), z.object({ value: z.string() })),
});

export interface FakeCall {
  api: FakeApi;
  token: string;
  body: Record<string, unknown>;
  errcode: number;
}

export interface FakeWechatOa {
  url: string;
  appId: string;
  appSecret: string;
  /** Successful sends, in order. */
  calls: FakeCall[];
  /** Every answered call, failures included. */
  attempts: FakeCall[];
  tokenFetches: number;
  /** jsapi_tickets handed out by getticket, oldest first (each stays valid for its 7200 s). */
  jsapiTickets: string[];
  /** The next `times` calls to `api` (for `openId` only, if given) answer `errcode`. */
  fail(api: FakeApi, errcode: number, options?: { times?: number; openId?: string }): void;
  /** The current token expires (42001) as the platform's two hours run out. */
  expireToken(): void;
  /** Custom messages (inside the window), for one person. */
  customTo(openId: string): string[];
  close(): Promise<void>;
}

export async function startFakeWechatOa(
  appId = 'wxfake0123456789',
  appSecret = 'fake-secret-0123456789',
): Promise<FakeWechatOa> {
  let current = '';
  const expired = new Set<string>();
  let seq = 0;
  let msgSeq = 1_000_000_000;
  const failures: Array<{ api: FakeApi; errcode: number; times: number; openId?: string }> = [];
  const fake = {
    url: '',
    appId,
    appSecret,
    calls: [] as FakeCall[],
    attempts: [] as FakeCall[],
    tokenFetches: 0,
    jsapiTickets: [] as string[],
    fail(api: FakeApi, errcode: number, options: { times?: number; openId?: string } = {}) {
      failures.push({ api, errcode, times: options.times ?? 1, openId: options.openId });
    },
    expireToken() {
      expired.add(current);
    },
    customTo(openId: string) {
      return fake.calls
        .filter((c) => c.api === 'custom' && c.body.touser === openId)
        .map((c) => (c.body.text as { content: string }).content);
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const send = (res: ServerResponse, body: object) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, errcode: number) =>
    send(res, { errcode, errmsg: ERRMSG[errcode] ?? 'error' });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      if (url.searchParams.get('appid') !== appId || url.searchParams.get('secret') !== appSecret)
        return error(res, 40125);
      fake.tokenFetches += 1;
      // A new token makes the old one stop working at once (the classic client_credential behaviour).
      current = `TOKEN_${++seq}_${randomBytes(6).toString('hex')}`;
      return send(res, { access_token: current, expires_in: 7200 });
    }
    if (req.method === 'GET' && url.pathname === '/cgi-bin/ticket/getticket')
      return getTicket(url.searchParams, res);
    const api = PATHS[url.pathname];
    if (req.method !== 'POST' || !api) return error(res, 404);
    const token = url.searchParams.get('access_token') ?? '';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return error(res, 47001);
    }
    const record = (errcode: number) => {
      fake.attempts.push({ api, token, body, errcode });
      if (errcode === 0) fake.calls.push({ api, token, body, errcode });
    };
    const refuse = (errcode: number) => {
      record(errcode);
      error(res, errcode);
    };
    if (!token) return refuse(41001);
    if (expired.has(token)) return refuse(42001);
    if (token !== current) return refuse(40001);
    const parsed = (api === 'custom' ? customSchema : templateSchema).safeParse(body);
    if (!parsed.success) return refuse(47003);
    if (api === 'custom' && Buffer.byteLength((body.text as { content: string }).content) > 2048)
      return refuse(45002);
    const failure = failures.find((f) => f.api === api && (!f.openId || f.openId === body.touser));
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      record(failure.errcode);
      return error(res, failure.errcode);
    }
    record(0);
    // Template sends answer a msgid (the TEMPLATESENDJOBFINISH push names it); the others do not.
    return send(
      res,
      api === 'template' ? { errcode: 0, errmsg: 'ok', msgid: ++msgSeq } : { errcode: 0, errmsg: 'ok' },
    );
  }

  /** getticket: the token is checked like every call's; the answer is the documented one, errcode 0 and all. */
  function getTicket(query: URLSearchParams, res: ServerResponse) {
    const token = query.get('access_token') ?? '';
    const type = query.get('type') ?? '';
    const errcode = !token
      ? 41001
      : expired.has(token)
        ? 42001
        : token !== current
          ? 40001
          : type !== 'jsapi' && type !== 'wx_card'
            ? 40097
            : 0;
    const failure = errcode === 0 ? failures.find((f) => f.api === 'ticket') : undefined;
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
    }
    const answer = failure?.errcode ?? errcode;
    fake.attempts.push({ api: 'ticket', token, body: { type }, errcode: answer });
    if (answer !== 0) return error(res, answer);
    fake.calls.push({ api: 'ticket', token, body: { type }, errcode: 0 });
    const ticket = `${randomBytes(32).toString('base64url')}${++seq}`;
    fake.jsapiTickets.push(ticket);
    return send(res, { errcode: 0, errmsg: 'ok', ticket, expires_in: 7200 });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** The platform's side of the message push: signed query strings and push bodies, plain or encrypted. */
export function platformPush(keys: { token: string; appId: string; encodingAesKey?: string; path: string }) {
  let n = 0;
  const query = (extra: Record<string, string> = {}, token = keys.token) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(100000 + ++n);
    return { timestamp, nonce, signature: pushSignature(token, timestamp, nonce), ...extra };
  };
  const url = (q: Record<string, string>) => `${keys.path}?${new URLSearchParams(q).toString()}`;
  return {
    query,
    url,
    /** A text message from `openId`, as the platform posts it (plain mode). */
    text(openId: string, content: string, msgId = String(Date.now() * 1000 + ++n)) {
      return buildXml({
        ToUserName: 'gh_fake',
        FromUserName: openId,
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'text',
        Content: content,
        MsgId: msgId,
      });
    },
    event(openId: string, event: string, extra: Record<string, string | number> = {}) {
      return buildXml({
        ToUserName: 'gh_fake',
        FromUserName: openId,
        CreateTime: Math.floor(Date.now() / 1000) + ++n,
        MsgType: 'event',
        Event: event,
        ...extra,
      });
    },
    /** The same push in encrypted (安全) mode: the URL (with msg_signature) and the envelope body. */
    encrypted(xml: string, appId = keys.appId) {
      if (!keys.encodingAesKey) throw new Error('no EncodingAESKey');
      const q = query({ encrypt_type: 'aes' });
      const { ciphertext, msgSignature } = encryptPush(
        { token: keys.token, encodingAesKey: keys.encodingAesKey, appId },
        xml,
        q.timestamp,
        q.nonce,
      );
      return {
        url: url({ ...q, msg_signature: msgSignature }),
        body: buildXml({ ToUserName: 'gh_fake', Encrypt: ciphertext }),
      };
    },
  };
}
