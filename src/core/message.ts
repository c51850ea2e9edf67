/** Platform-free message contracts shared by every channel and the dialog engine. */

export type ChannelName =
  | 'terminal'
  | 'converse'
  | 'telegram'
  | 'wechat'
  | 'wechat-oa'
  | 'web'
  | 'test'
  /** Text messages by an SMS provider (src/channels/sms): the fallback for people without a chat. */
  | 'sms';

/** Where a message came from or goes to: one chat on one channel. */
export interface ChatAddress {
  channel: ChannelName;
  /** The platform's chat id (a private chat, a group or a web session). */
  chatId: string;
}

export interface InboundMessage {
  /** Platform message id, unique per channel; used to drop duplicates. */
  id: string;
  address: ChatAddress;
  /** The platform's id for the sender (the channel identity of a person). */
  senderId: string;
  senderName?: string;
  text: string;
  /** Locale hint from the platform (e.g. Telegram's language_code). */
  localeHint?: string;
  /** Set when the message is a button press for choice N (1-based) of the last reply. */
  choiceIndex?: number;
  /** Group chats: the bot only answers when mentioned or commanded. */
  isGroup?: boolean;
  mentioned?: boolean;
  /** Non-text payloads (sticker, photo, voice…) carry their kind and an empty text. */
  kind?: 'text' | 'command' | 'media' | 'voice' | 'system';
  receivedAt: Date;
}

/** One reply: text plus optional numbered choices (buttons where the channel has them). */
export interface OutboundMessage {
  text: string;
  choices?: string[];
  /** Set on proactive messages: their delivery key, which a retry of the same message repeats. */
  deliveryKey?: string;
  /**
   * Set on proactive messages: what kind of message it is (reminder, broadcast, promotion…) and its parts by
   * name, for channels that may only send approved templates (SMS, Official Account template messages).
   */
  notice?: { kind: string; params: Record<string, string> };
}
