/** Official Account customer-service rules: messages only within 48 h of the user's last message, at most 5. */
export const OA_WINDOW_HOURS = 48;
export const OA_WINDOW_MESSAGES = 5;

/** How much later than the message its stored time may be (written after the message was read). */
const PERSISTED_SLACK_MS = 60_000;

export type WindowState = 'open' | 'expired' | 'exhausted';

/**
 * Tracks, per chat, when the person last wrote and how many messages went out since, so a send outside
 * the Official Account's window is refused before the platform refuses it. `persisted` (ChannelIdentity.
 * lastInboundAt) covers what happened before this process started.
 */
export class ReplyWindow {
  private readonly chats = new Map<string, { lastInboundAt: number; sent: number }>();

  constructor(
    private readonly hours = OA_WINDOW_HOURS,
    private readonly maxMessages = OA_WINDOW_MESSAGES,
  ) {}

  /** A new message from the person opens a new window (and its count); an older or equal time changes nothing. */
  noteInbound(chatId: string, at: Date): void {
    const known = this.chats.get(chatId);
    if (!known || at.getTime() > known.lastInboundAt)
      this.chats.set(chatId, { lastInboundAt: at.getTime(), sent: 0 });
  }

  noteSent(chatId: string): void {
    const known = this.chats.get(chatId);
    if (known) known.sent += 1;
  }

  /**
   * `persisted` is trusted for what this process did not see (a restart, another process): when it knows
   * nothing of the chat, or the stored time is clearly newer than the message it saw. The stored time is
   * written a moment after the message it records, so that moment alone must not reset the count.
   */
  check(chatId: string, now: Date, persisted?: Date): WindowState {
    const seen = this.chats.get(chatId);
    if (persisted && (!seen || persisted.getTime() - seen.lastInboundAt > PERSISTED_SLACK_MS))
      this.noteInbound(chatId, persisted);
    const known = this.chats.get(chatId);
    if (!known || now.getTime() - known.lastInboundAt > this.hours * 3_600_000) return 'expired';
    return known.sent >= this.maxMessages ? 'exhausted' : 'open';
  }
}
