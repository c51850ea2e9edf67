const MINUTE = 60_000;

/**
 * Telegram's limits, kept in this process: about 30 messages a second over all chats (a token bucket at the
 * configured rate, bursting up to one second's worth) and 20 a minute into one group (a sliding window).
 * `reserve` books the next free slot and says how long to wait for it; `groupWait` only looks, so a queued
 * send can hand the wait back to its job instead of holding a worker for up to a minute.
 */
export class TelegramPacer {
  private tokens: number;
  private refilledAt: number;
  /** Per group: when its recent messages went (or will go), ascending. */
  private readonly groups = new Map<string, number[]>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly groupPerMinute = 20,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = ratePerSecond;
    this.refilledAt = now();
  }

  /** Milliseconds until this group may get `count` more messages (0 for private chats and quiet groups). */
  groupWait(chatId: string, count = 1): number {
    if (!isGroupChat(chatId)) return 0;
    const now = this.now();
    const sent = this.window(chatId, now);
    const free = this.groupPerMinute - sent.length;
    if (free >= count) return 0;
    // Wait until enough of the oldest leave the window (sent is ascending).
    const frees = sent[Math.min(sent.length - 1, count - free - 1)]!;
    return Math.max(0, frees + MINUTE - now);
  }

  /** Books one message to `chatId` and returns how long to wait before sending it. */
  reserve(chatId: string): number {
    const now = this.now();
    const refill = ((now - this.refilledAt) / 1000) * this.ratePerSecond;
    this.tokens = Math.min(this.ratePerSecond, this.tokens + refill) - 1;
    this.refilledAt = now;
    const globalWait = this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
    const wait = Math.ceil(Math.max(globalWait, this.groupWait(chatId)));
    if (isGroupChat(chatId)) {
      const sent = this.groups.get(chatId) ?? [];
      sent.push(now + wait);
      sent.sort((a, b) => a - b);
      this.groups.set(chatId, sent);
      if (this.groups.size > 1000) for (const id of [...this.groups.keys()]) this.window(id, now);
    }
    return wait;
  }

  private window(chatId: string, now: number): number[] {
    const sent = this.groups.get(chatId);
    if (!sent) return [];
    while (sent.length && sent[0]! <= now - MINUTE) sent.shift();
    if (!sent.length) this.groups.delete(chatId);
    return sent;
  }
}

/** Group and supergroup ids are negative; private chats (people) are positive. */
export function isGroupChat(chatId: string): boolean {
  return chatId.startsWith('-');
}
