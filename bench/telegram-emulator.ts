import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer';

/**
 * telegram-test-api (a Bot API emulator, dev dependency) plus a small proxy in front of it, for the e2e
 * tests and the `telegram` benchmark. The proxy fills the emulator's gaps and nothing more:
 * - getUpdates waits for an update the way Telegram's long polling does (the emulator answers at once, so
 *   a polling bot would spin on it and burn the CPU the benchmark measures);
 * - it records the bot's API calls (method and payload) for assertions;
 * - `failNext` answers one call with a chosen error (429 with retry_after, 403…), which the emulator cannot.
 * Everything else is the emulator's own behaviour.
 */
export interface TelegramEmulator {
  /** Point bots here (grammY `client.apiRoot` / TELEGRAM_API_ROOT). */
  apiRoot: string;
  server: TelegramServer;
  calls: BotCall[];
  failNext(method: string, fault: { status: number; body: Record<string, unknown> }): void;
  user(options: UserOptions): EmulatedUser;
  /** Resolves when the emulator stores the next bot message to `chatId` (call before the user sends). */
  nextBotMessage(chatId: number): Promise<void>;
  close(): Promise<void>;
}

export interface BotCall {
  method: string;
  payload: Record<string, unknown>;
}

export interface UserOptions {
  token: string;
  userId: number;
  /** Defaults to the user's private chat (same id). Negative for groups. */
  chatId?: number;
  chatType?: 'private' | 'group' | 'supergroup';
  firstName?: string;
  languageCode?: string;
}

/** One bot message as the user's app would show it. */
export interface BotMessage {
  messageId: number;
  text: string;
  buttons: { text: string; data: string }[];
}

export interface EmulatedUser {
  chatId: number;
  userId: number;
  /** Types a message; a leading /command is sent with its bot_command entity. `extra` merges into it. */
  send(text: string, extra?: Record<string, unknown>): Promise<void>;
  /** Presses button `index` (1-based) under `message`. */
  press(message: BotMessage, index: number): Promise<void>;
  /** Presses a button carrying arbitrary data (stale or forged). */
  pressData(data: string, messageId?: number): Promise<void>;
  /** Waits for `count` more bot messages in this chat. */
  received(count: number, timeoutMs?: number): Promise<BotMessage[]>;
  /** Bot messages that arrive within `ms` (to show that nothing does). */
  quiet(ms: number): Promise<BotMessage[]>;
}

const USER_EVENTS = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'] as const;

export async function startTelegramEmulator(): Promise<TelegramEmulator> {
  const mod = (await import('telegram-test-api')) as unknown as {
    default: typeof TelegramServer | { default: typeof TelegramServer };
  };
  const Server = 'default' in mod.default ? mod.default.default : mod.default;
  const server = new Server({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  const emulatorUrl = server.config.apiURL;
  const calls: BotCall[] = [];
  const faults = new Map<string, { status: number; body: Record<string, unknown> }[]>();

  const proxy = createServer((req, res) => {
    void forward(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(502).end(JSON.stringify({ ok: false, description: error.message }));
    });
  });
  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = /^\/bot[^/]+\/(\w+)/.exec(req.url ?? '')?.[1] ?? '';
    const payload = parseJson(body);
    calls.push({ method, payload });
    const fault = faults.get(method)?.shift();
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify(fault.body));
      return;
    }
    const call = () =>
      fetch(`${emulatorUrl}${req.url}`, {
        method: req.method,
        headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json') },
        body: req.method === 'GET' ? undefined : body,
      });
    // Listen before asking, so an update that lands in between is not missed.
    const arrival = method === 'getUpdates' ? watchUser(server, res) : undefined;
    let answer = await call();
    let text = await answer.text();
    if (arrival && /"result":\[\]/.test(text)) {
      await arrival.wait(Math.min(Number(payload['timeout'] ?? 0), 10) * 1000);
      if (res.destroyed) return;
      answer = await call();
      text = await answer.text();
    }
    arrival?.dispose();
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  }
  // Longer than clients keep idle connections, so a reused one is never closed under a request.
  proxy.keepAliveTimeout = 65_000;
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const apiRoot = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  return {
    apiRoot,
    server,
    calls,
    failNext(method, fault) {
      faults.set(method, [...(faults.get(method) ?? []), fault]);
    },
    user: (options) => emulatedUser(server, emulatorUrl, options),
    nextBotMessage(chatId) {
      return new Promise((resolve) => {
        const onMessage = () => {
          if (String(server.storage.botMessages.at(-1)?.message.chat_id) !== String(chatId)) return;
          server.off('AddedBotMessage', onMessage);
          resolve();
        };
        server.on('AddedBotMessage', onMessage);
      });
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await server.stop();
    },
  };
}

