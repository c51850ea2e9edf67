import type { Channel, ChannelCapabilities } from '../src/core/channel';
import type { ChatAddress } from '../src/core/message';

/** A platform that only records when each chat was written to: what the outbound benchmarks count. */
export class BenchChannel implements Channel {
  readonly name = 'test' as const;
  readonly capabilities: ChannelCapabilities;
  readonly sends: { chatId: string; at: number }[] = [];

  constructor(sendRatePerSecond: number) {
    this.capabilities = {
      buttons: true,
      maxTextLength: 4096,
      sendRatePerSecond,
      groups: false,
      proactive: true,
    };
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async send(address: ChatAddress) {
    this.sends.push({ chatId: address.chatId, at: Date.now() });
    return { ok: true as const };
  }

  /** Waits until `count` sends arrived or nothing new came for `idleMs`. */
  async settle(count: number, idleMs: number): Promise<void> {
    let seen = -1;
    let since = Date.now();
    while (this.sends.length < count) {
      if (this.sends.length !== seen) {
        seen = this.sends.length;
        since = Date.now();
      } else if (Date.now() - since > idleMs) {
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
