import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CoordinatorAccess } from '../../core/outreach-ports';
import type { InboxChange } from '../../services/inbox-events';
import { openEventStream } from '../event-stream';
import type { ConsoleDeps, InboxChangeSource } from './console-deps';

/** A comment line this often keeps proxies and browsers from dropping an idle stream. */
export const HEARTBEAT_MS = 15_000;

type Listener = (change: InboxChange) => void;

/**
 * One subscription to inbox changes per process (one Redis connection, opened when the first page connects),
 * fanned out in memory to every open inbox page. `close` ends it (the app's close hook).
 */
export function createInboxHub(open: InboxChangeSource) {
  const listeners = new Set<Listener>();
  let subscription: Promise<() => Promise<void>> | undefined;
  let closed = false;
  const fanOut = (change: InboxChange) => {
    for (const listener of [...listeners]) listener(change);
  };
  function subscribed() {
    subscription ??= open(fanOut).catch((error: unknown) => {
      // The next page to connect tries again.
      subscription = undefined;
      throw error;
    });
    return subscription;
  }
  return {
    /** Resolves once changes flow (so nothing after it is missed); the returned function stops them. */
    async watch(listener: Listener): Promise<() => void> {
      if (closed) throw new Error('the inbox feed is closed');
      await subscribed();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get watching() {
      return listeners.size;
    },
    async close(): Promise<void> {
      closed = true;
      listeners.clear();
      const pending = subscription;
      subscription = undefined;
      const unsubscribe = await pending?.catch(() => undefined);
      await unsubscribe?.();
    },
  };
}

const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * GET /console/inbox/events: a text/event-stream of the changes to items this login may see. Each change is
 * checked against the login's scope with `inbox.get` (the message on Redis carries only an id) and sent as
 * `event: inbox` with `{id, type}`; the page reads itself again. `ready` once the subscription stands.
 */
export async function inboxEventsRoute(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const hub = createInboxHub(deps.inboxChanges);
  const streams = new Set<() => void>();
  // Open streams would keep the server from closing; the subscription's connection goes with the app.
  scope.addHook('preClose', async () => {
    for (const close of [...streams]) close();
  });
  scope.addHook('onClose', async () => {
    await hub.close();
  });

  scope.get('/console/inbox/events', async (request, reply) => {
    openStream(request, reply, request.consoleUser!.access);
  });

  function openStream(request: FastifyRequest, reply: FastifyReply, access: CoordinatorAccess): void {
    const stream = openEventStream(request, reply, {
      heartbeatMs: HEARTBEAT_MS,
      streams,
      headers: { 'cache-control': 'no-store, no-transform', 'x-content-type-options': 'nosniff' },
    });
    const { write, close } = stream;
    let stop: (() => void) | undefined;
    stream.onClose(() => stop?.());
    // One change at a time per page, in the order they came.
    let queue = Promise.resolve();
    const onChange = (change: InboxChange) => {
      queue = queue
        .then(async () => {
          if (!stream.open) return;
          if (await deps.inbox.get(access, change.id)) write(sseEvent('inbox', change));
        })
        .catch((error: unknown) =>
          request.log.warn({ err: error }, 'console inbox stream: a change was not sent'),
        );
    };
    hub
      .watch(onChange)
      .then((undo) => {
        stop = undo;
        if (!stream.open) undo();
        else write(sseEvent('ready', {}));
      })
      .catch((error: unknown) => {
        request.log.warn({ err: error }, 'console inbox stream could not subscribe');
        close();
      });
  }
}
