import type { CallbackQuery, ChatMemberUpdated, Message, Update, User } from 'grammy/types';
import { type Locale, localeFromHint } from '../../core/domain';
import type { Translator } from '../../core/i18n';
import type { InboundMessage } from '../../core/message';
import { addressing, type BotIdentity } from './telegram-addressing';
import { commandAction } from './telegram-commands';

export type { BotIdentity } from './telegram-addressing';

/** Why an update is dropped before the dialog, on purpose. */
export type IgnoreReason =
  | 'edited'
  | 'channel_post'
  | 'service'
  | 'not_addressed'
  | 'from_bot'
  | 'sender_chat'
  | 'other_bot'
  | 'unsupported';

/** Polite answers the channel gives itself, without the dialog (texts in locales/<lng>/telegram.json). */
export type NoticeKey = 'forwarded' | 'anonymousAdmin' | 'groupAdded' | 'linkInGroupOnly';

/** Where the channel answers: the chat, and in groups the message it replies to. */
export interface Origin {
  chatId: string;
  locale: Locale;
  replyTo?: number;
}

export type MappedUpdate =
  | { type: 'message'; message: InboundMessage; origin: Origin }
  /** A button press; its data is checked against the last menu before it becomes a choice. */
  | { type: 'press'; callbackId: string; data?: string; message: InboundMessage; origin: Origin }
  | { type: 'notice'; notice: NoticeKey; origin: Origin }
  | { type: 'link'; code?: string; senderId: string; origin: Origin }
  | { type: 'ignore'; reason: IgnoreReason };

export interface MapOptions {
  bot: BotIdentity;
  translator: Translator;
  defaultLocale: Locale;
}

const MEDIA = [
  'sticker',
  'photo',
  'video',
  'animation',
  'document',
  'audio',
  'video_note',
  'location',
  'venue',
  'poll',
  'dice',
  'game',
  'story',
  'contact',
] as const;

/** Telegram's language_code ("zh-hans", "en-US"…) as one of our locales. */
export function localeOf(code: string | undefined, fallback: Locale): Locale {
  return localeFromHint(code) ?? fallback;
}

/** Pure translation of one Telegram update into what the channel should do with it. */
export function mapUpdate(update: Update, o: MapOptions): MappedUpdate {
  if (update.message) return fromMessage(update.message, o);
  if (update.callback_query) return fromPress(update.callback_query, o);
  if (update.my_chat_member) return fromMembership(update.my_chat_member, o);
  if (update.edited_message || update.edited_channel_post) return { type: 'ignore', reason: 'edited' };
  if (update.channel_post) return { type: 'ignore', reason: 'channel_post' };
  return { type: 'ignore', reason: 'unsupported' };
}

function fromMessage(m: Message, o: MapOptions): MappedUpdate {
  if (m.chat.type === 'channel') return { type: 'ignore', reason: 'channel_post' };
  const isGroup = m.chat.type === 'group' || m.chat.type === 'supergroup';
  const { text, command, mentioned } = addressing(m, o.bot);
  const addressed = !isGroup || mentioned || Boolean(command);
  const locale = localeOf(m.from?.language_code, o.defaultLocale);
  const origin: Origin = { chatId: String(m.chat.id), locale, replyTo: isGroup ? m.message_id : undefined };
  if (!addressed) return { type: 'ignore', reason: 'not_addressed' };
  if (command?.target === 'other') return { type: 'ignore', reason: 'other_bot' };
  // Posted "as the group" (an anonymous admin) or as a channel: there is no person to talk to.
  if (m.sender_chat) {
    return m.sender_chat.id === m.chat.id
      ? { type: 'notice', notice: 'anonymousAdmin', origin }
      : { type: 'ignore', reason: 'sender_chat' };
  }
  if (!m.from) return { type: 'ignore', reason: 'sender_chat' };
  if (m.from.is_bot) return { type: 'ignore', reason: 'from_bot' };
  if (m.forward_origin) return { type: 'notice', notice: 'forwarded', origin };

  const base = inbound(m, m.from, isGroup, mentioned || Boolean(command));
  if (command) {
    const action = commandAction(command.name, command.args, o.translator.forLocale(locale));
    if (action.type === 'dialog') {
      return { type: 'message', message: { ...base, text: action.text, kind: 'command' }, origin };
    }
    if (action.type === 'link') {
      return isGroup
        ? { type: 'link', code: action.code, senderId: base.senderId, origin }
        : { type: 'notice', notice: 'linkInGroupOnly', origin };
    }
  }
  if (m.voice) return { type: 'message', message: { ...base, text: '', kind: 'voice' }, origin };
  // A phone number shared with Telegram's own button is what the person would have typed.
  if (m.contact && m.contact.user_id === m.from.id) {
    return { type: 'message', message: { ...base, text: m.contact.phone_number, kind: 'text' }, origin };
  }
  if (MEDIA.some((field) => m[field] !== undefined)) {
    return { type: 'message', message: { ...base, text: '', kind: 'media' }, origin };
  }
  if (m.text === undefined) return { type: 'ignore', reason: 'service' };
  return { type: 'message', message: { ...base, text, kind: 'text' }, origin };
}

function fromPress(q: CallbackQuery, o: MapOptions): MappedUpdate {
  const chat = q.message?.chat;
  const isGroup = chat?.type === 'group' || chat?.type === 'supergroup';
  const chatId = String(chat?.id ?? q.from.id);
  const message: InboundMessage = {
    id: `cb:${q.id}`,
    address: { channel: 'telegram', chatId },
    senderId: String(q.from.id),
    senderName: fullName(q.from),
    text: '',
    localeHint: q.from.language_code,
    isGroup,
    mentioned: isGroup || undefined,
    kind: 'text',
    receivedAt: new Date(),
  };
  const origin = { chatId, locale: localeOf(q.from.language_code, o.defaultLocale) };
  return { type: 'press', callbackId: q.id, data: q.data, message, origin };
}

function fromMembership(u: ChatMemberUpdated, o: MapOptions): MappedUpdate {
  const isGroup = u.chat.type === 'group' || u.chat.type === 'supergroup';
  const joined =
    ['left', 'kicked'].includes(u.old_chat_member.status) &&
    ['member', 'administrator'].includes(u.new_chat_member.status);
  if (!isGroup || !joined) return { type: 'ignore', reason: 'service' };
  const origin = { chatId: String(u.chat.id), locale: localeOf(u.from.language_code, o.defaultLocale) };
  return { type: 'notice', notice: 'groupAdded', origin };
}

function inbound(m: Message, from: User, isGroup: boolean, mentioned: boolean): InboundMessage {
  return {
    id: `${m.chat.id}:${m.message_id}`,
    address: { channel: 'telegram', chatId: String(m.chat.id) },
    senderId: String(from.id),
    senderName: fullName(from),
    text: '',
    localeHint: from.language_code,
    isGroup,
    mentioned: isGroup ? mentioned : undefined,
    receivedAt: new Date(m.date * 1000),
  };
}

function fullName(u: User): string {
  return [u.first_name, u.last_name].filter(Boolean).join(' ');
}
