import { type ChatSession, type ReadChatSession, readChatSession } from './chat-session';

/** What an adapter (Redis in production, memory for tools) keeps: text per key, and a per-key lock. */
export interface SessionStorage {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Runs fn while holding a per-key lock so two messages from one person are handled one after the other. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Chat sessions between turns, always read as the current version: older ones are migrated, damaged ones
 * repaired field by field (see readChatSession), never silently dropped.
 */
export interface ChatSessionStore {
  load(key: string): Promise<ReadChatSession>;
  save(key: string, session: ChatSession): Promise<void>;
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export function createChatSessionStore(storage: SessionStorage): ChatSessionStore {
  return {
    async load(key) {
      return readChatSession(await storage.get(key));
    },
    save: (key, session) => storage.set(key, JSON.stringify(session)),
    withLock: (key, fn) => storage.withLock(key, fn),
  };
}
