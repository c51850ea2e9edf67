import type {} from '@fastify/cookie';
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebChannel } from '../../channels/web/web-channel';
import type { WebLogin } from '../../channels/web/web-logins-store';
import { sseEvent } from '../../channels/web/web-mapper';
import type { Config } from '../../config';
import { openEventStream } from '../event-stream';
import { HttpError, parseRequest } from '../http-errors';
import { requestBucket } from '../ip-rate-limit';
import { LOGIN_HEADER, loginHeaderSchema, MESSAGE_BODY_LIMIT, messageBodySchema } from './web-chat-schemas';

export const CHAT_COOKIE = 'jineng_chat';
const HEARTBEAT_MS = 25_000;

export interface WebChatRoutesOptions {
  channel: WebChannel;
  config: Config;
}

const noLogin = () =>
  new HttpError(401, 'no_session', 'No chat session: create one with POST /api/webchat/session.');
const badLogin = () =>
  new HttpError(401, 'invalid_session', 'The chat session is unknown, forged or expired: create a new one.');

/**
 * The web chat API. A web login is a random token the server issues (POST /api/webchat/session, which the API
 * calls a session): in a signed HTTP-only cookie for the page, in the body (messages) or the X-Webchat-Session
 * header (events) for tools. Every request names its login by that token only, so no one can read another
 * login's messages.
 */
export async function webChatRoutes(scope: FastifyInstance, { channel, config }: WebChatRoutesOptions) {
  const logins = channel.deps.logins;
  const cookieOptions = {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    path: '/',
    maxAge: config.WEB_SESSION_DAYS * 86_400,
  } as const;
  const loginKeys = new WeakMap<FastifyRequest, string>();
  const perLogin = scope.createRateLimit({
    keyGenerator: (request) => `login:${loginKeys.get(request) ?? requestBucket(request)}`,
    max: config.WEB_RATE_PER_MINUTE,
    timeWindow: 60_000,
  });
  const streams = new Set<() => void>();
  scope.addHook('preClose', async () => {
    for (const close of [...streams]) close();
  });

  /** The login named by the body or header token, else by the cookie; a bad one is refused, not replaced. */
  async function loginOf(request: FastifyRequest, token?: string): Promise<WebLogin> {
    let given = token;
    if (!given) {
      const cookie = request.cookies[CHAT_COOKIE];
      if (!cookie) throw noLogin();
      const unsigned = request.unsignCookie(cookie);
      if (!unsigned.valid || !unsigned.value) throw badLogin();
      given = unsigned.value;
    }
    const login = await logins.resolve(given);
    if (!login) throw badLogin();
    return login;
  }

  scope.get('/api/webchat/session', async (request) => {
    const active = await loginOf(request).then(
      () => true,
      () => false,
    );
    return { active };
  });

  scope.post('/api/webchat/session', async (request, reply) => {
    const current = await loginOf(request).catch(() => undefined);
    if (current) return { resumed: true };
    const created = await logins.create();
    reply.setCookie(CHAT_COOKIE, created.token, cookieOptions);
    return reply.code(201).send({ sessionId: created.token });
  });

  scope.post('/api/webchat/messages', { bodyLimit: MESSAGE_BODY_LIMIT }, async (request, reply) => {
    const body = parseRequest(messageBodySchema, request.body);
    const login = await loginOf(request, body.sessionId);
    loginKeys.set(request, login.id);
    const limit = await perLogin(request);
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header('retry-after', String(limit.ttlInSeconds));
      throw new HttpError(429, 'rate_limited', `Too many messages: wait ${limit.ttlInSeconds} s.`);
    }
    if (!channel.started) throw new HttpError(503, 'starting', 'The chat is starting; try again shortly.');
    const turn = await channel.receive({
      loginId: login.id,
      text: body.text,
      choice: body.choice,
      messageId: body.messageId,
    });
    // "Delete my data" removes the login with the person: the page forgets its transcript and the next
    // message starts a new login.
    if (await logins.isActive(login.id)) return turn;
    reply.clearCookie(CHAT_COOKIE, { path: cookieOptions.path });
    return { ...turn, ended: true };
  });

  scope.get('/api/webchat/events', async (request, reply) => {
    const header = request.headers[LOGIN_HEADER];
    const token = header === undefined ? undefined : parseRequest(loginHeaderSchema, header, 'header');
    const login = await loginOf(request, token);
    if (!channel.started) throw new HttpError(503, 'starting', 'The chat is starting; try again shortly.');
    openStream(request, reply, login);
  });

  function openStream(request: FastifyRequest, reply: FastifyReply, login: WebLogin): void {
    const stream = openEventStream(request, reply, { heartbeatMs: HEARTBEAT_MS, streams });
    const { write, close } = stream;
    let detach: (() => void) | undefined;
    stream.onClose(() => detach?.());
    channel
      .connect(login.id, (item) => write(sseEvent('message', item.id, item)), close)
      .then((undo) => {
        detach = undo;
        if (!stream.open) undo();
        else write(sseEvent('ready', undefined, {}));
      })
      .catch((error) => {
        request.log.warn({ err: error }, 'web chat stream failed');
        close();
      });
  }
}
