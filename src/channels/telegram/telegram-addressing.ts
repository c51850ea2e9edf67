import type { Message, MessageEntity } from 'grammy/types';

/** The bot's own identity, from getMe. */
export interface BotIdentity {
  id: number;
  username: string;
}

export interface Addressing {
  /** The text with the bot's @mentions removed. */
  text: string;
  /** A leading /command: its name, its arguments, and whether it names another bot (/help@OtherBot). */
  command?: { name: string; args: string; target?: 'us' | 'other' };
  /** The bot was @mentioned, text-mentioned, or the message replies to one of its messages. */
  mentioned: boolean;
}

/** Reads who a message is addressed to from its entities (offsets are UTF-16 units, like JS strings). */
export function addressing(m: Message, bot: BotIdentity): Addressing {
  const raw = m.text ?? m.caption ?? '';
  const entities: MessageEntity[] = m.entities ?? m.caption_entities ?? [];
  const ours = entities.filter((e) => isOurMention(e, raw, bot));
  const mentioned = ours.length > 0 || m.reply_to_message?.from?.id === bot.id;

  let command: Addressing['command'];
  const first = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (first) {
    const [name = '', target] = raw.slice(1, first.length).split('@');
    command = {
      name,
      args: raw.slice(first.length),
      target: target === undefined ? undefined : sameName(target, bot.username) ? 'us' : 'other',
    };
  }

  let text = raw;
  for (const e of [...ours].sort((a, b) => b.offset - a.offset)) {
    text = text.slice(0, e.offset) + text.slice(e.offset + e.length);
  }
  return { text: text.replace(/\s{2,}/g, ' ').trim(), command, mentioned };
}

function isOurMention(e: MessageEntity, text: string, bot: BotIdentity): boolean {
  if (e.type === 'text_mention') return e.user.id === bot.id;
  return e.type === 'mention' && sameName(text.slice(e.offset + 1, e.offset + e.length), bot.username);
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
