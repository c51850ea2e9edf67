import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../../logger';
import type { InboxItem } from './web-inbox-store';

/** An open page (an SSE stream) of one web login. */
export interface PushTarget {
  push(items: readonly InboxItem[]): void;
  close(): void;
}

const pushSchema = z.object({
  loginId: z.string(),
  items: z.array(z.object({ id: z.string(), text: z.string(), choices: z.array(z.string()) })),
});

export interface PushHubOptions {
  /** Publishes; the hub subscribes on a duplicate of it. */
  redis: Redis;
  topic: string;
  /** Pages of one login open at once (tabs); the oldest is closed beyond it. */
  maxPerLogin: number;
  onDelivered: (ids: string[]) => Promise<void>;
  logger: Logger;
}

/**
 * Fan-out of proactive messages to open pages across processes: a message is published on a Redis channel,
 * and every process writes it to the pages of that login it holds. So any process may send, and a page
 * may be connected to any process: no sticky sessions are needed.
 */
export function createPushHub(options: PushHubOptions) {
  const targets = new Map<string, Set<PushTarget>>();
  let subscriber: Redis | undefined;

  function deliverLocal(loginId: string, items: InboxItem[]): void {
    const open = targets.get(loginId);
    if (!open?.size) return;
    for (const target of open) target.push(items);
    options.onDelivered(items.map((i) => i.id)).catch((error) => {
      options.logger.warn({ err: error }, 'could not mark web chat messages delivered');
    });
  }

  return {
    async start(): Promise<void> {
      if (subscriber) return;
      // A subscriber waits out an outage (and re-subscribes) instead of failing fast like request commands.
      subscriber = options.redis.duplicate({
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
        commandTimeout: undefined,
      });
      subscriber.on('message', (_topic: string, raw: string) => {
        const parsed = pushSchema.safeParse(safeJson(raw));
        if (parsed.success) deliverLocal(parsed.data.loginId, parsed.data.items);
      });
      subscriber.on('error', (error) => options.logger.warn({ err: error }, 'web push subscriber error'));
      await subscriber.subscribe(options.topic);
    },

    async publish(loginId: string, items: InboxItem[]): Promise<void> {
      await options.redis.publish(options.topic, JSON.stringify({ loginId, items }));
    },

    /** Registers an open page; returns the function that unregisters it. */
    attach(loginId: string, target: PushTarget): () => void {
      const open = targets.get(loginId) ?? new Set<PushTarget>();
      targets.set(loginId, open);
      while (open.size >= options.maxPerLogin) {
        const oldest = open.values().next().value;
        if (!oldest) break;
        open.delete(oldest);
        oldest.close();
      }
      open.add(target);
      return () => {
        open.delete(target);
        if (!open.size && targets.get(loginId) === open) targets.delete(loginId);
      };
    },

    openPages(): number {
      let n = 0;
      for (const set of targets.values()) n += set.size;
      return n;
    },

    async stop(): Promise<void> {
      for (const set of targets.values()) for (const t of set) t.close();
      targets.clear();
      const sub = subscriber;
      subscriber = undefined;
      if (sub) await sub.quit().catch(() => sub.disconnect());
    },
  };
}

export type PushHub = ReturnType<typeof createPushHub>;

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
