import type { InboundResult } from '../../src/core/channel';
import type { OutboundMessage } from '../../src/core/message';

/** What a stand-in dialog (an echo, a silent one) returns to a channel under test: just these replies. */
export function repliesOnly(replies: OutboundMessage[] = []): InboundResult {
  return { replies, intent: 'unknown', citations: [], events: [], answer: 'other' };
}
