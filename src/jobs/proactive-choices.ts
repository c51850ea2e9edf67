import { type DialogSession, dialogSessionSchema, emptySession } from '../core/dialog/session';
import type { SessionStore } from '../core/ports';
import type { StoredMessage } from './outbound.job';

/**
 * After a proactive message with choices (a reminder's "I can't come") is delivered, its choices become the
 * person's current ones, so a button press or a typed "1" means what that message offered. The message is now
 * the last thing the person saw, so an unfinished flow gives way to it.
 */
export function createChoiceRecorder(sessions: SessionStore<DialogSession>) {
  return async (message: StoredMessage, now = new Date()): Promise<void> => {
    const key = message.sessionKey;
    if (!key || !message.choices?.length) return;
    await sessions.withLock(key, async () => {
      const parsed = dialogSessionSchema.safeParse((await sessions.load(key)) ?? {});
      const session = parsed.success ? parsed.data : emptySession();
      session.choices = message.choices ?? [];
      session.flow = undefined;
      session.updatedAt = now.toISOString();
      await sessions.save(key, session);
    });
  };
}
