import { Contact as ContactType, Message as MessageType } from 'wechaty-puppet/types';
import type { Locale } from '../../core/domain';
import type { Translator } from '../../core/i18n';
import type { InboundMessage, OutboundMessage } from '../../core/message';
import { escapeRegExp } from '../../core/regexp';
import { splitText } from '../split-text';

/**
 * Pure translation between WeChat (as Wechaty describes it) and the core message contracts. The channel
 * reads the few facts it needs off a Wechaty message into `WechatMessageFacts`; everything from there on is
 * plain data in, plain data out, and unit-tested.
 */
export interface WechatMessageFacts {
  id: string;
  type: MessageType;
  text: string;
  /** Seconds or milliseconds since the epoch: puppets send either. */
  timestamp: number;
  talkerId: string;
  talkerName?: string;
  talkerType: ContactType;
  /** Sent by the bot's own account (from this process or from the phone). */
  self: boolean;
  roomId?: string;
  mentionsSelf: boolean;
  /** The bot's name and its nickname in the room: "@name" mentions of the bot are removed from the text. */
  selfNames: string[];
}

export type SkipReason = 'self' | 'official' | 'system' | 'room_not_mentioned' | 'stale';
export type MappedInbound = { ok: true; message: InboundMessage } | { ok: false; reason: SkipReason };

/** Longer pastes are cut here; the engine says it read only the first part. */
export const MAX_INBOUND_CHARS = 4000;

/** Service accounts WeChat itself talks through: never a person. */
const SYSTEM_IDS = new Set([
  'weixin',
  'fmessage',
  'newsapp',
  'filehelper',
  'medianote',
  'floatbottle',
  'mphelper',
]);

const MEDIA_TYPES = new Set<MessageType>([
  MessageType.Attachment,
  MessageType.Contact,
  MessageType.ChatHistory,
  MessageType.Emoticon,
  MessageType.Image,
  MessageType.Location,
  MessageType.MiniProgram,
  MessageType.Transfer,
  MessageType.RedEnvelope,
  MessageType.Url,
  MessageType.Video,
  MessageType.Post,
]);

/**
 * Notices WeChat shows in the chat but no person typed (拍一拍, recalls, joins and leaves, "you added …").
 * Some puppets deliver them as text from the other person, so they are recognised by their fixed wording.
 */
