import type { InboundMessage, OutboundMessage } from '../../core/message';

/** Pure translation between terminal lines and the core message contracts. */
export function lineToInbound(line: string, user: string, seq: number, now = new Date()): InboundMessage {
  return {
    id: `terminal:${user}:${now.getTime()}:${seq}`,
    address: { channel: 'terminal', chatId: user },
    senderId: user,
    text: line,
    kind: 'text',
    receivedAt: now,
  };
}

/** Choices become numbered lines the person can answer with the number or the words. */
export function outboundToText(message: OutboundMessage): string {
  const lines = [message.text];
  message.choices?.forEach((choice, i) => {
    lines.push(`  ${i + 1}. ${choice}`);
  });
  return lines.join('\n');
}
