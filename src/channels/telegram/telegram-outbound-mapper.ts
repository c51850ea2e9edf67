import type { InlineKeyboardMarkup } from 'grammy/types';
import type { OutboundMessage } from '../../core/message';
import { splitText } from '../split-text';
import { encodeChoice, type MenuRecord, menuHash } from './telegram-callback';

/** Telegram's limit for one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** The text and keyboard of one `sendMessage` call. */
export interface SendCall {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

/**
 * One outbound message as `sendMessage` calls: the text split at sentence ends within the limit, and the
 * choices as one button per row under the last part (labels are often long course titles). Returns the menu
 * record to remember so a press can be checked, when there are choices.
 */
export function toSendCalls(
  message: OutboundMessage,
  options: { secret: Buffer; key: string; limit?: number },
): { calls: SendCall[]; menu?: MenuRecord } {
  // Telegram refuses empty texts and trims whitespace at both ends of each message.
  const parts = splitText(message.text, options.limit ?? TELEGRAM_TEXT_LIMIT).filter((p) => p.trim());
  const calls: SendCall[] = parts.map((text) => ({ text }));
  const choices = message.choices ?? [];
  if (!choices.length || !calls.length) return { calls };
  const menu = { hash: menuHash(message), count: choices.length };
  calls[calls.length - 1]!.reply_markup = {
    inline_keyboard: choices.map((label, i) => [
      // Numbered, as the texts ask ("回复数字"): a typed number picks the same choice as a press.
      {
        text: `${i + 1}. ${label}`,
        callback_data: encodeChoice(options.secret, options.key, menu.hash, i + 1),
      },
    ]),
  };
  return { calls, menu };
}