const SYSTEM_NOTICES = [
  /^["“][^"“”]{1,40}["”]\s*拍了拍/,
  /^我拍了拍/,
  /撤回了一条消息$/,
  /^你已添加了.{1,40}现在可以开始聊天了/,
  /^以上是打招呼的内容$/,
  /^["“].{1,40}["”]\s*(邀请|通过扫描).*加入了?群聊/,
  /^你邀请.{1,40}加入了群聊/,
  /^["“].{1,40}["”]\s*(被)?移出了?群聊/,
  /^你(已)?被.{0,40}移出群聊/,
  /^["“].{1,40}["”]\s*修改群名为/,
];

export function isSystemNotice(text: string): boolean {
  const s = text.trim();
  return SYSTEM_NOTICES.some((re) => re.test(s));
}

export function toDate(timestamp: number): Date {
  return new Date(timestamp < 1e12 ? timestamp * 1000 : timestamp);
}

/** Maps one WeChat message to an InboundMessage, or says on purpose why it is not for the dialog. */
export function toInbound(facts: WechatMessageFacts, options: { notBefore?: Date } = {}): MappedInbound {
  if (facts.self) return { ok: false, reason: 'self' };
  if (facts.talkerType === ContactType.Official || SYSTEM_IDS.has(facts.talkerId))
    return { ok: false, reason: 'official' };
  const kind = messageKind(facts);
  if (kind === 'system') return { ok: false, reason: 'system' };
  if (facts.roomId && !facts.mentionsSelf) return { ok: false, reason: 'room_not_mentioned' };
  const receivedAt = toDate(facts.timestamp);
  if (options.notBefore && receivedAt < options.notBefore) return { ok: false, reason: 'stale' };

  const raw = kind === 'text' ? facts.text : '';
  const text = facts.roomId ? stripMentions(raw, facts.selfNames) : raw;
  return {
    ok: true,
    message: {
      id: facts.id,
      address: { channel: 'wechat', chatId: facts.roomId ?? facts.talkerId },
      senderId: facts.talkerId,
      senderName: facts.talkerName || undefined,
      text: truncate(text, MAX_INBOUND_CHARS),
      kind,
      isGroup: Boolean(facts.roomId),
      mentioned: facts.roomId ? facts.mentionsSelf : undefined,
      receivedAt,
    },
  };
}

function messageKind(facts: WechatMessageFacts): 'text' | 'media' | 'voice' | 'system' {
  if (facts.type === MessageType.Text) return isSystemNotice(facts.text) ? 'system' : 'text';
  if (facts.type === MessageType.Audio) return 'voice';
  if (MEDIA_TYPES.has(facts.type)) return 'media';
  // Recalled, GroupNote and Unknown: recalls, 拍一拍, join/leave notices, calls and other things nobody typed.
  return 'system';
}

/** Removes "@机器人" (followed by WeChat's U+2005 separator, a space or the end) wherever it appears. */
export function stripMentions(text: string, names: string[]): string {
  let out = text;
  for (const name of names.filter(Boolean)) {
    out = out.replace(new RegExp(`@${escapeRegExp(name)}(\u2005|\u0020|$)`, 'g'), '');
  }
  return out.replace(/\u2005/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  // Never end on half of a surrogate pair.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The language a reply is written in, so the "回复 1 …" lines match it. Citations keep Han in English text. */
export function replyLocale(message: OutboundMessage): Locale {
  const all = [message.text, ...(message.choices ?? [])].join(' ');
  const han = all.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = all.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return han * 3 >= latin ? 'zh-CN' : 'en';
}

/** Text plus numbered lines ("回复 1 报名"), since personal WeChat chats have no buttons. */
export function renderOutbound(message: OutboundMessage, translator: Translator): string {
  const choices = message.choices ?? [];
  if (!choices.length) return message.text;
  const t = translator.forLocale(replyLocale(message));
  const lines = choices.map((label, i) => t('wechat:choices.line', { n: i + 1, label }));
  return `${message.text}\n\n${lines.join('\n')}`;
}

/** What to send for one reply: the rendered text split under the limit, blank parts dropped. */
export function outboundParts(message: OutboundMessage, translator: Translator, max: number): string[] {
  return splitText(renderOutbound(message, translator), max)
    .map((part) => part.trim())
    .filter(Boolean);
}

export type RoomCommand =
  | { type: 'link'; code: string; locale: Locale }
  /** "绑定" without a course code: the bot says how. */
  | { type: 'link_usage'; locale: Locale };

/** "@机器人 绑定 ZX-DS-01" in a class room links it to the course (coordinators only). */
export function parseRoomCommand(text: string): RoomCommand | undefined {
  const m = /^(绑定|关联|bind|link)\s*(?:课程|course)?\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9-]{1,30})$/i.exec(
    text.normalize('NFKC').trim(),
  );
  if (!m) {
    const bare = /^(绑定|关联|bind|link)\s*(?:课程|course)?\s*[:：]?$/i.exec(text.normalize('NFKC').trim());
    return bare ? { type: 'link_usage', locale: /^[a-z]/i.test(bare[1]!) ? 'en' : 'zh-CN' } : undefined;
  }
  return { type: 'link', code: m[2]!.toUpperCase(), locale: /^[a-z]/i.test(m[1]!) ? 'en' : 'zh-CN' };
}

/** A friend request is accepted when its greeting carries one of the configured words (e.g. 培训). */
export function wantsFriendship(hello: string, keywords: string[]): boolean {
  const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s/g, '');
  const h = norm(hello);
  return keywords.map(norm).some((k) => k.length > 0 && h.includes(k));
}
