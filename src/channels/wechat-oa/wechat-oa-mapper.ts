import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { OaNoticeKind, OaNoticeTemplate } from '../../config';
import type { InboundMessage } from '../../core/message';

/** Pure translation between the Official Account's push XML / API JSON and our messages. */

// Every value as text: openids, MsgId (64-bit) and EventKey must not turn into numbers.
const parser = new XMLParser({ parseTagValue: false, processEntities: true, ignoreDeclaration: true });
const builder = new XMLBuilder({ cdataPropName: '__cdata' });

const str = z.string().max(20_000);
const listOf = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), item.transform((one) => [one])]).optional();
const consentItem = z.looseObject({
  TemplateId: str,
  SubscribeStatusString: str.optional(),
  PopupScene: str.optional(),
});
const sentItem = z.looseObject({
  TemplateId: str,
  MsgID: str,
  ErrorCode: str.optional(),
  ErrorStatus: str.optional(),
});

export const pushSchema = z.looseObject({
  ToUserName: str,
  FromUserName: str.min(1).max(128),
  CreateTime: z.coerce.number().int().nonnegative(),
  MsgType: str,
  Content: str.optional(),
  MsgId: str.optional(),
  MsgID: str.optional(),
  Recognition: str.optional(),
  Event: str.optional(),
  EventKey: str.optional(),
  Status: str.optional(),
  SubscribeMsgPopupEvent: z.looseObject({ List: listOf(consentItem) }).optional(),
  SubscribeMsgChangeEvent: z.looseObject({ List: listOf(consentItem) }).optional(),
  SubscribeMsgSentEvent: z.looseObject({ List: listOf(sentItem) }).optional(),
});
export type Push = z.infer<typeof pushSchema>;

