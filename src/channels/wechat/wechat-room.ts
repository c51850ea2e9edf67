import type { Translator } from '../../core/i18n';
import type { InboundMessage, OutboundMessage } from '../../core/message';
import type { ChatLinkOutcome, ChatLinkRequest } from '../../db/repositories/chat-links-repository';
import { parseRoomCommand } from './wechat-mapper';

export interface RoomLinkDeps {
  translator: Translator;
  linkRoom?: (request: ChatLinkRequest) => Promise<ChatLinkOutcome>;
  logger: { error(obj: object, msg: string): void };
}

/** "@bot 绑定 ZX-DS-01" from a coordinator links the room to the course; undefined for any other message. */
export async function linkReply(
  message: InboundMessage,
  deps: RoomLinkDeps,
): Promise<OutboundMessage | undefined> {
  const command = parseRoomCommand(message.text);
  if (!command || !deps.linkRoom) return undefined;
  const t = deps.translator.forLocale(command.locale);
  if (command.type === 'link_usage') return { text: t('wechat:link.usage') };
  try {
    const outcome = await deps.linkRoom({
      channel: 'wechat',
      chatId: message.address.chatId,
      externalId: message.senderId,
      code: command.code,
    });
    switch (outcome.status) {
      case 'linked':
      case 'already':
        return {
          text: t(`wechat:link.${outcome.status === 'linked' ? 'done' : 'already'}`, {
            code: outcome.course.code,
            title: outcome.course.title[command.locale],
          }),
        };
      case 'not_coordinator':
        return { text: t('wechat:link.notCoordinator') };
      case 'unknown_course':
        return { text: t('wechat:link.unknownCourse', { code: outcome.code }) };
    }
  } catch (error) {
    deps.logger.error({ err: error, chatId: message.address.chatId }, 'WeChat: linking a room failed');
    return { text: t('wechat:link.failed') };
  }
}

/**
 * Drops a message identical to one the same person sent in the same chat moments ago and that the bot has
 * not answered yet (a double tap, or a puppet delivering one message twice under different ids): it is
 * answered once. Once the bot has answered, the same words are a new answer to a new question ("1" to pick
 * a course, then "1" to sign up) and go through.
 */
export class RepeatFilter {
  private readonly last = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  fresh(message: InboundMessage): boolean {
    if (this.windowMs <= 0) return true;
    const at = message.receivedAt.getTime();
    const key = keyOf(message);
    const previous = this.last.get(key);
    // A dropped repeat does not extend the window: the first message's time counts.
    if (previous !== undefined && Math.abs(at - previous) <= this.windowMs) return false;
    this.last.set(key, at);
    if (this.last.size > 5000) this.forgetBefore(at - this.windowMs);
    return true;
  }

  /** The bot has answered `message`: the same words from now on are a new message. */
  answered(message: InboundMessage): void {
    const key = keyOf(message);
    if (this.last.get(key) === message.receivedAt.getTime()) this.last.delete(key);
  }

  private forgetBefore(cutoff: number): void {
    for (const [key, at] of this.last) if (at < cutoff) this.last.delete(key);
  }
}

const keyOf = (message: InboundMessage) =>
  [message.address.chatId, message.senderId, message.kind, message.text.trim()].join('\u0000');
