import type { Contact, Message } from 'wechaty';
import type { WechatMessageFacts } from './wechat-mapper';

/** Reads off a Wechaty message the plain facts the mapper needs (the only part that asks the puppet). */
export async function readFacts(
  message: Message,
  self: { user?: Contact; name?: string },
): Promise<WechatMessageFacts> {
  const talker = message.talker();
  const room = message.room();
  const fromSelf = message.self();
  const mentionsSelf = Boolean(room) && !fromSelf && (await message.mentionSelf());
  const selfNames = [self.name ?? ''];
  // Mentions use the bot's nickname in the room when it has one.
  if (room && mentionsSelf && self.user) selfNames.push((await room.alias(self.user).catch(() => '')) ?? '');
  return {
    id: message.id,
    type: message.type(),
    text: message.text(),
    timestamp: message.date().getTime(),
    talkerId: talker.id,
    talkerName: talker.name(),
    talkerType: talker.type(),
    self: fromSelf,
    roomId: room?.id,
    mentionsSelf,
    selfNames,
  };
}