/** The root <xml> element of a push body, as a plain object, or undefined when it is not such XML. */
export function parseXml(body: string): Record<string, unknown> | undefined {
  try {
    const doc = parser.parse(body) as { xml?: unknown };
    return doc.xml && typeof doc.xml === 'object' ? (doc.xml as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An <xml> document with each value in CDATA (what the platform sends and expects). */
export function buildXml(fields: Record<string, string | number>): string {
  const xml: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) xml[k] = typeof v === 'number' ? v : { __cdata: v };
  return builder.build({ xml }) as string;
}

export type MappedPush =
  | { type: 'message'; message: InboundMessage }
  | { type: 'follow'; openId: string; at: Date }
  | { type: 'unfollow'; openId: string }
  | { type: 'consent'; openId: string; items: Array<{ templateId: string; accept: boolean; scene?: string }> }
  | { type: 'result'; msgId: string; status: string }
  | { type: 'ignore'; reason: string };

/** Where one push goes: a message for the dialog, a follow, a consent answer, a send result, or nothing. */
export function mapPush(push: Push): MappedPush {
  const openId = push.FromUserName;
  const at = new Date(push.CreateTime * 1000);
  const base = {
    // Events carry no MsgId: the person and the second identify them (how the platform dedupes them too).
    id: push.MsgId ?? `${openId}:${push.CreateTime}:${push.Event ?? push.MsgType}`,
    address: { channel: 'wechat-oa' as const, chatId: openId },
    senderId: openId,
    receivedAt: at,
  };
  switch (push.MsgType) {
    case 'text':
      return {
        type: 'message',
        message: { ...base, text: push.Content ?? '', kind: 'text' },
      };
    case 'voice':
      return push.Recognition
        ? { type: 'message', message: { ...base, text: push.Recognition, kind: 'voice' } }
        : { type: 'message', message: { ...base, text: '', kind: 'media' } };
    case 'image':
    case 'video':
    case 'shortvideo':
    case 'location':
    case 'link':
    case 'file':
      return { type: 'message', message: { ...base, text: '', kind: 'media' } };
    case 'event':
      return mapEvent(push, base);
    default:
      return { type: 'ignore', reason: `msgtype ${push.MsgType}` };
  }
}

function mapEvent(push: Push, base: Omit<InboundMessage, 'text'>): MappedPush {
  const openId = push.FromUserName;
  switch (push.Event?.toLowerCase()) {
    case 'subscribe':
      return { type: 'follow', openId, at: base.receivedAt };
    case 'unsubscribe':
      return { type: 'unfollow', openId };
    case 'click':
      // A menu button whose key is the words it stands for (set up so in the account's menu).
      return push.EventKey
        ? { type: 'message', message: { ...base, text: push.EventKey.slice(0, 200), kind: 'text' } }
        : { type: 'ignore', reason: 'click without key' };
    case 'templatesendjobfinish':
      return push.MsgID
        ? { type: 'result', msgId: push.MsgID, status: push.Status ?? 'unknown' }
        : { type: 'ignore', reason: 'template result without MsgID' };
    case 'subscribe_msg_popup_event':
    case 'subscribe_msg_change_event': {
      const list = (push.SubscribeMsgPopupEvent ?? push.SubscribeMsgChangeEvent)?.List ?? [];
      return {
        type: 'consent',
        openId,
        items: list.map((i) => ({
          templateId: i.TemplateId,
          accept: i.SubscribeStatusString === 'accept',
          scene: i.PopupScene,
        })),
      };
    }
    case 'subscribe_msg_sent_event': {
      const item = push.SubscribeMsgSentEvent?.List?.[0];
      if (!item) return { type: 'ignore', reason: 'sent event without list' };
      const ok = item.ErrorCode === '0' || item.ErrorStatus === 'success';
      return {
        type: 'result',
        msgId: item.MsgID,
        status: ok ? 'success' : `failed:${item.ErrorStatus ?? item.ErrorCode}`,
      };
    }
    default:
      return { type: 'ignore', reason: `event ${push.Event ?? ''}` };
  }
}

/** Customer-service text: the message, then its choices as "回复 1 …" lines (the account has no buttons). */
export function customText(
  text: string,
  choices: string[] | undefined,
  choiceLine: (n: number, label: string) => string,
) {
  return [text, ...(choices ?? []).map((c, i) => choiceLine(i + 1, c))].join('\n');
}

/**
 * The notice kind of a proactive message, from the kind the delivery names (reminder, broadcast, promotion…) or
 * else its delivery key's domain prefix (reminder:…, broadcast:…).
 */
export function noticeKindOf(kindOrKey: string): OaNoticeKind {
  const prefix = kindOrKey.split(':', 1)[0] ?? '';
  if (prefix === 'reminder') return 'reminder';
  if (prefix === 'broadcast' || prefix === 'notice' || prefix === 'absence') return 'class_notice';
  if (prefix === 'promotion' || prefix === 'waitlist') return 'waitlist_seat';
  if (/^(schedule|reschedule|cancel|session)/.test(prefix)) return 'schedule_change';
  return 'other';
}

/** Longest value of a template field by its type (the platform refuses longer ones with 47003). */
function fieldLimit(name: string): number {
  if (name.startsWith('thing')) return 20;
  if (name.startsWith('phrase') || name.startsWith('symbol')) return 5;
  if (name.startsWith('name')) return 10;
  if (name.startsWith('character_string') || name.startsWith('number') || name.startsWith('letter'))
    return 32;
  return 20;
}

function clip(value: string, limit: number): string {
  const chars = [...value.replace(/\s+/g, ' ').trim()];
  return chars.length <= limit ? chars.join('') : `${chars.slice(0, limit - 1).join('')}…`;
}

/** The `data` of a template message or subscription notice, field by field from the configured sources. */
export function templateData(
  template: OaNoticeTemplate,
  source: { title: string; text: string; now: string; params?: Record<string, string> },
): Record<string, { value: string }> {
  const lines = source.text.split('\n').filter((l) => l.trim());
  const data: Record<string, { value: string }> = {};
  for (const [field, from] of Object.entries(template.fields)) {
    const raw = from.startsWith('=')
      ? from.slice(1)
      : from === 'title'
        ? source.title
        : from === 'time'
          ? source.now
          : from === 'text'
            ? source.text
            : from.startsWith('param:')
              ? (source.params?.[from.slice(6)] ?? '-')
              : (lines[Number(from.slice(4)) - 1] ?? '-');
    data[field] = { value: from === 'time' ? raw : clip(raw, fieldLimit(field)) || '-' };
  }
  return data;
}
