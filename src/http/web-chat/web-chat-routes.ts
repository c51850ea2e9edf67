import type {} from '@fastify/cookie';
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebChannel } from '../../channels/web/web-channel';
import { sseEvent } from '../../channels/web/web-mapper';
import type { WebSession } from '../../channels/web/web-sessions-store';
import type { Config } from '../../config';
import { HttpError, parseRequest } from '../http-errors';
import { requestBucket } from '../ip-rate-limit';
import {
  MESSAGE_BODY_LIMIT,
  messageBodySchema,
  SESSION_HEADER,
  sessionHeaderSchema,
} from './web-chat-schemas';

export const CHAT_COOKIE = 'jineng_chat';
const HEARTBEAT_MS = 25_000;

export interface WebChatRoutesOptions {
  channel: WebChannel;
  config: Config;
}

const noSession = () =>
  new HttpError(401, 'no_session', 'No chat session: create one with POST /api/webchat/session.');
const badSession = () =>
  new HttpError(401, 'invalid_session', 'The chat session is unknown, forged or expired: create a new one.');

/**
 * The web chat API. A session is a random token the server issues (POST /api/webchat/session): in a signed
 * HTTP-only cookie for the page, in the body (messages) or the X-Webchat-Session header (events) for tools.
 * Every request names its session by that token only, so no one can read another session's messages.
 */
export async function webChatRoutes(scope: FastifyInstance, { channel, config }: WebChatRoutesOptions) {
  const sessions = channel.deps.sessions;
  const cookieOptions = {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    path: '/',
    maxAge: config.WEB_SESSION_DAYS * 86_400,
  } as const;
  const sessionKeys = new WeakMap<FastifyRequest, string>();
  const perSession = scope.createRateLimit({
    keyGenerator: (request) => `session:${sessionKeys.get(request) ?? requestBucket(request)}`,
    max: config.WEB_RATE_PER_MINUTE,
    timeWindow: 60_000,
  });
  const streams = new Set<() => void>();
  scope.addHook('preClose', async () => {
    for (const close of [...streams]) close();
  });

  /** The session named by the body or header token, else by the cookie; a bad one is refused, not replaced. */
  async function sessionOf(request: FastifyRequest, token?: string): Promise<WebSession> {
    let given = token;
    if (!given) {
      const cookie = request.cookies[CHAT_COOKIE];
      if (!cookie) throw noSession();
      const unsigned = request.unsignCookie(cookie);
      if (!unsigned.valid || !unsigned.value) throw badSession();
      given = unsigned.value;
    }
    const session = await sessions.resolve(given);
    if (!session) throw badSession();
    return session;
  }

  scope.get('/api/webchat/session', async (request) => {
    const active = await sessionOf(request).then(
      () => true,
      () => false,
    );
    return { active };
  });

  scope.post('/api/webchat/session', async (request, reply) => {
    const current = await sessionOf(request).catch(() => undefined);
    if (current) return { resumed: true };
    const created = await sessions.create();
    reply.setCookie(CHAT_COOKIE, created.token, cookieOptions);
    return reply.code(201).send({ sessionId: created.token });
  });

  scope.post('/api/webchat/messages', { bodyLimit: MESSAGE_BODY_LIMIT }, async (request, reply) => {
    const body = parseRequest(messageBodySchema, request.body);
    const session = await sessionOf(request, body.sessionId);
    sessionKeys.set(request, session.id);
    const limit = await perSession(request);
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header('retry-after', String(limit.ttlInSeconds));
      throw new HttpError(429, 'rate_limited', `Too many messages: wait ${limit.ttlInSeconds} s.`);
    }
    if (!channel.started) throw new HttpError(503, 'starting', 'The chat is starting; try again shortly.');
    const turn = await channel.receive({
      sessionId: session.id,
      text: body.text,
      choice: body.choice,
      messageId: body.messageId,
    });
    // "Delete my data" removes the session with the person: the page forgets its transcript and the next
    // message starts a new session.
    if (await sessions.isActive(session.id)) return turn;
    reply.clearCookie(CHAT_COOKIE, { path: cookieOptions.path });
    return { ...turn, ended: true };
  });

  scope.get('/api/webchat/events', async (request, reply) => {
    const header = request.headers[SESSION_HEADER];
    const token = header === undefined ? undefined : parseRequest(sessionHeaderSchema, header, 'header');
    const session = await sessionOf(request, token);
    if (!channel.started) throw new HttpError(503, 'starting', 'The chat is starting; try again shortly.');
    openStream(request, reply, session);
  });

  function openStream(request: FastifyRequest, reply: FastifyReply, session: WebSession): void {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let open = true;
    let detach: (() => void) | undefined;
    const write = (chunk: string) => {
      if (open && !raw.writableEnded && !raw.destroyed) raw.write(chunk);
    };
    const close = () => {
      if (!open) return;
      open = false;
      clearInterval(beat);
      streams.delete(close);
      detach?.();
      raw.end();
    };
    const beat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
    streams.add(close);
    request.raw.on('close', close);
    raw.on('error', close);
    write('retry: 3000\n\n');
    channel
      .connect(session.id, (item) => write(sseEvent('message', item.id, item)), close)
      .then((undo) => {
        detach = undo;
        if (!open) undo();
        else write(sseEvent('ready', undefined, {}));
      })
      .catch((error) => {
        request.log.warn({ err: error }, 'web chat stream failed');
        close();
      });
  }
}
