import type { ChatSession } from '../core/dialog/chat-session';
import type { ChatSessionStore } from '../core/dialog/chat-session-store';
import type { StoredMessage } from './outbound-job';

/**
 * After a proactive message with choices (a reminder's "I can't come") is delivered, its choices become the
 * person's current ones, so a button press or a typed "1" means what that message offered. The message is now
 * the last thing the person saw, so an unfinished flow gives way to it.
 */
export function createChoiceRecorder(sessions: ChatSessionStore) {
  /**
   * Records the choices; returns how to take them back if the platform then refuses the message (a daily cap,
   * a logged-out account): the person's sign-up in progress must not end for a message they never got.
   */
  return async (message: StoredMessage, now = new Date()): Promise<(() => Promise<void>) | undefined> => {
    const key = message.sessionKey;
    if (!key || !message.choices?.length) return undefined;
    let before: Pick<ChatSession, 'choices' | 'flow' | 'updatedAt'> | undefined;
    const stamp = now.toISOString();
    await sessions.withLock(key, async () => {
      // A damaged session comes back repaired, with a note the next turn tells the person about and logs.
      const { session } = await sessions.load(key);
      before = { choices: session.choices, flow: session.flow, updatedAt: session.updatedAt };
      session.choices = message.choices ?? [];
      session.flow = undefined;
      session.updatedAt = stamp;
      await sessions.save(key, session);
    });
    return () =>
      sessions.withLock(key, async () => {
        const { session } = await sessions.load(key);
        // Only if nothing happened since: a turn in between owns the session now.
        if (session.updatedAt !== stamp || !before) return;
        await sessions.save(key, { ...session, ...before });
      });
  };
}
