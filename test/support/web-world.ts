import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../src/app/compose';
import { hashWebToken } from '../../src/channels/web/web-logins-store';
import { startHttp } from '../../src/http/start-http';
import { testRuntime } from './converse';
import { isolatedDb } from './test-env';

export interface WebWorld {
  runtime: Runtime;
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/**
 * The real runtime on a schema of its own, with the HTTP server `npm start` runs (web chat, console, admin,
 * ops) listening on a free port of 127.0.0.1. Channels and workers start unless told not to.
 */
export async function webWorld(
  options: { env?: Record<string, string>; channels?: boolean; workers?: boolean } = {},
): Promise<WebWorld> {
  const { url: databaseUrl } = await isolatedDb('web');
  const runtime = await testRuntime({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    WEB_SESSION_SECRET: 'test-secret-for-web-cookies-0123456789abcdef',
    OUTBOUND_DEFAULT_RATE_PER_SECOND: '1000',
    ...options.env,
  });
  const app = await startHttp(runtime);
  if (options.channels !== false) await runtime.startChannels();
  if (options.workers !== false) await runtime.startWorkers();
  const { port } = app.server.address() as AddressInfo;
  return {
    runtime,
    app,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

/** The chat id (channel identity) of a web login token, as the outbound queue addresses it. */
export async function webChatId(runtime: Runtime, token: string): Promise<string> {
  const row = await runtime.db.webLogin.findUniqueOrThrow({ where: { tokenHash: hashWebToken(token) } });
  return row.id;
}

export interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
}

/** Reads a text/event-stream the way EventSource does, for tools and tests without a browser. */
export async function openEvents(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  let ended = false;
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => l && !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
          );
          if (fields['event']) {
            events.push({
              event: fields['event'],
              id: fields['id'],
              data: JSON.parse(fields['data'] ?? 'null'),
            });
          }
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      ended = true;
    }
  })();
  return {
    status: response.status,
    events,
    get ended() {
      return ended;
    },
    async waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs = 15_000): Promise<SseEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`events not seen in time: ${JSON.stringify(events)}`);
        if (ended) throw new Error(`stream ended: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return events;
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

/** A tool talking to the web chat API: its login token in the body and the X-Webchat-Session header. */
export async function webClient(base: string) {
  const created = await fetch(`${base}/api/webchat/session`, { method: 'POST' });
  const { sessionId: token } = (await created.json()) as { sessionId: string };
  return {
    token,
    async say(body: { text: string; choice?: number; messageId?: string }) {
      const response = await fetch(`${base}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: token, ...body }),
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          intent: string;
          replies: { text: string; choices: string[] }[];
          citations: string[];
          answer: string;
        },
      };
    },
    events: () => openEvents(`${base}/api/webchat/events`, { 'x-webchat-session': token }),
  };
}
