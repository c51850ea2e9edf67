import type { InboundMessage, OutboundMessage } from '../../core/message';
import { splitText } from '../split-text';

/** What the page (or a tool) posted, once the login is known. */
export interface WebInput {
  loginId: string;
  text: string;
  /** 1-based index of a tapped choice of the last reply. */
  choice?: number;
  /** The page's own id for the message, so a retried post is handled once. */
  messageId: string;
}

/** One bot message as the page shows it: text, and choices as buttons (empty when none). */
export interface WebMessage {
  text: string;
  choices: string[];
}

export function toInbound(input: WebInput, now: Date): InboundMessage {
  return {
    id: `web:${input.messageId}`,
    address: { channel: 'web', chatId: input.loginId },
    senderId: input.loginId,
    text: input.text,
    choiceIndex: input.choice,
    kind: 'text',
    receivedAt: now,
  };
}

/** A message cut to the page's limit on sentence ends; its choices go with the last part. */
export function toWebMessages(message: OutboundMessage, limit: number): WebMessage[] {
  const parts = splitText(message.text, limit);
  return parts.map((text, i) => ({
    text,
    choices: i === parts.length - 1 ? [...(message.choices ?? [])] : [],
  }));
}

export function toWebReplies(replies: readonly OutboundMessage[], limit: number): WebMessage[] {
  return replies.flatMap((r) => toWebMessages(r, limit));
}

/** One Server-Sent Event; `data` is one line of JSON, so no text can break the framing. */
export function sseEvent(event: string, id: string | undefined, data: unknown): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
