import type { OutboundMessage } from './message';

/**
 * The intent the dialog recognised for a turn, attached to that turn's replies by the runtime (see
 * src/app/metrics.ts) so that an API which reports it (the web chat's `{"intent","replies"}`) can read it from
 * what a channel handler returns. Kept beside the array, not on it: the replies stay plain arrays.
 */
const intents = new WeakMap<readonly OutboundMessage[], string>();

export function tagIntent(replies: readonly OutboundMessage[], intent: string): void {
  intents.set(replies, intent);
}

export function intentOf(replies: readonly OutboundMessage[]): string | undefined {
  return intents.get(replies);
}
