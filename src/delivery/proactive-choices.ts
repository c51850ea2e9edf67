import { type DialogSession, dialogSessionSchema, emptySession } from '../core/dialog/session';
import type { SessionStore } from '../core/ports';
import type { StoredMessage } from './outbound-job';

/**
 * After a proactive message with choices (a reminder's "I can't come") is delivered, its choices become the
 * person's current ones, so a button press or a typed "1" means what that message offered. The message is now
 * the last thing the person saw, so an unfinished flow gives way to it.
 */
export function createChoiceRecorder(sessions: SessionStore<DialogSession>) {
  /**
   * Records the choices; returns how to take them back if the platform then refuses the message (a daily cap,
   * a logged-out account): the person's sign-up in progress must not end for a message they never got.
   */
  return async (message: StoredMessage, now = new Date()): Promise<(() => Promise<void>) | undefined> => {
    const key = message.sessionKey;
    if (!key || !message.choices?.length) return undefined;
    let before: Pick<DialogSession, 'choices' | 'flow' | 'updatedAt'> | undefined;
    const stamp = now.toISOString();
    await sessions.withLock(key, async () => {
      const parsed = dialogSessionSchema.safeParse((await sessions.load(key)) ?? {});
      const session = parsed.success ? parsed.data : emptySession();
      before = { choices: session.choices, flow: session.flow, updatedAt: session.updatedAt };
      session.choices = message.choices ?? [];
      session.flow = undefined;
      session.updatedAt = stamp;
      await sessions.save(key, session);
    });
    return () =>
      sessions.withLock(key, async () => {
        const parsed = dialogSessionSchema.safeParse((await sessions.load(key)) ?? {});
        // Only if nothing happened since: a turn in between owns the session now.
        if (!parsed.success || parsed.data.updatedAt !== stamp || !before) return;
        await sessions.save(key, { ...parsed.data, ...before });
      });
  };
}