function emulatedUser(server: TelegramServer, emulatorUrl: string, o: UserOptions): EmulatedUser {
  const chatId = o.chatId ?? o.userId;
  const client = server.getClient(o.token, {
    userId: o.userId,
    chatId,
    type: o.chatType ?? 'private',
    firstName: o.firstName ?? `User${o.userId}`,
    userName: `user${o.userId}`,
    chatTitle: o.chatType && o.chatType !== 'private' ? `Class group ${chatId}` : undefined,
  });
  const from = { language_code: o.languageCode ?? 'zh-hans' };
  const inbox: BotMessage[] = [];
  const fetchNew = async () => {
    const answer = await fetch(`${emulatorUrl}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: o.token, chatId }),
    });
    const { result } = (await answer.json()) as { result: StoredBotMessage[] };
    inbox.push(...result.map(toBotMessage));
  };
  return {
    chatId,
    userId: o.userId,
    async send(text, extra = {}) {
      const options = { ...extra, from: { ...from, ...((extra['from'] as object) ?? {}) } };
      if (text.startsWith('/')) await client.sendCommand(client.makeCommand(text, options));
      else await client.sendMessage(client.makeMessage(text, options));
    },
    async press(message, index) {
      const button = message.buttons[index - 1];
      if (!button) throw new Error(`no button ${index} under "${message.text.slice(0, 40)}"`);
      await this.pressData(button.data, message.messageId);
    },
    async pressData(data, messageId) {
      await client.sendCallback(client.makeCallbackQuery(data, { from, message: { message_id: messageId } }));
    },
    async received(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (inbox.length < count && Date.now() < deadline) {
        await fetchNew();
        if (inbox.length < count) await sleep(5);
      }
      if (inbox.length < count) {
        throw new Error(`expected ${count} bot messages in chat ${chatId}, got ${inbox.length}`);
      }
      return inbox.splice(0, count);
    },
    async quiet(ms) {
      await sleep(ms);
      await fetchNew();
      return inbox.splice(0);
    },
  };
}

interface StoredBotMessage {
  messageId: number;
  message: {
    text?: string;
    reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] };
  };
}

function toBotMessage(stored: StoredBotMessage): BotMessage {
  const rows = stored.message.reply_markup?.inline_keyboard ?? [];
  return {
    messageId: stored.messageId,
    text: stored.message.text ?? '',
    buttons: rows.flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' })),
  };
}

/** Notices user updates from now on; `wait` resolves at one, when the bot hangs up, or at the timeout. */
function watchUser(server: TelegramServer, res: ServerResponse) {
  let arrived = false;
  let wake = () => {};
  const onUpdate = () => {
    arrived = true;
    wake();
  };
  for (const event of USER_EVENTS) server.on(event, onUpdate);
  const dispose = () => {
    for (const event of USER_EVENTS) server.off(event, onUpdate);
  };
  return {
    dispose,
    wait(timeoutMs: number): Promise<void> {
      if (arrived || timeoutMs <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => wake(), timeoutMs);
        wake = () => {
          clearTimeout(timer);
          res.off('close', wake);
          resolve();
        };
        res.on('close', wake);
      }).finally(dispose);
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(body: string): Record<string, unknown> {
  try {
    const value = JSON.parse(body) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
